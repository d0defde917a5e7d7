from django import forms
from django.contrib.auth import get_user_model

from ostsafe.core.forms import GovukDateField, IdField


class AuditFilterForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Person", queryset=get_user_model().objects.none(), required=False, empty_label="Anyone"
    )
    household = IdField(label="Household number", required=False)
    date_from = GovukDateField(label="From", required=False, help_text="For example, 1 11 2026")
    date_to = GovukDateField(label="To", required=False)
    refused_only = forms.BooleanField(label="Refused attempts only", required=False)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["household"].widget.attrs.update(govuk_width=5, inputmode="numeric")
        self.fields["household"].error_messages["invalid"] = "Enter the household number, like 12"

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return data
