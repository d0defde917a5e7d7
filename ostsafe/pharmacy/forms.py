from django import forms

from ostsafe.core.fields import NOTE_MAX_LENGTH
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


class CorrectDoseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What really happened?",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what really happened"},
    )
    quantity = forms.DecimalField(
        label="Quantity given",
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        help_text="Leave blank for a missed dose",
        error_messages={"invalid": "Enter the quantity as a number, like 60 or 8.5"},
    )
    reason = forms.CharField(
        label="Why was the record wrong?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
        error_messages={"required": "Say why the record was wrong"},
    )

    def __init__(self, *args, speak_to_prescriber: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quantity"].widget.attrs.update(govuk_width=5, inputmode="decimal")
        if speak_to_prescriber:
            self.fields["prescriber_consulted"] = forms.BooleanField(
                label="I have spoken to the prescriber about this dose", required=False
            )
