from django import forms

from ostsafe.core.forms import GovukDateField
from ostsafe.core.validators import today, validate_nhs_number

from .messages import MUST_SHARE
from .models import MovementKind


class IssueBoxForm(forms.Form):
    issued_on = GovukDateField(label="Date issued", initial=today)
    acknowledgement_signed = forms.BooleanField(
        label="The service user signed to say they received the box and the advice that came with it",
        required=False,
    )


class IdentifyServiceUserForm(forms.Form):
    """Needle-exchange staff identify the person in front of them, without browsing anyone's record."""

    nhs_number = forms.CharField(
        label="NHS number",
        max_length=14,
        help_text="10 digits, like 943 476 5919",
        widget=forms.TextInput(attrs={"govuk_width": 10, "inputmode": "numeric"}),
        error_messages={"required": "Enter the NHS number"},
    )
    date_of_birth = GovukDateField(label="Date of birth")

    def clean_nhs_number(self):
        value = self.cleaned_data["nhs_number"].replace(" ", "")
        validate_nhs_number(value)
        return value


class IssueBoxInPersonForm(IdentifyServiceUserForm, IssueBoxForm):
    pass


class ReturnBoxForm(forms.Form):
    returned_on = GovukDateField(label="Date returned", initial=today)


class MustShareForm(forms.Form):
    discussed_on = GovukDateField(label="Date discussed", initial=today)
    points = forms.MultipleChoiceField(
        label="Points discussed",
        choices=[(key, text) for key, _, text in MUST_SHARE],
        widget=forms.CheckboxSelectMultiple,
        help_text="The guide says all of these must be shared with service users living with children",
        error_messages={"required": "Select the points you discussed"},
    )


class LeafletGivenForm(forms.Form):
    given_on = GovukDateField(label="Date given", initial=today)


class BoxMovementForm(forms.Form):
    kind = forms.ChoiceField(
        label="What happened",
        choices=[(k, label) for k, label in MovementKind.choices if k != MovementKind.ISSUED],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened"},
    )
    quantity = forms.IntegerField(
        label="How many boxes",
        min_value=1,
        max_value=1000,
        widget=forms.TextInput(attrs={"govuk_width": 4, "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many boxes",
            "invalid": "Enter a whole number of boxes, like 10",
            "min_value": "Enter at least 1 box",
        },
    )
    on = GovukDateField(label="Date", initial=today)
    note = forms.CharField(label="Note", required=False, max_length=200)
