from django import forms

from ostsafe.accounts.models import User
from ostsafe.core.forms import GovukDateField


class AuditFilterForm(forms.Form):
    user = forms.ModelChoiceField(label="Person", queryset=User.objects.none(), required=False, empty_label="Anyone")
    household = forms.IntegerField(label="Household number", required=False, min_value=1)
    date_from = GovukDateField(label="From", required=False, help_text="For example, 1 11 2026")
    date_to = GovukDateField(label="To", required=False)

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
