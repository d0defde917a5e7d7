"""Warning signs. Guide, "Professional curiosity and challenge": "work with evidence, not optimism", and be aware of
the warning signs. A flag is a sign found in a family's record (or raised by a practitioner), with its evidence; it
fires once when its rule starts to hold, stays while it holds, clears when it stops, and is acknowledged with what
was done about it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from ostsafe.core.access import outside_professional_choices
from ostsafe.core.fields import NoteField
from ostsafe.core.validators import validate_happened

PROFESSIONAL_CHOICES = outside_professional_choices()


class WarningSignPolicy(models.Model):
    """Configurable windows (defaults in docs/rules.md; an administrator changes them in Django admin)."""

    concern_window_days = models.PositiveSmallIntegerField(
        default=90, help_text="A concern from others counts as a warning sign for this many days"
    )
    child_event_window_days = models.PositiveSmallIntegerField(
        default=180, help_text="A missed child health appointment or an unsuitable routine counts for this many days"
    )
    attendance_recent_days = models.PositiveSmallIntegerField(
        default=42, help_text="Sign 1: the recent window whose attendance is compared with the person's own baseline"
    )
    attendance_baseline_days = models.PositiveSmallIntegerField(
        default=182, help_text="Sign 1: the baseline, the days before the recent window"
    )
    attendance_min_appointments = models.PositiveSmallIntegerField(
        default=3, help_text="Sign 1: fewer appointments than this in either window and the sign is unknown"
    )
    attendance_change_percent = models.PositiveSmallIntegerField(
        default=34, help_text="Sign 1: a fall or a jump of this many percentage points against the baseline"
    )
    attendance_min_difference = models.PositiveSmallIntegerField(
        default=2,
        help_text="Sign 1: the recent window must differ by at least this many appointments from what the person's "
        "own baseline rate would give (so that one appointment more or less, by chance, is not a change)",
    )
    disengagement_window_days = models.PositiveSmallIntegerField(
        default=28, help_text="Sign 3: the window for missed appointments and runs of missed doses"
    )
    disengagement_missed_appointments = models.PositiveSmallIntegerField(
        default=2, help_text="Sign 3: this many missed appointments in the window"
    )
    no_contact_days = models.PositiveSmallIntegerField(
        default=42, help_text="Sign 3: no attended appointment and no home visit for this many days"
    )
    compliance_window_days = models.PositiveSmallIntegerField(
        default=90,
        help_text="Sign 9: what was noticed (at a review or on the Warning signs tab) counts for this many days",
    )
    compliance_before_review_days = models.PositiveSmallIntegerField(
        default=28, help_text="Sign 9: the weeks before a review or meeting whose attendance is looked at"
    )
    compliance_low_rate_percent = models.PositiveSmallIntegerField(
        default=50,
        help_text="Sign 9: full attendance before a review after a rate at or below this in the half-year before",
    )
    compliance_action_overdue_days = models.PositiveSmallIntegerField(
        default=14, help_text="Sign 9: a plan action still under way this many days after its date"
    )
    compliance_deferrals = models.PositiveSmallIntegerField(
        default=2, help_text="Sign 9: a plan action whose date was moved on this many different days"
    )
    compliance_assessments = models.PositiveSmallIntegerField(
        default=3, help_text="Sign 9: the number of completed assessments compared for no change across domains"
    )
    compliance_domains = models.PositiveSmallIntegerField(
        default=2, help_text="Sign 9: this many domains with no improvement across those assessments"
    )
    compliance_contacts = models.PositiveSmallIntegerField(
        default=12, help_text="Sign 9: despite at least this many contacts (attended appointments and home visits)"
    )
    acknowledge_days = models.PositiveSmallIntegerField(
        default=5, help_text="A flag not acknowledged after this many days goes to the team manager"
    )

    class Meta:
        verbose_name_plural = "warning sign policy"

    def __str__(self) -> str:
        return "Warning sign policy"

    @classmethod
    def current(cls) -> "WarningSignPolicy":
        return cls.objects.order_by("pk").first() or cls()


class FlagAction(models.TextChoices):
    DISCUSSED_WITH_SERVICE_USER = "discussed_with_service_user", "Discussed with the service user"
    DISCUSSED_IN_SUPERVISION = "discussed_in_supervision", "Discussed in supervision"
    PLAN_CHANGED = "plan_changed", "Safety plan changed"
    INFORMATION_SHARED = "information_shared", "Information shared with partners"
    REFERRAL_MADE = "referral_made", "Referral made"
    NO_ACTION = "no_action", "No action (say why)"


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(cleared_at__isnull=True)

    def unacknowledged_on(self, day):
        """Flags raised by `day` and, at the end of it, neither cleared nor acknowledged: a past month's figures."""
        return self.filter(raised_on__lte=day).filter(
            Q(cleared_at__isnull=True) | Q(cleared_at__date__gt=day),
            Q(acknowledged_at__isnull=True) | Q(acknowledged_at__date__gt=day),
        )


class Flag(models.Model):
    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="warning_flags")
    sign = models.CharField(max_length=40)
    raised_at = models.DateTimeField()
    raised_on = models.DateField()
    evidence = models.JSONField(default=list, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who raised it by hand (empty: the rule found it)",
    )
    reason = NoteField(blank=True)
    cleared_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=40, choices=FlagAction.choices, blank=True)
    action_note = NoteField("What was done", blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "sign"], condition=Q(cleared_at__isnull=True), name="one_open_flag_per_sign"
            )
        ]
        indexes = [models.Index(fields=["household", "cleared_at"], name="flag_open_idx")]

    def __str__(self) -> str:
        return f"{self.sign} raised {self.raised_on:%-d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None


class ObservationKind(models.TextChoices):
    SUDDEN_COMPLIANCE = "sudden_compliance", "Sudden compliance with requests"
    AGREEMENT_WITH_SANCTIONS = "agreement_with_sanctions", "Unexpected agreement with sanctions"
    REPORTED_CONTACT = "reported_contact", "Said they had been in contact with another professional"


class ProfessionalSays(models.TextChoices):
    NOT_CHECKED = "not_checked", "Not checked yet"
    CONFIRMED = "confirmed", "Their record confirms it"
    CONTRADICTED = "contradicted", "Their record does not show it"


class Observation(models.Model):
    """What a practitioner noticed that might suggest disguised compliance (guide, "Professional curiosity"): sudden
    compliance with requests, unexpected agreement with sanctions, or the service user's account of contact with
    another professional, checked against that professional's record. The behaviour, never a conclusion."""

    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="+")
    service_user = models.ForeignKey("families.ServiceUser", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=ObservationKind.choices)
    noticed_on = models.DateField("When you noticed it", validators=[validate_happened])
    note = NoteField("What you saw or heard")
    professional = models.CharField("Which professional", max_length=30, choices=PROFESSIONAL_CHOICES, blank=True)
    contact_on = models.DateField(
        "When they said the contact was", null=True, blank=True, validators=[validate_happened]
    )
    professional_says = models.CharField(
        "What that professional's record says",
        max_length=20,
        choices=ProfessionalSays.choices,
        default=ProfessionalSays.NOT_CHECKED,
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-noticed_on", "-id"]
        indexes = [models.Index(fields=["household", "noticed_on"], name="observation_household_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} noticed {self.noticed_on:%-d %B %Y}"

    def clean(self):
        super().clean()
        if self.kind == ObservationKind.REPORTED_CONTACT:
            errors = {}
            if not self.professional:
                errors["professional"] = "Select which professional they said they had seen"
            if self.contact_on is None:
                errors["contact_on"] = "Enter when they said the contact was"
            if errors:
                raise ValidationError(errors)
