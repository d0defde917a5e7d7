"""OST prescriptions. Guide, "OST and risk reduction": safeguarding children is a primary factor in which drug is
prescribed and whether take-home doses are allowed; the take-home decision checks arrive with the assessment issue."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from ostsafe.core import access
from ostsafe.core.fields import NoteField
from ostsafe.core.roles import OrganisationType
from ostsafe.core.validators import today, validate_plannable


class Drug(models.TextChoices):
    METHADONE_ORAL_SOLUTION = "methadone_oral_solution", "Methadone oral solution 1mg/ml"
    BUPRENORPHINE_SUBLINGUAL = "buprenorphine_sublingual", "Buprenorphine sublingual tablets"
    BUPRENORPHINE_NALOXONE = "buprenorphine_naloxone", "Buprenorphine with naloxone sublingual tablets"
    BUPRENORPHINE_PROLONGED_RELEASE = "buprenorphine_prolonged_release", "Prolonged-release buprenorphine injection"


class DoseUnit(models.TextChoices):
    ML = "ml", "ml"
    MG = "mg", "mg"


class Regime(models.TextChoices):
    SUPERVISED_DAILY = "supervised_daily", "Supervised consumption, daily"
    DAILY_COLLECTION = "daily_collection", "Daily collection"
    TAKE_HOME = "take_home", "Take-home doses"
    # Prolonged-release buprenorphine is injected weekly or monthly by the service: nothing is dispensed.
    ADMINISTERED = "administered", "Injection given by the service"


class PrescriptionQuerySet(models.QuerySet):
    def current(self, as_of: date | None = None):
        as_of = as_of or today()
        return self.filter(start_date__lte=as_of).filter(Q(end_date__isnull=True) | Q(end_date__gte=as_of))


class Prescription(models.Model):
    service_user = models.ForeignKey("families.ServiceUser", on_delete=models.PROTECT, related_name="prescriptions")
    drug = models.CharField(max_length=40, choices=Drug.choices)
    daily_dose = models.DecimalField(max_digits=7, decimal_places=2)
    dose_unit = models.CharField(max_length=4, choices=DoseUnit.choices)
    regime = models.CharField(max_length=20, choices=Regime.choices)
    take_home_days = models.PositiveSmallIntegerField("Days of take-home doses per collection", null=True, blank=True)
    pharmacy = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="dispensed_prescriptions",
        null=True,
        blank=True,
        limit_choices_to={"type": OrganisationType.COMMUNITY_PHARMACY},
    )
    prescriber = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="prescriptions_written",
    )
    start_date = models.DateField(validators=[validate_plannable])
    end_date = models.DateField(null=True, blank=True, validators=[validate_plannable])
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PrescriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(daily_dose__gt=0), name="prescription_dose_positive"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="prescription_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_drug_display()} {self.dose_label} daily"

    @property
    def dose_label(self) -> str:
        dose = self.daily_dose.normalize() if self.daily_dose is not None else ""
        return f"{dose:f}{self.dose_unit}" if dose != "" else ""

    @property
    def regime_label(self) -> str:
        if self.regime == Regime.TAKE_HOME and self.take_home_days:
            return f"Take-home: {self.take_home_days} day{'s' if self.take_home_days != 1 else ''} per collection"
        return self.get_regime_display()

    @property
    def has_take_home_doses(self) -> bool:
        return self.regime == Regime.TAKE_HOME

    def is_current(self, as_of: date | None = None) -> bool:
        as_of = as_of or today()
        return self.start_date <= as_of and (self.end_date is None or self.end_date >= as_of)

    # The one statement of when a dose is expected and how much. The dispensing import's set-based SQL restates it
    # (pharmacy/imports.py, benchmarked); the parity test there compares the two on the same file.
    def expects_dose_on(self, day: date) -> bool:
        """Daily regimes expect a dose every day; take-home regimes a collection every N days from the start; the
        injection, given by the service, nothing at a pharmacy."""
        if not self.is_current(day) or self.regime == Regime.ADMINISTERED:
            return False
        if self.regime == Regime.TAKE_HOME:
            return (day - self.start_date).days % (self.take_home_days or 1) == 0
        return True

    @property
    def dose_per_collection(self) -> Decimal:
        """What is handed over when a dose is expected: the daily dose, times the days a take-home collection covers."""
        days = self.take_home_days if self.regime == Regime.TAKE_HOME else 1
        return self.daily_dose * (days or 1)

    def clean(self):
        super().clean()
        errors = {}
        if self.daily_dose is not None and self.daily_dose <= 0:
            errors["daily_dose"] = "The daily dose must be more than 0"
        if self.regime == Regime.TAKE_HOME:
            if not self.take_home_days or not 1 <= self.take_home_days <= 14:
                errors["take_home_days"] = (
                    "Enter how many days of take-home doses are given at each collection, 1 to 14"
                )
        elif self.take_home_days:
            errors["take_home_days"] = "Only take-home regimes have take-home days. Clear this or change the regime"
        if self.drug == Drug.METHADONE_ORAL_SOLUTION and self.dose_unit and self.dose_unit != DoseUnit.ML:
            errors["dose_unit"] = "Methadone oral solution is prescribed in ml"
        if self.drug and self.drug != Drug.METHADONE_ORAL_SOLUTION and self.dose_unit and self.dose_unit != DoseUnit.MG:
            errors["dose_unit"] = "Buprenorphine is prescribed in mg"
        injection = self.drug == Drug.BUPRENORPHINE_PROLONGED_RELEASE
        if self.drug and self.regime and injection != (self.regime == Regime.ADMINISTERED):
            errors["regime"] = (
                "Prolonged-release injection is given by the service: choose 'Injection given by the service'"
                if injection
                else "Only prolonged-release injection is given by the service. Choose how this drug is dispensed"
            )
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date must be the same as or after the start date"
        if not self.pharmacy_id and self.regime and self.regime != Regime.ADMINISTERED:
            errors["pharmacy"] = "Choose the pharmacy that dispenses this prescription"
        if self.pharmacy_id and self.pharmacy.type != OrganisationType.COMMUNITY_PHARMACY:
            errors["pharmacy"] = "Choose a community pharmacy"
        if self.prescriber_id and self.service_user_id:
            eligible = access.prescribers_q(organisation_id=self.service_user.household.team.organisation_id)
            if not type(self.prescriber).objects.filter(eligible, pk=self.prescriber_id).exists():
                errors["prescriber"] = "Choose a prescriber of the service this family belongs to"
        if errors:
            raise ValidationError(errors)


# What a prescriber decides: the fields of the form and the API, and what the prescription's history keeps (guide:
# safeguarding is a primary factor in every prescribing decision, so each change stays visible, not only the latest).
PRESCRIBED_FIELDS = (
    "drug",
    "daily_dose",
    "dose_unit",
    "regime",
    "take_home_days",
    "pharmacy",
    "prescriber",
    "start_date",
    "end_date",
)


class PrescriptionChange(models.Model):
    """One field of a prescription changed: from what, to what, by whom and when."""

    prescription = models.ForeignKey(Prescription, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=20)
    old_value = models.CharField(max_length=200, blank=True)
    new_value = models.CharField(max_length=200, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.label}: {self.old_value or 'none'} to {self.new_value or 'none'}"

    @property
    def label(self) -> str:
        return Prescription._meta.get_field(self.field).verbose_name.capitalize()


class TakeHomeDecision(models.Model):
    """The safeguarding checks as they stood when take-home doses were allowed, and the reason if any was not met."""

    prescription = models.ForeignKey(Prescription, on_delete=models.PROTECT, related_name="take_home_decisions")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    checks = models.JSONField(default=list)
    all_checks_met = models.BooleanField()
    override_reason = NoteField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"Take-home decision {self.decided_on:%-d %B %Y}"

    @property
    def is_override(self) -> bool:
        return not self.all_checks_met


class TakeHomeReview(models.Model):
    """A manager's review of take-home doses whose safeguarding checks are not met: an override saved with the
    prescriber's reason (`decision`), or a current prescription whose checks have lapsed since (`unmet_checks`, the
    keys of the checks not met when it was reviewed: when another lapses, it needs reviewing again)."""

    prescription = models.ForeignKey(Prescription, on_delete=models.PROTECT, related_name="take_home_reviews")
    decision = models.ForeignKey(
        TakeHomeDecision, on_delete=models.PROTECT, related_name="reviews", null=True, blank=True
    )
    unmet_checks = models.JSONField(default=list)
    note = NoteField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_at", "-id"]

    def __str__(self) -> str:
        return f"Take-home review {self.reviewed_at:%-d %B %Y}"
