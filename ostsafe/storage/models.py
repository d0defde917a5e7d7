"""Safety boxes, must-share messages and the leaflet. Guide, "Safe storage": safety boxes for all clients prescribed
take-home OST who have contact with or live with children, with discussion of safe storage and ongoing checks."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from ostsafe.core import access
from ostsafe.core.validators import validate_happened

from .messages import MUST_SHARE_KEYS


class MovementKind(models.TextChoices):
    RECEIVED = "received", "Received into stock"
    ISSUED = "issued", "Issued to a service user"
    RETURNED = "returned", "Returned to stock"
    LOST = "lost", "Lost or damaged"


# Stock goes up with these kinds and down with the others.
STOCK_IN = {MovementKind.RECEIVED, MovementKind.RETURNED}


class BoxMovement(models.Model):
    """Safety-box stock at a site (treatment service, needle exchange, pharmacy) is the sum of its movements."""

    site = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="box_movements")
    kind = models.CharField(max_length=10, choices=MovementKind.choices)
    quantity = models.PositiveIntegerField()
    on = models.DateField(validators=[validate_happened])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="box_movement_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.quantity} at {self.site}"


class SafetyBoxIssueQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.household_q(user, prefix="service_user__household__"))

    def held(self):
        return self.filter(returned_on__isnull=True)


class SafetyBoxIssue(models.Model):
    service_user = models.ForeignKey("families.ServiceUser", on_delete=models.PROTECT, related_name="safety_boxes")
    site = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(validators=[validate_happened])
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledgement_signed = models.BooleanField(
        "The service user signed to say they received the box and the advice that came with it"
    )
    returned_on = models.DateField(null=True, blank=True, validators=[validate_happened])

    objects = SafetyBoxIssueQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return f"Safety box issued {self.issued_on:%-d %B %Y} at {self.site}"

    def clean(self):
        super().clean()
        if not self.acknowledgement_signed:
            # Guide good practice: boxes "always accompanied by advice on safer storage and a signed agreement".
            raise ValidationError(
                {"acknowledgement_signed": "The service user must sign for the box before it is issued"}
            )


class MustShareDiscussion(models.Model):
    service_user = models.ForeignKey("families.ServiceUser", on_delete=models.PROTECT, related_name="must_share")
    discussed_on = models.DateField(validators=[validate_happened])
    discussed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    points = models.JSONField(default=list, help_text="Keys of the must-share points discussed")

    class Meta:
        ordering = ["-discussed_on", "-id"]

    def __str__(self) -> str:
        return f"Safe storage messages discussed {self.discussed_on:%-d %B %Y}"

    @property
    def all_points_discussed(self) -> bool:
        return set(MUST_SHARE_KEYS) <= set(self.points)

    def clean(self):
        super().clean()
        unknown = set(self.points) - set(MUST_SHARE_KEYS)
        if unknown:
            raise ValidationError({"points": "Choose from the guide's must-share points"})
        if not self.points:
            raise ValidationError({"points": "Select the points you discussed"})


class LeafletGiven(models.Model):
    service_user = models.ForeignKey("families.ServiceUser", on_delete=models.PROTECT, related_name="leaflets")
    given_on = models.DateField(validators=[validate_happened])
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"Safe storage leaflet given {self.given_on:%-d %B %Y}"
