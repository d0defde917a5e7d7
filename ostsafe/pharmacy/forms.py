from django import forms

from ostsafe.core.forms import GovukDateField, IdField

from .models import ConcernCategory, Outcome


class RecordDoseForm(forms.Form):
    prescription = IdField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(choices=Outcome.choices)
    quantity = forms.DecimalField(required=False, min_value=0, max_digits=8, decimal_places=2)
    note = forms.CharField(required=False, max_length=500)
    prescriber_consulted = forms.BooleanField(required=False)


class ConcernForm(forms.Form):
    category = forms.ChoiceField(
        label="What is the concern?",
        choices=ConcernCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the concern is"},
    )
    description = forms.CharField(
        label="What happened", widget=forms.Textarea, error_messages={"required": "Describe what happened"}
    )


class RecordsDelayedForm(forms.Form):
    starts_on = GovukDateField(label="From")
    ends_on = GovukDateField(label="To")
    reason = forms.CharField(
        label="Why are records late?",
        max_length=200,
        help_text="For example: national platform outage, working from paper records",
        error_messages={"required": "Enter why the records are late"},
    )
