"""Consent to share, and what is done when it is refused. Guide, "Joint working and information sharing": routine
notification needs the client's consent, "accompanied by an explanation and reassurance that routine notification is
part of supporting parents and their children earlier. If the client refuses to consent, this is recorded and a team
discussion takes place"; "a lack of parental consent to share information should be treated as a potential child
protection issue"."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from ostsafe.core import access
from ostsafe.core.fields import NoteField
from ostsafe.core.validators import validate_happened


class Purpose(models.TextChoices):
    ROUTINE_NOTIFICATION = "routine_notification", "Routine notification to the health visitor or school nurse"
    AGREEMENT = "agreement", "Share the guidance agreement"
    SAFETY_PLAN = "safety_plan", "Share the safety plan"
    UPDATES = "updates", "Updates on developments, significant changes and concerns"
    OTHER = "other", "Other (described)"


class Decision(models.TextChoices):
    GIVEN = "given", "Consent given"
    REFUSED = "refused", "Consent refused"


class ConsentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.household_q(user, prefix="household__"))

    def refused_or_withdrawn(self):
        return self.filter(Q(decision=Decision.REFUSED) | Q(withdrawn_at__isnull=False))


class Consent(models.Model):
    """One service user's consent to share with one professional in the family's network, for one purpose, over one
    period. Given or refused; a given consent may later be withdrawn (it stops counting at that moment)."""

    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="consents")
    service_user = models.ForeignKey("families.ServiceUser", on_delete=models.PROTECT, related_name="consents")
    recipient = models.ForeignKey(
        "families.Involvement",
        on_delete=models.PROTECT,
        related_name="consents",
        help_text="A professional in the family's network",
    )
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    purpose_detail = models.CharField("What is to be shared", max_length=200, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    decided_on = models.DateField("Date decided", validators=[validate_happened])
    valid_from = models.DateField("Covers from")
    valid_until = models.DateField("Review or end date", null=True, blank=True)
    explained_how = NoteField(
        "How it was explained",
        blank=True,
        help_text="What the service user was told about why and what is shared, and the reassurance given",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True, validators=[validate_happened])
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = NoteField("What the service user said", blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="consent_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(decision="given"),
                name="only_given_consent_is_withdrawn",
            ),
        ]
        indexes = [
            # The partner's reach: consents given to a network entry, from the household.
            models.Index(fields=["recipient", "decision"], name="consent_recipient_idx"),
            models.Index(fields=["household", "purpose"], name="consent_household_purpose_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.status_label(date.today()).lower()}"

    def is_current(self, as_of: date) -> bool:
        return (
            self.decision == Decision.GIVEN
            and self.withdrawn_at is None
            and self.valid_from <= as_of
            and (self.valid_until is None or self.valid_until >= as_of)
        )

    def status_label(self, as_of: date) -> str:
        if self.decision == Decision.REFUSED:
            return "Refused"
        if self.withdrawn_at is not None:
            return "Withdrawn"
        if self.valid_from > as_of:
            return "Not yet started"
        if self.valid_until is not None and self.valid_until < as_of:
            return "Ended"
        return "Given"

    @property
    def purpose_label(self) -> str:
        if self.purpose == Purpose.OTHER and self.purpose_detail:
            return self.purpose_detail
        return self.get_purpose_display()

    def clean(self):
        super().clean()
        errors = {}
        if self.purpose == Purpose.OTHER and not self.purpose_detail.strip():
            errors["purpose_detail"] = "Describe what is to be shared"
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = "The review or end date must be the same as or after the date consent covers from"
        if self.service_user_id and self.household_id and self.service_user.household_id != self.household_id:
            errors["service_user"] = "Choose someone who lives in this household"
        if self.recipient_id and self.household_id and self.recipient.household_id != self.household_id:
            errors["recipient"] = "Choose a professional in this family's network"
        if errors:
            raise ValidationError(errors)


class DiscussionOutcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    CHILD_PROTECTION_REFERRAL = "child_protection_referral", "Child protection referral"
    OTHER_INTERVENTION = "other_intervention", "Another intervention"


class TeamDiscussion(models.Model):
    """The team discussion after consent to routine notification is refused or withdrawn: whether the refusal, in the
    context of other risks, may constitute significant harm."""

    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="team_discussions")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="discussions")
    held_on = models.DateField("Date of the discussion", validators=[validate_happened])
    participants = NoteField("Who took part")
    other_risks = NoteField("Other risks considered")
    outcome = models.CharField(max_length=30, choices=DiscussionOutcome.choices)
    rationale = NoteField("Why this outcome")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Team discussion on {self.held_on:%-d %B %Y}: {self.get_outcome_display().lower()}"

    def clean(self):
        super().clean()
        if self.consent_id and self.household_id and self.consent.household_id != self.household_id:
            raise ValidationError({"consent": "Choose a consent decision of this family"})


class NotificationKind(models.TextChoices):
    ROUTINE = "routine", "Routine notification letter"
    UPDATE = "update", "Update on developments, significant changes or concerns"


class NotificationTemplate(models.Model):
    """A versioned letter. Published by migration, never edited: a sent letter keeps its words. Paragraphs name
    what they need in braces ({service_user}, {children}, {service}, {keyworker}, {development}...)."""

    kind = models.CharField(max_length=10, choices=NotificationKind.choices)
    version = models.PositiveIntegerField()
    subject = models.CharField(max_length=200)
    paragraphs = models.JSONField()
    published_on = models.DateField()

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="one_template_per_kind_version")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (version {self.version})"


class NotificationStatus(models.TextChoices):
    DRAFT = "draft", "Drafted, not sent"
    SENT = "sent", "Sent"
    CANCELLED = "cancelled", "Not sent"


class Notification(models.Model):
    """A letter to one professional in the family's network, under the consent that covers it: the routine
    notification, or an update on developments. Drafted, checked by the keyworker, sent (email with the letter as a
    PDF, and in the partner's shared view), acknowledged by the recipient, followed by a telephone call."""

    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="notifications")
    service_user = models.ForeignKey("families.ServiceUser", on_delete=models.PROTECT, related_name="notifications")
    recipient = models.ForeignKey("families.Involvement", on_delete=models.PROTECT, related_name="notifications")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="notifications")
    kind = models.CharField(max_length=10, choices=NotificationKind.choices)
    template = models.ForeignKey(NotificationTemplate, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=200)
    body = NoteField("Letter")
    development = models.CharField("What has happened", max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    drafted_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    emailed_to = models.EmailField(blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    call_on = models.DateField("Date of the call", null=True, blank=True, validators=[validate_happened])
    call_outcome = NoteField("What was agreed on the call", blank=True)
    call_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-drafted_at", "-id"]
        indexes = [models.Index(fields=["recipient", "status"], name="notification_recipient_idx")]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_status_display().lower()})"

    @property
    def is_sent(self) -> bool:
        return self.status == NotificationStatus.SENT


class PartnerReportKind(models.TextChoices):
    UPDATE = "update", "An update"
    CONCERN = "concern", "A concern"
    MISSED_HEALTH_CONTACT = "missed_health_contact", "A missed health-visiting contact"
    MISSED_IMMUNISATION = "missed_immunisation", "A missed immunisation"
    ROUTINE_NOT_AGE_APPROPRIATE = "routine_not_age_appropriate", "A child's routine not age-appropriate"
    SCHOOL_ATTENDANCE_LOW = "school_attendance_low", "School attendance below 90%"


# The guide's warning signs a partner sees first-hand (read by the warning-signs work).
CHILD_HEALTH_EVENTS = frozenset(
    {
        PartnerReportKind.MISSED_HEALTH_CONTACT,
        PartnerReportKind.MISSED_IMMUNISATION,
        PartnerReportKind.ROUTINE_NOT_AGE_APPROPRIATE,
        PartnerReportKind.SCHOOL_ATTENDANCE_LOW,
    }
)


class ConcernCategory(models.TextChoices):
    NEGLECT = "neglect", "Neglect or a child's needs not met"
    MEDICINE_SAFETY = "medicine_safety", "Medicine or drugs within a child's reach"
    PARENT_PRESENTATION = "parent_presentation", "A parent intoxicated or unwell"
    HOME_CONDITIONS = "home_conditions", "Home conditions"
    UNKNOWN_ADULTS = "unknown_adults", "Unknown adults in the home"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    OTHER = "other", "Other"


class PartnerReport(models.Model):
    """Something a partner tells the treatment service about a family: an update, a concern (with its category) or a
    child health event, as a structured record. The keyworker gets a task for each."""

    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="partner_reports")
    child = models.ForeignKey(
        "families.HouseholdMember", on_delete=models.PROTECT, null=True, blank=True, related_name="partner_reports"
    )
    kind = models.CharField(max_length=30, choices=PartnerReportKind.choices)
    category = models.CharField(max_length=30, choices=ConcernCategory.choices, blank=True)
    attendance_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    happened_on = models.DateField("When it happened", validators=[validate_happened])
    details = NoteField("What happened")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.happened_on:%-d %B %Y}"

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == PartnerReportKind.CONCERN and not self.category:
            errors["category"] = "Select what the concern is about"
        if self.kind in CHILD_HEALTH_EVENTS and not self.child_id:
            errors["child"] = "Select the child it is about"
        if self.kind == PartnerReportKind.SCHOOL_ATTENDANCE_LOW:
            if self.attendance_percent is None:
                errors["attendance_percent"] = "Enter the attendance, as a percentage"
            elif self.attendance_percent >= 90:
                errors["attendance_percent"] = "Attendance of 90% or more is not below the threshold"
        elif self.attendance_percent is not None and self.attendance_percent > 100:
            errors["attendance_percent"] = "Attendance cannot be more than 100%"
        if self.child_id and self.household_id and self.child.household_id != self.household_id:
            errors["child"] = "Choose a child of this family"
        if errors:
            raise ValidationError(errors)


# Sharing without consent ----------------------------------------------------------------------------------------------


class ShareScope(models.TextChoices):
    """What a decision to share covers. The shared view (who the family are, who to contact) always comes with it."""

    SUMMARY = "summary", "Who the family are, who leads and how to reach them"
    AGREEMENT = "agreement", "The guidance agreement"
    SAFETY_PLAN = "safety_plan", "The safety plan"
    RISK_ASSESSMENT = "risk_assessment", "The whole-family risk assessment"
    TEST_RESULTS = "test_results", "Drug and alcohol test results"
    DISPENSING = "dispensing", "Dispensing and attendance history"
    UPDATES = "updates", "Updates on developments and concerns"


class Article6Basis(models.TextChoices):
    PUBLIC_TASK = "public_task", "UK GDPR Article 6(1)(e): a task in the public interest or in official authority"
    LEGAL_OBLIGATION = "legal_obligation", "UK GDPR Article 6(1)(c): a legal obligation"
    VITAL_INTERESTS = "vital_interests", "UK GDPR Article 6(1)(d): vital interests"


class SpecialCategoryCondition(models.TextChoices):
    SAFEGUARDING = (
        "safeguarding",
        "DPA 2018 Schedule 1 paragraph 18: safeguarding of children and of individuals at risk",
    )
    HEALTH_OR_SOCIAL_CARE = "health_or_social_care", "DPA 2018 Schedule 1 paragraph 2: health or social care purposes"


class DecisionStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", "Waiting for a manager's approval"
    APPROVED = "approved", "Approved"
    NOT_APPROVED = "not_approved", "Not approved"


class SharingDecision(models.Model):
    """A decision to share without consent, or not to share ("record the reasons, whether or not you share"): what,
    with whom, why, on what lawful basis, whether the family was told, approved by a manager, for a period. An approved
    decision to share opens the shared view to its recipient, with what it covers."""

    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="sharing_decisions")
    service_user = models.ForeignKey("families.ServiceUser", on_delete=models.PROTECT, related_name="sharing_decisions")
    recipient = models.ForeignKey("families.Involvement", on_delete=models.PROTECT, related_name="sharing_decisions")
    share = models.BooleanField("Decision")
    scopes = models.JSONField("What is shared", default=list, blank=True)
    reason = NoteField("Why")
    article_6_basis = models.CharField(max_length=30, choices=Article6Basis.choices, blank=True)
    special_category_condition = models.CharField(max_length=30, choices=SpecialCategoryCondition.choices, blank=True)
    family_told = models.BooleanField("Was the family told?")
    not_told_reason = NoteField("Why the family was not told", blank=True)
    decided_on = models.DateField("Date decided", validators=[validate_happened])
    valid_from = models.DateField("Covers from", null=True, blank=True)
    valid_until = models.DateField("Until", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.AWAITING_APPROVAL)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = NoteField("Manager's note", blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="sharing_decision_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "share", "status"], name="decision_recipient_idx")]

    def __str__(self) -> str:
        what = "Share" if self.share else "Not to share"
        return f"{what} without consent: {self.get_status_display().lower()}"

    def is_current(self, as_of: date) -> bool:
        return (
            self.share
            and self.status == DecisionStatus.APPROVED
            and self.valid_from is not None
            and self.valid_from <= as_of
            and (self.valid_until is None or self.valid_until >= as_of)
        )

    def scope_labels(self) -> list[str]:
        labels = dict(ShareScope.choices)
        return [labels.get(s, s) for s in self.scopes]

    def clean(self):
        super().clean()
        errors = {}
        unknown = [s for s in self.scopes or [] if s not in ShareScope.values]
        if unknown:
            errors["scopes"] = "Choose what is shared from the list"
        if self.share:
            if not self.scopes:
                errors["scopes"] = "Select what is to be shared"
            if not self.article_6_basis:
                errors["article_6_basis"] = "Select the lawful basis under UK GDPR Article 6"
            if not self.special_category_condition:
                errors["special_category_condition"] = (
                    "Select the condition for sharing health information (DPA 2018 Schedule 1)"
                )
            if self.valid_from is None:
                errors["valid_from"] = "Enter the date sharing starts"
            if self.valid_until is None:
                errors["valid_until"] = (
                    "Enter when this decision ends or is reviewed: sharing without consent is for a period"
                )
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = "The end date must be the same as or after the start"
        if self.family_told is False and not self.not_told_reason.strip():
            errors["not_told_reason"] = "Record why the family was not told (for example, it would put a child at risk)"
        if self.service_user_id and self.household_id and self.service_user.household_id != self.household_id:
            errors["service_user"] = "Choose someone who lives in this household"
        if self.recipient_id and self.household_id and self.recipient.household_id != self.household_id:
            errors["recipient"] = "Choose a professional in this family's network"
        if errors:
            raise ValidationError(errors)


# Referrals to children's social care ----------------------------------------------------------------------------------


class ReferralOutcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    EARLY_HELP = "early_help", "Early help"
    CHILD_IN_NEED = "child_in_need", "Child in need (section 17)"
    SECTION_47 = "section_47", "Child protection enquiry (section 47)"
    CHILD_PROTECTION_PLAN = "child_protection_plan", "Child protection plan"


# Outcomes after which a referral stays open for the social worker (child protection work continues).
OPEN_OUTCOMES = frozenset({ReferralOutcome.SECTION_47, ReferralOutcome.CHILD_PROTECTION_PLAN})


class Referral(models.Model):
    """A child protection referral to children's social care (Working Together 2023): the children, the concerns and
    how they arose, what is first-hand and what third-party, the assessments and plans that go with it, the parents'
    views and whether they know, the children's whereabouts, how to reach the referrer. Sent, acknowledged, decided."""

    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="referrals")
    children = models.ManyToManyField("families.HouseholdMember", related_name="referrals")
    # Guide, "Managing practice": the front door picked from the local directory, with its referral route and hours.
    service = models.ForeignKey(
        "directory.LocalService",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name="Front door, from the local directory",
    )
    sent_to = models.CharField("Referred to", max_length=200, help_text="Children's social care front door or MASH")
    concerns = NoteField("The concerns")
    how_concerns_arose = NoteField("How the concerns arose")
    first_hand = NoteField("What you have seen or heard yourself")
    third_party = NoteField("What others have told you, and who", blank=True)
    parents_views = NoteField("The parents' or carers' views", blank=True)
    parents_know = models.BooleanField("Do the parents or carers know about the referral?")
    parents_not_told_reason = NoteField("Why they were not told", blank=True)
    whereabouts = models.CharField("Where the children are now", max_length=300)
    referrer_contact = models.CharField("How to reach you", max_length=300)
    include_assessment = models.BooleanField("Attach the latest risk assessment", default=True)
    include_plan = models.BooleanField("Attach the safety plan", default=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_on = models.DateField("Date of the referral", validators=[validate_happened])
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_on = models.DateField(null=True, blank=True, validators=[validate_happened])
    acknowledged_by_name = models.CharField("Acknowledged by", max_length=200, blank=True)
    decided_on = models.DateField("Date of the decision", null=True, blank=True, validators=[validate_happened])
    outcome = models.CharField(max_length=30, choices=ReferralOutcome.choices, blank=True)
    outcome_note = NoteField("What children's social care said", blank=True)
    closed_on = models.DateField(null=True, blank=True, validators=[validate_happened])

    class Meta:
        ordering = ["-made_on", "-id"]
        indexes = [models.Index(fields=["household", "closed_on"], name="referral_open_idx")]

    def __str__(self) -> str:
        return f"Child protection referral of {self.made_on:%-d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.sent_at is not None and self.closed_on is None

    def clean(self):
        super().clean()
        errors = {}
        if self.parents_know is False and not self.parents_not_told_reason.strip():
            errors["parents_not_told_reason"] = "Record why the parents or carers were not told"
        if self.acknowledged_on and self.made_on and self.acknowledged_on < self.made_on:
            errors["acknowledged_on"] = "The acknowledgement cannot be before the referral"
        if self.decided_on and self.made_on and self.decided_on < self.made_on:
            errors["decided_on"] = "The decision cannot be before the referral"
        if errors:
            raise ValidationError(errors)


# Break-glass ----------------------------------------------------------------------------------------------------------


class BreakGlassReview(models.TextChoices):
    APPROPRIATE = "appropriate", "Appropriate"
    NOT_APPROPRIATE = "not_appropriate", "Not appropriate"


class BreakGlassGrant(models.Model):
    """Emergency access to a family beyond the user's reach: a reason, a time limit, every page read during it
    audited as break-glass, and a review by the managers."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants")
    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="break_glass_grants")
    reason = NoteField("Why you need to open this record now")
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    review = models.CharField(max_length=20, choices=BreakGlassReview.choices, blank=True)
    review_note = NoteField("Note", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at", "-id"]
        indexes = [models.Index(fields=["user", "expires_at"], name="break_glass_current_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=F("granted_at")), name="break_glass_expires_after_grant")
        ]

    def __str__(self) -> str:
        return f"Break-glass by {self.user} at {self.granted_at:%-d %B %Y %H:%M}"
