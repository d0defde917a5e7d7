"""Home visits and storage checks. Guide, "OST and risk reduction": ask to see where the OST is stored, check the
veracity of claims of safe storage, advise and compliment, record the findings, take further action if not satisfied."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from ostsafe.core import access
from ostsafe.core.fields import NoteField
from ostsafe.core.validators import validate_happened, validate_plannable


class VisitPolicy(models.Model):
    """Configurable windows (documented defaults in docs/rules.md; an administrator changes them in Django admin)."""

    assessment_visit_window_days = models.PositiveSmallIntegerField(
        default=28,
        help_text="A household with children needs a home visit within this many days of its first assessment",
    )
    storage_check_valid_days = models.PositiveSmallIntegerField(
        default=91, help_text="A storage check counts for take-home decisions for this many days"
    )
    follow_up_days = models.PositiveSmallIntegerField(
        default=7, help_text="Days to follow up a storage check that was not satisfactory or only claimed"
    )

    class Meta:
        verbose_name_plural = "visit policy"

    def __str__(self) -> str:
        return "Home visit and storage check policy"

    @classmethod
    def current(cls) -> "VisitPolicy":
        return cls.objects.order_by("pk").first() or cls()


class VisitStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    COMPLETED = "completed", "Completed"
    NO_ACCESS = "no_access", "No access"
    CANCELLED = "cancelled", "Cancelled"


class HomeVisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.household_q(user, prefix="household__"))

    def completed(self):
        return self.filter(status=VisitStatus.COMPLETED)


class HomeVisit(models.Model):
    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="home_visits")
    status = models.CharField(max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED)
    planned_for = models.DateField(null=True, blank=True, validators=[validate_plannable])
    visited_on = models.DateField(null=True, blank=True, validators=[validate_happened])
    visitors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="home_visits", blank=True)
    service_users_seen = models.ManyToManyField("families.ServiceUser", related_name="+", blank=True)
    # Guide, "Seeing the child": the role of partners and anyone else around the child; "unknown adults staying in
    # the family home" is a warning sign. Everyone else who was there, including an adult nobody had named before.
    adults_present = models.ManyToManyField("families.HouseholdMember", related_name="visits_present_at", blank=True)
    notes = NoteField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HomeVisitQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-planned_for", "-id"]

    def __str__(self) -> str:
        when = self.visited_on or self.planned_for
        return f"Home visit {when:%-d %B %Y}" if when else "Home visit"


class ChildObservation(models.Model):
    """Guide: observe the child(ren). Each child on each visit: seen or not, and what was noticed."""

    visit = models.ForeignKey(HomeVisit, on_delete=models.CASCADE, related_name="child_observations")
    child = models.ForeignKey("families.HouseholdMember", on_delete=models.PROTECT, related_name="observations")
    seen = models.BooleanField()
    note = NoteField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "child"], name="one_observation_per_child_per_visit")]

    def __str__(self) -> str:
        return f"{self.child} {'seen' if self.seen else 'not seen'}"

    def clean(self):
        super().clean()
        if not self.seen and not self.note.strip():
            # Guide: observe the child(ren). A child not seen is a finding in itself: why, and what happens next.
            raise ValidationError({"note": f"Say why {self.child.display_name} was not seen, and what happens next"})


class StorageVerification(models.TextChoices):
    SEEN = "seen", "Seen: I saw where the medicine is kept"
    CLAIMED = "claimed", "Claimed only: described to me but not seen"


class StorageCheckQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.household_q(user, prefix="visit__household__"))


class StorageCheck(models.Model):
    visit = models.ForeignKey(HomeVisit, on_delete=models.PROTECT, related_name="storage_checks")
    service_user = models.ForeignKey("families.ServiceUser", on_delete=models.PROTECT, related_name="storage_checks")
    checked_on = models.DateField(validators=[validate_happened])
    verification = models.CharField("Did you see the storage?", max_length=10, choices=StorageVerification.choices)
    location = models.CharField("Where the medicine is kept", max_length=200)
    out_of_sight_and_reach = models.BooleanField("Out of the sight and reach of children")
    locked_box_in_use = models.BooleanField("A lockable box is in use")
    # Asked only where a lockable box is in use, and empty bottles only for a liquid (methadone oral solution): null
    # is "not asked", so a tablet or no box is never recorded as a "no".
    box_locked = models.BooleanField("The box was locked", null=True, blank=True)
    other_substances_safe = models.BooleanField("Other medicines, drugs, alcohol and paraphernalia are stored safely")
    empty_bottles_disposed = models.BooleanField(
        "Empty bottles are washed out and put in the dustbin", null=True, blank=True
    )
    advice_given = NoteField("Advice given", blank=True)
    compliment_given = models.BooleanField("I complimented the safe storage", default=False)
    satisfied = models.BooleanField("I am satisfied with the storage")
    follow_up_due_on = models.DateField(null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = StorageCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"Storage check {self.checked_on:%-d %B %Y}"

    @property
    def storage_seen(self) -> bool:
        return self.verification == StorageVerification.SEEN

    @property
    def storage_right(self) -> bool:
        return (
            self.out_of_sight_and_reach
            and self.other_substances_safe
            and self.empty_bottles_disposed is not False
            and (not self.locked_box_in_use or self.box_locked is True)
        )

    @property
    def needs_follow_up(self) -> bool:
        return not self.satisfied or not self.storage_seen

    def clean(self):
        super().clean()
        errors = {}
        if self.box_locked and not self.locked_box_in_use:
            errors["box_locked"] = "The box cannot be locked if no lockable box is in use"
        elif self.locked_box_in_use and self.box_locked is None:
            errors["box_locked"] = "Select yes or no: the box was locked"
        if self.satisfied and not self.storage_seen:
            # Guide: "Check the veracity of claims of safe storage."
            errors["satisfied"] = (
                "You cannot be satisfied with storage you have not seen. Ask to see where the OST is kept, "
                "or record that you are not satisfied so a follow-up is set"
            )
        elif self.satisfied and not self.storage_right:
            errors["satisfied"] = (
                "You cannot be satisfied while something you recorded is unsafe. Record advice and that you are "
                "not satisfied, so a follow-up is set"
            )
        if self.satisfied and self.storage_seen and self.storage_right and not self.compliment_given:
            # Guide: "Advise on any changes and compliment the fact that storage is correct."
            errors["compliment_given"] = "Storage is right: compliment the service user on it and record that you did"
        if not self.storage_right and not self.advice_given:
            errors["advice_given"] = "Record the advice you gave about what needs to change"
        if errors:
            raise ValidationError(errors)
