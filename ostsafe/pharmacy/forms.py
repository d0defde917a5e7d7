from django import forms

from .models import ConcernCategory, Outcome


class RecordDoseForm(forms.Form):
    prescription = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(choices=Outcome.choices)
    quantity = forms.DecimalField(required=False, min_value=0, max_digits=8, decimal_places=2)
    note = forms.CharField(required=False, max_length=500)


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
