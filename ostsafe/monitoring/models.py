"""The facts warning signs need. Guide, "Professional curiosity": changes in the regularity of appointment attendance;
starting or increasing illicit substance or alcohol use; concerns expressed by others."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from ostsafe.core.fields import NoteField
from ostsafe.core.validators import validate_happened, validate_plannable


class AppointmentKind(models.TextChoices):
    KEYWORK = "keywork", "Keywork session"
    PRESCRIBER_REVIEW = "prescriber_review", "Prescriber review"
    GROUP = "group", "Group"
    HOME_VISIT = "home_visit", "Home visit"


class AppointmentOutcome(models.TextChoices):
    ATTENDED = "attended", "Attended"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"
    CANCELLED_BY_CLIENT = "cancelled_by_client", "Cancelled by the client"
    CANCELLED_BY_SERVICE = "cancelled_by_service", "Cancelled by the service"


class Appointment(models.Model):
    # The unique (service_user, kind, on) constraint's index serves lookups by person: no second index to keep up.
    service_user = models.ForeignKey(
        "families.ServiceUser", on_delete=models.PROTECT, related_name="appointments", db_index=False
    )
    kind = models.CharField(max_length=20, choices=AppointmentKind.choices)
    on = models.DateField("Date", validators=[validate_plannable])
    outcome = models.CharField(max_length=24, choices=AppointmentOutcome.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["service_user", "kind", "on"], name="one_appointment_per_kind_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%-d %B %Y}"


class Substance(models.TextChoices):
    OPIATES = "opiates", "Opiates (heroin, morphine)"
    METHADONE = "methadone", "Methadone"
    BUPRENORPHINE = "buprenorphine", "Buprenorphine"
    COCAINE = "cocaine", "Cocaine"
    BENZODIAZEPINES = "benzodiazepines", "Benzodiazepines"
    CANNABIS = "cannabis", "Cannabis"
    AMPHETAMINE = "amphetamine", "Amphetamine"
    ALCOHOL = "alcohol", "Alcohol"


class TestMethod(models.TextChoices):
    URINE = "urine", "Urine"
    ORAL_FLUID = "oral_fluid", "Oral fluid"
    BREATH = "breath", "Breath"
    BLOOD = "blood", "Blood"
    AUDIT_C = "audit_c", "AUDIT-C questionnaire"
    REPORTED = "reported", "Reported at keywork"


class TestResult(models.Model):
    """A drug or alcohol test, an AUDIT-C alcohol score (0 to 12), or use the service user reported at keywork
    (positive: they said they had used it; negative: they said they had not)."""

    service_user = models.ForeignKey("families.ServiceUser", on_delete=models.PROTECT, related_name="test_results")
    taken_on = models.DateField(validators=[validate_happened])
    substance = models.CharField(max_length=20, choices=Substance.choices)
    method = models.CharField(max_length=12, choices=TestMethod.choices)
    positive = models.BooleanField(null=True, blank=True)
    audit_c_score = models.PositiveSmallIntegerField("AUDIT-C score", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-taken_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audit_c_score__isnull=True) | Q(audit_c_score__lte=12), name="audit_c_within_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_substance_display()} {self.taken_on:%-d %B %Y}"

    def clean(self):
        super().clean()
        if self.method == TestMethod.AUDIT_C:
            if self.substance != Substance.ALCOHOL:
                raise ValidationError({"substance": "AUDIT-C scores alcohol use: choose alcohol"})
            if self.audit_c_score is None or self.audit_c_score > 12:
                raise ValidationError({"audit_c_score": "Enter the AUDIT-C score, from 0 to 12"})
        else:
            if self.audit_c_score is not None:
                raise ValidationError({"audit_c_score": "Only an AUDIT-C questionnaire has a score: leave it blank"})
            if self.positive is None:
                raise ValidationError({"positive": "Select whether the test was positive or negative"})


class ConcernSource(models.TextChoices):
    FAMILY_MEMBER = "family_member", "Family member"
    OTHER_PROFESSIONAL = "other_professional", "Other professional"
    PHARMACIST = "pharmacist", "Pharmacist"
    SCHOOL = "school", "School or nursery"
    ANONYMOUS = "anonymous", "Anonymous"


class ConcernCategory(models.TextChoices):
    CHILD_WELFARE = "child_welfare", "A child's welfare"
    STORAGE = "storage", "How medicine is stored"
    SUBSTANCE_USE = "substance_use", "Drug or alcohol use"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    UNKNOWN_ADULTS = "unknown_adults", "Unknown adults in the home"
    OTHER = "other", "Something else"


class Concern(models.Model):
    """A concern from anyone, with its source. Guide: "Concerns expressed by others including other professionals
    and family members"."""

    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="concerns")
    service_user = models.ForeignKey(
        "families.ServiceUser", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=20, choices=ConcernSource.choices)
    source_detail = models.CharField("Who raised it", max_length=200, blank=True)
    category = models.CharField(max_length=20, choices=ConcernCategory.choices)
    description = NoteField()
    received_on = models.DateField(validators=[validate_happened])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.get_source_display().lower()})"
