from django import forms

from ostsafe.core.forms import GovukDateField, govuk_required_messages

from .models import Decision, DiscussionOutcome, Purpose


def _recipient_field(household) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        label="Who would receive the information?",
        queryset=household.network.filter(end_date__isnull=True).select_related("professional__organisation"),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="Professionals in the family's network. Add someone to the network first if they are not here",
    )
    field.label_from_instance = lambda i: f"{i.display_name}, {i.role_in_family} ({i.display_organisation})"
    return field


class ConsentForm(forms.Form):
    service_user = forms.ModelChoiceField(
        label="Whose consent is it?", queryset=None, widget=forms.RadioSelect, empty_label=None
    )
    purpose = forms.ChoiceField(label="What is to be shared?", choices=Purpose.choices, widget=forms.RadioSelect)
    purpose_detail = forms.CharField(
        label="Describe what is to be shared", max_length=200, required=False, help_text="Only for Other"
    )
    decision = forms.ChoiceField(
        label="What did the service user decide?", choices=Decision.choices, widget=forms.RadioSelect
    )
    decided_on = GovukDateField(label="Date decided", help_text="For example, 27 3 2026")
    valid_until = GovukDateField(
        label="Review or end date",
        required=False,
        help_text="When consent should be checked again or ends. Leave empty to review it at the next assessment",
    )
    explained_how = forms.CharField(
        label="How was it explained?",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="For routine notification: that it is not a referral, that it is part of supporting parents and "
        "their children earlier, and what the health visitor or school nurse will be told",
    )

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_user"].queryset = household.service_users.filter(discharged_on__isnull=True)
        self.fields["recipient"] = _recipient_field(household)
        self.order_fields(["service_user", "recipient", "purpose", "purpose_detail", "decision"])
        govuk_required_messages(self)


class WithdrawConsentForm(forms.Form):
    withdrawn_on = GovukDateField(label="Date consent was withdrawn")
    note = forms.CharField(
        label="What did the service user say?", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_required_messages(self)


class TeamDiscussionForm(forms.Form):
    held_on = GovukDateField(label="Date of the discussion")
    participants = forms.CharField(label="Who took part?", widget=forms.Textarea(attrs={"rows": 2}))
    other_risks = forms.CharField(
        label="What other risks were considered?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The refusal in the context of the family's other risks: could it constitute significant harm?",
    )
    outcome = forms.ChoiceField(label="Outcome", choices=DiscussionOutcome.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(label="Why this outcome?", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_required_messages(self)
