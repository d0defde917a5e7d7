from django import forms

from ostsafe.core.forms import GovukDateField, govuk_required_messages, preselect_only_choice
from ostsafe.core.validators import today
from ostsafe.directory import selectors as directory
from ostsafe.directory.models import ServiceKind
from ostsafe.families.models import MemberRole

from .models import (
    Article6Basis,
    BreakGlassReview,
    ConcernCategory,
    Decision,
    DiscussionOutcome,
    PartnerReportKind,
    Purpose,
    ReferralOutcome,
    ShareScope,
    SpecialCategoryCondition,
)


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
    decided_on = GovukDateField(label="Date decided", help_text="For example, 27 3 2026", initial=today)
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
        preselect_only_choice(self, "service_user")
        recipients = forms.ModelMultipleChoiceField(
            label="Who would receive the information?",
            queryset=household.network.filter(end_date__isnull=True).select_related("professional__organisation"),
            widget=forms.CheckboxSelectMultiple,
            help_text="Tick everyone the service user decided about: each gets their own consent record. Add "
            "someone to the network first if they are not here",
            error_messages={"required": "Select who would receive the information"},
        )
        recipients.label_from_instance = lambda i: f"{i.display_name}, {i.role_in_family} ({i.display_organisation})"
        self.fields["recipients"] = recipients
        self.order_fields(["service_user", "recipients", "purpose", "purpose_detail", "decision"])
        govuk_required_messages(self)


class WithdrawConsentForm(forms.Form):
    withdrawn_on = GovukDateField(label="Date consent was withdrawn", initial=today)
    note = forms.CharField(
        label="What did the service user say?", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_required_messages(self)


class TeamDiscussionForm(forms.Form):
    held_on = GovukDateField(label="Date of the discussion", initial=today)
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
    call_on = GovukDateField(label="Date of the call", initial=today)
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
    happened_on = GovukDateField(label="When did it happen?", initial=today)
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


class SharingDecisionForm(forms.Form):
    service_user = forms.ModelChoiceField(
        label="Whose information is it?", queryset=None, widget=forms.RadioSelect, empty_label=None
    )
    share = forms.TypedChoiceField(
        label="What did you decide?",
        choices=[("yes", "To share without consent"), ("no", "Not to share")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    scopes = forms.MultipleChoiceField(
        label="What is shared?",
        choices=ShareScope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only what is necessary and proportionate. Leave empty for a decision not to share",
    )
    reason = forms.CharField(
        label="Why?",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The risk to the child, why consent was not sought or was overridden, and why sharing (or not) is "
        "necessary and proportionate",
    )
    article_6_basis = forms.ChoiceField(
        label="Lawful basis (UK GDPR Article 6)",
        choices=Article6Basis.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    special_category_condition = forms.ChoiceField(
        label="Condition for health information (DPA 2018 Schedule 1)",
        choices=SpecialCategoryCondition.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    family_told = forms.TypedChoiceField(
        label="Was the family told?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    not_told_reason = forms.CharField(
        label="If not, why not?", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    decided_on = GovukDateField(label="Date decided", initial=today)
    valid_until = GovukDateField(label="Until", required=False, help_text="When sharing ends or is reviewed")

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_user"].queryset = household.service_users.filter(discharged_on__isnull=True)
        preselect_only_choice(self, "service_user")
        self.fields["recipient"] = _recipient_field(household)
        self.fields["recipient"].label = "With whom?"
        self.order_fields(["service_user", "recipient", "share", "scopes"])
        govuk_required_messages(self)


class ApproveDecisionForm(forms.Form):
    approved = forms.TypedChoiceField(
        label="Do you approve this decision?",
        choices=[("yes", "Yes, approve it"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Your note", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_required_messages(self)


class ReferralForm(forms.Form):
    children = forms.ModelMultipleChoiceField(
        label="Which children is the referral about?", queryset=None, widget=forms.CheckboxSelectMultiple
    )
    service = forms.ModelChoiceField(
        label="Referred to", queryset=None, required=False, empty_label="Not in the directory"
    )
    sent_to = forms.CharField(
        label="Or, if it is not in the directory, who the referral goes to",
        max_length=200,
        required=False,
        help_text="The children's social care front door or MASH",
    )
    concerns = forms.CharField(label="The concerns", widget=forms.Textarea(attrs={"rows": 5}))
    how_concerns_arose = forms.CharField(label="How the concerns arose", widget=forms.Textarea(attrs={"rows": 3}))
    first_hand = forms.CharField(label="What you have seen or heard yourself", widget=forms.Textarea(attrs={"rows": 3}))
    third_party = forms.CharField(
        label="What others have told you, and who", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    parents_views = forms.CharField(
        label="The parents' or carers' views", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    parents_know = forms.TypedChoiceField(
        label="Do the parents or carers know about the referral?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    parents_not_told_reason = forms.CharField(
        label="If not, why not?", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    whereabouts = forms.CharField(label="Where the children are now", max_length=300)
    referrer_contact = forms.CharField(label="How to reach you", max_length=300)
    include_assessment = forms.BooleanField(label="Attach the latest risk assessment", required=False)
    include_plan = forms.BooleanField(label="Attach the safety plan", required=False)
    made_on = GovukDateField(label="Date of the referral", initial=today)

    def __init__(self, *args, household, as_of, **kwargs):
        super().__init__(*args, **kwargs)
        children = household.members.current(as_of).filter(role=MemberRole.CHILD).order_by("date_of_birth", "pk")
        self.fields["children"].queryset = children
        only = [] if self.is_bound else list(children[:2])
        if len(only) == 1:
            self.initial.setdefault("children", [only[0].pk])
        self.fields["children"].label_from_instance = lambda c: f"{c.given_name or 'Unborn baby'} ({c.age_label})"
        doors = list(directory.to_choose_from([ServiceKind.FRONT_DOOR]))
        self.fields["service"].queryset = directory.to_choose_from([ServiceKind.FRONT_DOOR])
        if len(doors) == 1 and not self.is_bound:
            self.initial.setdefault("service", doors[0].pk)
        # Guide, "Joint working": how the front door takes referrals and when it is open, where the choice is made.
        self.fields["service"].help_text = " ".join(
            f"{door.name}: {door.referral_route} Open {door.hours}. Out of hours: {door.out_of_hours}."
            for door in doors
        )
        govuk_required_messages(self)
        self.fields["children"].error_messages["required"] = "Select the child or children the referral is about"

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("service") and not cleaned.get("sent_to"):
            self.add_error("service", "Choose the front door the referral goes to, or enter who it goes to")
        return cleaned


class ReferralResponseForm(forms.Form):
    acknowledged_on = GovukDateField(label="Date acknowledged", required=False)
    acknowledged_by_name = forms.CharField(label="Acknowledged by", max_length=200, required=False)
    decided_on = GovukDateField(label="Date of the decision", required=False)
    outcome = forms.ChoiceField(
        label="Decision", choices=[("", "Not yet")] + ReferralOutcome.choices, required=False, widget=forms.RadioSelect
    )
    outcome_note = forms.CharField(
        label="What children's social care said", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class CloseReferralForm(forms.Form):
    closed_on = GovukDateField(label="Date child protection work ended", initial=today)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_required_messages(self)


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to open this record now?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: the service user is at our hub, unwell, and says a child is alone at home",
    )
    understood = forms.BooleanField(
        label="I understand that every page I read is recorded and reviewed by my manager and the family's team manager"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_required_messages(self)
        self.fields["understood"].error_messages["required"] = "Confirm that you understand the access is reviewed"


class BreakGlassReviewForm(forms.Form):
    review = forms.ChoiceField(
        label="Was the access appropriate?", choices=BreakGlassReview.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_required_messages(self)


class ChronologyFilterForm(forms.Form):
    """Filters of the chronology, from the query string: which kinds of event, and between which dates."""

    kinds = forms.MultipleChoiceField(label="Show", required=False, widget=forms.CheckboxSelectMultiple)
    since = GovukDateField(label="From", required=False)
    until = GovukDateField(label="To", required=False)

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(s.key, s.label) for s in sources]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "The end of the period must be the same as or after its start")
        return cleaned
