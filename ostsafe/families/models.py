"""The whole family: households, the adults in treatment, everyone else in the child's life, and the professionals.

Guide, "Seeing the child and whole family risk assessment": the household is the unit of risk. Children are members
of households; service users are the adults in treatment who live in them; two service users in one household are
the guide's "someone also using OST residing with the child".
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from ostsafe.core import access
from ostsafe.core.fields import NoteField
from ostsafe.core.validators import (
    normalise_postcode,
    today,
    validate_date_of_birth,
    validate_happened,
    validate_nhs_number,
    validate_uk_postcode,
)


def age_in_years(born: date | None, as_of: date | None = None) -> int | None:
    if born is None:
        return None
    as_of = as_of or today()
    return as_of.year - born.year - ((as_of.month, as_of.day) < (born.month, born.day))


def age_label(born: date | None, as_of: date | None = None) -> str:
    """'2 years', '7 months' or 'Unborn': how practitioners speak of a child's age."""
    if born is None:
        return "Age not known"
    as_of = as_of or today()
    if born > as_of:
        return "Unborn"
    years = age_in_years(born, as_of)
    if years >= 2:
        return f"{years} years"
    months = (as_of.year - born.year) * 12 + as_of.month - born.month - (as_of.day < born.day)
    return f"{months} month{'s' if months != 1 else ''}"


class ChildrenAnswer(models.TextChoices):
    """Asked at registration, so that "no children" is an answer, never a blank (guide: ask about children living
    with or visiting every parent or carer)."""

    LIVING = "living", "Yes, children live with them"
    CONTACT = "contact", "Yes, in contact with children who live elsewhere"
    NONE = "none", "No children living with them or in contact"
    DECLINED = "declined", "Asked: they would rather not say"
    NOT_ASKED = "not_asked", "Not asked yet"


class NdtmsConsent(models.TextChoices):
    """Consent to send their details to NDTMS (the National Drug Treatment Monitoring System). Without it, the
    monthly extract carries only the agency, a client reference and the consent itself."""

    GIVEN = "given", "Yes"
    DECLINED = "declined", "No"
    NOT_ASKED = "not_asked", "Not asked yet"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other or not stated"


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the households this user may see. Every household query a view or API makes starts here."""
        return self.filter(access.household_q(user))


class Household(models.Model):
    name = models.CharField(
        max_length=120, help_text="How the team refers to this household, for example 'Taylor household'"
    )
    address_line_1 = models.CharField("Address line 1", max_length=200)
    address_line_2 = models.CharField("Address line 2", max_length=200, blank=True)
    town = models.CharField("Town or city", max_length=120)
    postcode = models.CharField(max_length=10, validators=[validate_uk_postcode])
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="households")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        self.postcode = normalise_postcode(self.postcode or "")

    @property
    def organisation_id(self) -> int:
        return self.team.organisation_id


class ServiceUserQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.household_q(user, prefix="household__"))


class ServiceUser(models.Model):
    """An adult prescribed OST by the service, living in one household."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="service_users")
    given_name = models.CharField("First name", max_length=100)
    family_name = models.CharField("Last name", max_length=100)
    date_of_birth = models.DateField(validators=[validate_date_of_birth])
    nhs_number = models.CharField(
        "NHS number", max_length=10, unique=True, null=True, blank=True, validators=[validate_nhs_number]
    )
    sex = models.CharField(max_length=10, choices=Sex.choices)
    phone = models.CharField(max_length=40, blank=True)
    children_answer = models.CharField(
        "Do they have children living with them, or contact with children?",
        max_length=12,
        choices=ChildrenAnswer.choices,
        default=ChildrenAnswer.NOT_ASKED,
    )
    keyworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="caseload", null=True, blank=True
    )
    ndtms_consent = models.CharField(
        "Consent to share their treatment details with NDTMS",
        max_length=12,
        choices=NdtmsConsent.choices,
        default=NdtmsConsent.NOT_ASKED,
    )
    # Set by whoever records a contact; later issues record appointments and visits and keep this current.
    last_contact_on = models.DateField("Last contact", null=True, blank=True, validators=[validate_happened])
    in_treatment_since = models.DateField(null=True, blank=True, validators=[validate_happened])
    discharged_on = models.DateField(null=True, blank=True, validators=[validate_happened])
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ServiceUserQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        # The caseload's order: a manager's page of 25 from a whole service is read along it, not sorted from all.
        indexes = [models.Index(fields=["family_name", "given_name", "id"], name="service_user_name_idx")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def age(self) -> int | None:
        return age_in_years(self.date_of_birth)

    @property
    def has_overnight_child_contact(self) -> bool:
        return any(contact.overnight_stays for contact in self.child_contacts.all())

    @property
    def formatted_nhs_number(self) -> str:
        n = self.nhs_number or ""
        return f"{n[:3]} {n[3:6]} {n[6:]}" if len(n) == 10 else ""

    def clean(self):
        super().clean()
        errors = {}
        if self.nhs_number:
            self.nhs_number = self.nhs_number.replace(" ", "")
        if self.discharged_on and self.in_treatment_since and self.discharged_on < self.in_treatment_since:
            errors["discharged_on"] = "Discharge date must be on or after the treatment start date"
        if self.keyworker_id and self.household_id:
            eligible = access.keyworkers_q(organisation_id=self.household.team.organisation_id)
            if not type(self.keyworker).objects.filter(eligible, pk=self.keyworker_id).exists():
                errors["keyworker"] = "Choose a keyworker or team manager of the service this family belongs to"
        if errors:
            raise ValidationError(errors)


class MemberRole(models.TextChoices):
    CHILD = "child", "Child"
    PARTNER = "partner", "Partner"
    FATHER = "father", "Father of a child (not a partner)"
    EXTENDED_FAMILY = "extended_family", "Extended family"
    OTHER_ADULT = "other_adult", "Other adult"
    REGULAR_VISITOR = "regular_visitor", "Regular visitor"
    UNKNOWN_ADULT = "unknown_adult", "Unknown adult reported"


ADULT_ROLES = [r for r in MemberRole.values if r != MemberRole.CHILD]


class ChildStatus(models.TextChoices):
    NONE = "none", "No statutory plan"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION_PLAN = "child_protection_plan", "Child protection plan"
    LOOKED_AFTER = "looked_after", "Looked after child"


class HouseholdMemberQuerySet(models.QuerySet):
    def current(self, as_of: date | None = None):
        as_of = as_of or today()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=as_of)).filter(
            Q(start_date__isnull=True) | Q(start_date__lte=as_of)
        )

    def children(self):
        return self.filter(role=MemberRole.CHILD)


class HouseholdMember(models.Model):
    """Someone in the child's home life other than the service user: children, partners, fathers, family, visitors."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(max_length=20, choices=MemberRole.choices)
    given_name = models.CharField("First name", max_length=100, blank=True)
    family_name = models.CharField("Last name", max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True, validators=[validate_date_of_birth])
    expected_due_date = models.DateField(
        null=True, blank=True, help_text="For an unborn child: the expected date of delivery"
    )
    sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    lives_here = models.BooleanField(default=True)
    start_date = models.DateField("Living here or known from", null=True, blank=True, validators=[validate_happened])
    end_date = models.DateField("Until", null=True, blank=True)
    # Children
    school_or_nursery = models.CharField("School or nursery", max_length=200, blank=True)
    gp_practice = models.CharField("GP practice", max_length=200, blank=True)
    health_visitor_or_school_nurse = models.CharField("Health visitor or school nurse", max_length=200, blank=True)
    child_status = models.CharField(
        "Statutory status", max_length=30, choices=ChildStatus.choices, default=ChildStatus.NONE
    )
    # Adults. Guide, "Professional curiosity": someone also using OST residing with the child is a warning sign.
    ost_elsewhere = models.BooleanField("Prescribed OST by another service", default=False)
    service_user = models.OneToOneField(
        ServiceUser,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_record",
        help_text="When this person is also in treatment with this service",
    )
    notes = NoteField(blank=True)

    objects = HouseholdMemberQuerySet.as_manager()

    class Meta:
        ordering = ["role", "date_of_birth", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="member_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = f"{self.given_name} {self.family_name}".strip()
        if self.service_user_id and not name:
            return self.service_user.full_name
        if name:
            return name
        return "Unborn baby" if self.is_unborn else "Name not known"

    @property
    def is_child(self) -> bool:
        return self.role == MemberRole.CHILD

    @property
    def is_unborn(self) -> bool:
        return self.role == MemberRole.CHILD and self.date_of_birth is None and self.expected_due_date is not None

    @property
    def age(self) -> int | None:
        return age_in_years(self.date_of_birth)

    @property
    def age_label(self) -> str:
        if self.is_unborn:
            return f"Unborn (due {self.expected_due_date:%-d %B %Y})"
        return age_label(self.date_of_birth)

    @property
    def is_on_ost(self) -> bool:
        return self.ost_elsewhere or self.service_user_id is not None

    def is_current(self, as_of: date | None = None) -> bool:
        as_of = as_of or today()
        return (self.end_date is None or self.end_date >= as_of) and (
            self.start_date is None or self.start_date <= as_of
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The date this person left must be the same as or after the date they arrived"
        if self.role == MemberRole.CHILD:
            if not self.date_of_birth and not self.expected_due_date:
                errors["date_of_birth"] = "Enter the child's date of birth, or the due date for an unborn child"
            if self.date_of_birth and self.expected_due_date:
                errors["expected_due_date"] = (
                    "A child who has been born has a date of birth, not a due date: clear the due date"
                )
            elif self.expected_due_date:
                errors.update(_due_date_errors(self.expected_due_date))
            if not self.given_name and self.date_of_birth:
                errors["given_name"] = "Enter the child's first name"
        elif self.role != MemberRole.UNKNOWN_ADULT and not (self.given_name or self.service_user_id):
            errors["given_name"] = "Enter the person's first name (choose 'Unknown adult reported' if it is not known)"
        if self.service_user_id and self.service_user.household_id != self.household_id:
            errors["service_user"] = "This service user lives in another household. Move them here first"
        if errors:
            raise ValidationError(errors)


def _due_date_errors(due: date) -> dict:
    """An unborn child's due date: at most two weeks overdue (after that the baby has been born: record the date of
    birth), and within ten months."""
    days = (due - today()).days
    if days < -14:
        return {
            "expected_due_date": "The due date was more than 2 weeks ago. If the baby has been born, enter the "
            "date of birth and clear the due date"
        }
    if days > 300:
        return {"expected_due_date": "The due date must be within 10 months from today. Check the year"}
    return {}


class ContactFrequency(models.TextChoices):
    DAILY = "daily", "Daily"
    SEVERAL_WEEKLY = "several_weekly", "Several times a week"
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    MONTHLY = "monthly", "Monthly"
    OCCASIONAL = "occasional", "Occasionally"


class ChildContact(models.Model):
    """A child the service user sees but who lives elsewhere.

    Guide, "Safe storage": safety boxes for clients who have contact with children, not only those living with them.
    """

    service_user = models.ForeignKey(ServiceUser, on_delete=models.CASCADE, related_name="child_contacts")
    given_name = models.CharField("First name", max_length=100)
    family_name = models.CharField("Last name", max_length=100, blank=True)
    date_of_birth = models.DateField(validators=[validate_date_of_birth])
    relationship = models.CharField(max_length=100, help_text="For example: daughter, grandson, partner's child")
    lives_with = models.CharField(max_length=200, help_text="Who the child lives with, and where")
    frequency = models.CharField("How often they have contact", max_length=20, choices=ContactFrequency.choices)
    overnight_stays = models.BooleanField("Stays overnight with the service user", default=False)
    notes = NoteField(blank=True)

    class Meta:
        ordering = ["date_of_birth", "id"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def age_label(self) -> str:
        return age_label(self.date_of_birth)


class Involvement(models.Model):
    """A professional involved with the family: the professional network, with one lead practitioner."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="network")
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="involvements"
    )
    name = models.CharField(max_length=200, blank=True, help_text="For a professional who does not use OST Safe")
    # Guide, "Managing practice": the local map of services. Their service is picked from the directory rather than
    # retyped, so a manager can see which services the team works with.
    service = models.ForeignKey(
        "directory.LocalService",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="involvements",
        verbose_name="Their service, from the local directory",
    )
    organisation_name = models.CharField("Organisation", max_length=200, blank=True)
    role_in_family = models.CharField("Role with this family", max_length=200)
    # Guide, "Joint working": practitioner roles and responsibilities should be clear.
    responsibility = models.CharField(
        "Responsibility in the plan",
        max_length=300,
        blank=True,
        help_text="What they do for this family, for example: health visiting contacts and development checks",
    )
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    is_lead = models.BooleanField("Lead practitioner", default=False)
    start_date = models.DateField("Involved from", null=True, blank=True)
    end_date = models.DateField("Involved until", null=True, blank=True)

    class Meta:
        ordering = ["-is_lead", "id"]
        constraints = [
            # Guide, "Joint working": roles and responsibilities should be clear, with a lead individual.
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(is_lead=True, end_date__isnull=True),
                name="one_current_lead_practitioner",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="involvement_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.role_in_family})"

    @property
    def display_name(self) -> str:
        return self.professional.full_name if self.professional_id else self.name

    @property
    def display_organisation(self) -> str:
        if self.professional_id:
            return self.professional.organisation.name
        return self.organisation_name or (self.service.name if self.service_id else "")

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.professional_id
            and not type(self.professional)
            .objects.filter(access.network_professionals_q(), pk=self.professional_id)
            .exists()
        ):
            errors["professional"] = "Choose a practitioner who works with families"
        if not self.professional_id and not self.name:
            errors["name"] = "Choose a professional who uses OST Safe, or enter the name of one who does not"
        if not self.professional_id and not self.organisation_name and not self.service_id:
            errors["organisation_name"] = (
                "Choose their service from the directory, or enter the organisation this professional works for"
            )
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end of involvement must be the same as or after its start"
        if self.is_lead and self.end_date is None and self.household_id:
            others = Involvement.objects.filter(household_id=self.household_id, is_lead=True, end_date__isnull=True)
            if self.pk:
                others = others.exclude(pk=self.pk)
            current = others.first()
            if current:
                errors["is_lead"] = (
                    f"{current.display_name} is already the lead practitioner for this family. "
                    "End their lead role first, or leave this unticked"
                )
        if errors:
            raise ValidationError(errors)
