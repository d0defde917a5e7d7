"""The directory of local services and strategic groups: who they are, what they do, how to reach them, and the
named link person. Records elsewhere (the professional network, referrals, signposting) name an entry rather than
retyping it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from ostsafe.core.validators import validate_happened


class ServiceKind(models.TextChoices):
    HEALTH_VISITING = "health_visiting", "Health visiting team"
    SCHOOL_NURSING = "school_nursing", "School nursing team"
    FRONT_DOOR = "front_door", "Children's social care front door"
    FAMILY_SUPPORT = "family_support", "Family and carer support"
    NEEDLE_EXCHANGE = "needle_exchange", "Needle exchange"
    PHARMACY = "pharmacy", "Pharmacy"
    GP_PRACTICE = "gp_practice", "GP practice"
    OTHER_SERVICE = "other_service", "Other local service"
    SAFEGUARDING_PARTNERSHIP = "safeguarding_partnership", "Local safeguarding children partnership"
    PARTNERSHIP_SUBGROUP = "partnership_subgroup", "Safeguarding partnership subgroup"
    HEALTH_AND_WELLBEING_BOARD = "health_and_wellbeing_board", "Health and Wellbeing Board"
    OTHER_GROUP = "other_group", "Other strategic group"


# Guide, "Managing practice": strategic groups are where a manager represents the service, not where a family is
# referred.
STRATEGIC_KINDS = frozenset(
    {
        ServiceKind.SAFEGUARDING_PARTNERSHIP,
        ServiceKind.PARTNERSHIP_SUBGROUP,
        ServiceKind.HEALTH_AND_WELLBEING_BOARD,
        ServiceKind.OTHER_GROUP,
    }
)
# What a professional in a family's network works for, and what a referral or a letter goes to.
SERVICE_KINDS = frozenset(ServiceKind.values) - STRATEGIC_KINDS
# Who a family member may be signposted or referred to for support in their own right.
SUPPORT_KINDS = frozenset({ServiceKind.FAMILY_SUPPORT, ServiceKind.OTHER_SERVICE})


class LocalServiceQuerySet(models.QuerySet):
    def current(self):
        return self.filter(retired_on__isnull=True)

    def services(self):
        return self.exclude(kind__in=STRATEGIC_KINDS)

    def strategic_groups(self):
        return self.filter(kind__in=STRATEGIC_KINDS)


class LocalService(models.Model):
    name = models.CharField(max_length=200)
    kind = models.CharField("What it is", max_length=30, choices=ServiceKind.choices)
    what_they_do = models.TextField(
        "What they do", help_text="In a sentence or two, for a colleague who does not know them"
    )
    area = models.CharField("Area covered", max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    address = models.TextField(blank=True)
    referral_route = models.TextField(
        "How to refer or get in touch",
        blank=True,
        help_text="For example: the online referral form, then a phone call the same day if a child is at risk",
    )
    hours = models.CharField("Opening hours", max_length=200, blank=True)
    out_of_hours = models.CharField("Out of hours", max_length=300, blank=True, help_text="Who to call when closed")
    link_name = models.CharField("Named link person", max_length=200, blank=True)
    link_role = models.CharField("Their role", max_length=200, blank=True)
    link_phone = models.CharField("Their phone", max_length=40, blank=True)
    link_email = models.EmailField("Their email", blank=True)
    part_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subgroups",
        verbose_name="Subgroup of",
        limit_choices_to={"kind__in": STRATEGIC_KINDS},
    )
    retired_on = models.DateField(
        "No longer runs from", null=True, blank=True, validators=[validate_happened], editable=False
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_on = models.DateField(validators=[validate_happened])

    objects = LocalServiceQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "kind",
                name="one_local_service_of_a_kind_per_name",
                violation_error_message="The directory already has a service of this kind with this name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_strategic(self) -> bool:
        return self.kind in STRATEGIC_KINDS

    @property
    def is_current(self) -> bool:
        return self.retired_on is None

    def clean(self):
        super().clean()
        errors = {}
        if not (self.phone or self.email or self.website or self.link_phone or self.link_email):
            errors["phone"] = (
                "Give at least one way to reach them: a phone number, an email, a website or the link person's"
            )
        if self.kind == ServiceKind.FRONT_DOOR:
            # Guide, "Joint working": a referral that waits is a child left at risk: how and when matter.
            if not self.referral_route:
                errors["referral_route"] = "Say how a referral is made to the front door"
            if not self.hours:
                errors["hours"] = "Give the front door's opening hours"
            if not self.out_of_hours:
                errors["out_of_hours"] = "Say who to call when the front door is closed (the emergency duty team)"
        if self.part_of_id:
            if self.kind not in STRATEGIC_KINDS:
                errors["part_of"] = "Only a strategic group can be a subgroup of another"
            elif self.part_of_id == self.pk:
                errors["part_of"] = "A group cannot be a subgroup of itself"
            elif self.part_of.kind not in STRATEGIC_KINDS:
                errors["part_of"] = "Choose a strategic group"
        if errors:
            raise ValidationError(errors)
