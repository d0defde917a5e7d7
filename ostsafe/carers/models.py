"""Family members supported in their own right: their own needs, and the services they were signposted or
referred to, with what came of it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from ostsafe.core.fields import NoteField
from ostsafe.core.validators import validate_happened
from ostsafe.directory.models import SUPPORT_KINDS
from ostsafe.families.models import MemberRole


class Carer(models.Model):
    """A member of the household (a grandparent bringing up the children, a partner not in treatment, an older
    sibling) recorded with their own support needs."""

    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="carers")
    member = models.OneToOneField("families.HouseholdMember", on_delete=models.PROTECT, related_name="carer")
    cares_for = NoteField(
        "What they do for the family",
        help_text="For example: looks after the children after school; helps Sam get to the pharmacy",
    )
    support_needs = NoteField(
        "Their own support needs", help_text="In their words where you can: what would help them, not the family"
    )
    identified_on = models.DateField("Date", validators=[validate_happened])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["identified_on", "id"]

    def __str__(self) -> str:
        return self.member.display_name

    def clean(self):
        super().clean()
        member = self.member if self.member_id else None
        if member is None:
            return
        errors = {}
        if self.household_id and member.household_id != self.household_id:
            errors["member"] = "Choose someone in this family"
        elif member.service_user_id:
            errors["member"] = "They are in treatment here: their support is their own record's"
        elif member.role == MemberRole.UNKNOWN_ADULT or not (member.given_name or member.family_name):
            errors["member"] = "Record their name first: support is offered to someone the family can name"
        elif member.is_unborn:
            errors["member"] = "Choose a family member who is born"
        if errors:
            raise ValidationError(errors)


class OfferKind(models.TextChoices):
    SIGNPOSTED = "signposted", "Signposted: given the service's details to contact themselves"
    REFERRED = "referred", "Referred, with their agreement"


class Outcome(models.TextChoices):
    WAITING = "waiting", "Not known yet"
    TAKEN_UP = "taken_up", "Taking up support"
    DECLINED = "declined", "Decided not to"
    NOT_OFFERED = "not_offered", "The service could not offer support"
    NO_CONTACT = "no_contact", "Could not be contacted"


class SupportOffer(models.Model):
    carer = models.ForeignKey(Carer, on_delete=models.CASCADE, related_name="offers")
    service = models.ForeignKey(
        "directory.LocalService",
        on_delete=models.PROTECT,
        related_name="support_offers",
        verbose_name="Service",
        limit_choices_to={"kind__in": SUPPORT_KINDS},
    )
    kind = models.CharField("Signposted or referred", max_length=10, choices=OfferKind.choices)
    agreed = models.BooleanField("They agreed to be referred", default=False)
    offered_on = models.DateField("Date", validators=[validate_happened])
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.WAITING)
    outcome_on = models.DateField("Date of the outcome", null=True, blank=True, validators=[validate_happened])
    outcome_note = NoteField("What happened", blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["offered_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="referred") | models.Q(agreed=True),
                name="a_referral_is_agreed",
                violation_error_message="Refer them only with their agreement. Otherwise signpost them to the service",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display().split(':')[0]} to {self.service}"

    @property
    def is_waiting(self) -> bool:
        return self.outcome == Outcome.WAITING

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == OfferKind.REFERRED and not self.agreed:
            # Guide, "Joint working": a family member is referred with their agreement, not about them.
            errors["agreed"] = "Refer them only with their agreement. Otherwise signpost them to the service"
        if self.service_id and self.service.kind not in SUPPORT_KINDS:
            errors["service"] = "Choose a family or carer support service"
        if self.outcome != Outcome.WAITING and self.outcome_on is None:
            errors["outcome_on"] = "Enter the date of the outcome"
        if self.outcome_on and self.offered_on and self.outcome_on < self.offered_on:
            errors["outcome_on"] = "The outcome cannot be before the date they were signposted or referred"
        if errors:
            raise ValidationError(errors)
