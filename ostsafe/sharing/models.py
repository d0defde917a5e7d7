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
