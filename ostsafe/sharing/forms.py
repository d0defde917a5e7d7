from django import forms

from ostsafe.core.forms import GovukDateField, govuk_required_messages
from ostsafe.families.models import MemberRole

from .models import ConcernCategory, Decision, DiscussionOutcome, PartnerReportKind, Purpose


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


class SendNotificationForm(forms.Form):
    """Sending a drafted letter. An update's words are the keyworker's to check and change; a routine notification
    keeps its template's words."""

    body = forms.CharField(label="The letter", widget=forms.Textarea(attrs={"rows": 14}), max_length=10_000)

    def __init__(self, *args, editable: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not editable:
            del self.fields["body"]
        govuk_required_messages(self)


class CancelNotificationForm(forms.Form):
    reason = forms.CharField(label="Why is it not being sent?", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_required_messages(self)


class FollowUpCallForm(forms.Form):
    call_on = GovukDateField(label="Date of the call")
    outcome = forms.CharField(
        label="What was agreed on the call?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, how you will keep each other informed, and when you will next speak",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_required_messages(self)


class PartnerReportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you telling the service?", choices=PartnerReportKind.choices, widget=forms.RadioSelect
    )
    child = forms.ModelChoiceField(
        label="Which child is it about?",
        queryset=None,
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="Needed for a child health event",
    )
    category = forms.ChoiceField(
        label="What is the concern about?",
        choices=ConcernCategory.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Only for a concern",
    )
    attendance_percent = forms.IntegerField(
        label="School attendance (%)",
        required=False,
        min_value=0,
        max_value=100,
        help_text="Only for school attendance",
    )
    happened_on = GovukDateField(label="When did it happen?")
    details = forms.CharField(label="What happened?", widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000)

    def __init__(self, *args, household, as_of, **kwargs):
        super().__init__(*args, **kwargs)
        children = household.members.current(as_of).filter(role=MemberRole.CHILD).order_by("date_of_birth", "pk")
        self.fields["child"].queryset = children
        self.fields["child"].label_from_instance = lambda c: f"{c.given_name or 'Unborn baby'} ({c.age_label})"
        govuk_required_messages(self)
        self.fields["attendance_percent"].error_messages.update(
            invalid="Enter the attendance as a whole number, like 85",
            min_value="Attendance cannot be less than 0%",
            max_value="Attendance cannot be more than 100%",
        )
