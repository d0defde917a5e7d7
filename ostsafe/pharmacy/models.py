"""Dispensing records and pharmacists' concerns. Guide, "Dispensing practice": pharmacists are in regular contact with
people on OST and in an ideal position to check that risks to children are being reduced."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from ostsafe.core.fields import NoteField
from ostsafe.core.validators import validate_happened, validate_plannable


class PharmacyPolicy(models.Model):
    missed_doses_for_review = models.PositiveSmallIntegerField(
        default=3,
        help_text="Consecutive missed doses that trigger a same-day review task (the common clinical trigger)",
    )

    class Meta:
        verbose_name_plural = "pharmacy policy"

    def __str__(self) -> str:
        return "Dispensing policy"

    @classmethod
    def current(cls) -> "PharmacyPolicy":
        return cls.objects.order_by("pk").first() or cls()


class Outcome(models.TextChoices):
    SUPERVISED = "supervised", "Supervised consumption"
    COLLECTED = "collected", "Collected"
    MISSED = "missed", "Missed"


class Source(models.TextChoices):
    COUNTER = "counter", "Recorded at the counter"
    IMPORT = "import", "Imported"
    API = "api", "Sent by a pharmacy system"


class DispensingRecord(models.Model):
    """What happened to one expected dose (or take-home collection). Natural key: prescription and expected date."""

    # No index of its own: the unique (prescription, expected_on) constraint's index serves every lookup by
    # prescription, and one index fewer to keep up is cheaper for a daily feed of every client's dose.
    prescription = models.ForeignKey(
        "prescribing.Prescription", on_delete=models.PROTECT, related_name="dispensing", db_index=False
    )
    expected_on = models.DateField(validators=[validate_happened])
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    quantity = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.COUNTER)
    # After a run of missed doses, the pharmacist confirmed they spoke to the prescriber before giving this dose.
    # A database default too: imports insert rows in SQL.
    prescriber_consulted = models.BooleanField(default=False, db_default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-expected_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["prescription", "expected_on"], name="one_record_per_expected_dose"),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0), name="quantity_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expected_on}: {self.get_outcome_display()}"

    def clean(self):
        super().clean()
        if self.outcome in {Outcome.SUPERVISED, Outcome.COLLECTED} and not self.quantity:
            raise ValidationError({"quantity": "Enter the quantity given"})
        if self.outcome == Outcome.MISSED and self.quantity:
            raise ValidationError({"quantity": "A missed dose has no quantity. Clear it, or choose what happened"})


class DispensingCorrection(models.Model):
    """A dose recorded wrongly at the counter, put right with a reason: what it said before, what it says now, who
    corrected it and when. The record's history, shown with it (an undo within minutes by the same pharmacist keeps
    its trace in the access log instead)."""

    record = models.ForeignKey(DispensingRecord, on_delete=models.CASCADE, related_name="corrections")
    old_outcome = models.CharField(max_length=12, choices=Outcome.choices)
    old_quantity = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    new_outcome = models.CharField(max_length=12, choices=Outcome.choices)
    new_quantity = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    reason = NoteField()
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-corrected_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_old_outcome_display()} corrected to {self.get_new_outcome_display()}"


class ConcernCategory(models.TextChoices):
    CHILD_PRESENT = "child_present", "A child was present at collection"
    INTOXICATED = "intoxicated", "The client appeared intoxicated"
    STORAGE = "storage", "Worry about how the medicine is stored"
    OTHER = "other", "Something else"


class PharmacyConcern(models.Model):
    pharmacy = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    service_user = models.ForeignKey("families.ServiceUser", on_delete=models.PROTECT, related_name="pharmacy_concerns")
    category = models.CharField(max_length=20, choices=ConcernCategory.choices)
    description = NoteField()
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField(validators=[validate_happened])

    class Meta:
        ordering = ["-raised_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.raised_on:%-d %B %Y})"


class RecordsDelayed(models.Model):
    """A pharmacy (or, with no pharmacy, the whole feed) whose records are late: a national platform was once out
    for about 17 hours and pharmacies went back to paper. No missed-dose alert fires for doses in the period."""

    pharmacy = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_on = models.DateField(validators=[validate_plannable])
    ends_on = models.DateField(validators=[validate_plannable])
    reason = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Closed when the late records have arrived or the period has ended: from then on its doses count again, and the
    # missed-dose rule has run again for them.
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name_plural = "records delayed"

    def __str__(self) -> str:
        return f"Records delayed {self.starts_on} to {self.ends_on}"

    def clean(self):
        super().clean()
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end must be the same as or after the start"})
