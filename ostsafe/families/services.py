"""Every change to a family's record. One function per thing a practitioner does; each is one transaction that
validates the whole object, writes the audit event, and raises ValidationError with a practitioner's message."""

from django.db import transaction

from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_change
from ostsafe.core import access
from ostsafe.core.services import DomainError, OutOfReach, apply_changes

from .models import ChildContact, Household, HouseholdMember, Involvement, ServiceUser


def _refuse_duplicate_nhs_number(nhs_number, *, by, exclude=None):
    """One record per person. Someone the caller can see is named, so they open that record instead; someone beyond
    their reach is not (that would tell them who is in treatment elsewhere): a neutral refusal, written to the access
    log against that family so their managers see the attempt."""
    digits = (nhs_number or "").replace(" ", "")
    if not digits:
        return
    existing = (
        ServiceUser.objects.filter(nhs_number=digits).exclude(pk=exclude).select_related("household__team").first()
    )
    if existing is None:
        return
    if access.can(by, access.Action.VIEW_HOUSEHOLD, existing.household):
        raise DomainError(
            {
                "nhs_number": f"{existing.full_name} already has this NHS number, in {existing.household.name}. "
                "Open their record instead of registering them again"
            }
        )
    raise OutOfReach(
        {
            "nhs_number": "This NHS number cannot be registered by you. Check it against the letter or record; if "
            "it is right, ask your team manager to find out where this person's record is"
        },
        household_id=existing.household_id,
        audit_action=AuditAction.SERVICE_USER_REGISTER_DUPLICATE,
    )


@transaction.atomic
def create_household(*, created_by, **fields) -> Household:
    """Record a new household (address and responsible team)."""
    household = apply_changes(Household(), fields)
    record_change(user=created_by, action=AuditAction.HOUSEHOLD_CREATE, household_id=household.pk)
    return household


@transaction.atomic
def register_service_user(*, registered_by, household: Household | None = None, household_fields=None, **fields):
    """Register an adult in treatment, in an existing household or a new one made from `household_fields`.

    Fails with ValidationError when the NHS number is invalid or already registered, or a date is impossible.
    """
    _refuse_duplicate_nhs_number(fields.get("nhs_number"), by=registered_by)
    if household is None:
        household = create_household(created_by=registered_by, **(household_fields or {}))
    service_user = apply_changes(ServiceUser(household=household), fields)
    record_change(
        user=registered_by,
        action=AuditAction.SERVICE_USER_REGISTER,
        household_id=household.pk,
        detail=f"{service_user.pk}",
    )
    return service_user


@transaction.atomic
def update_household(*, household: Household, changed_by, **changes) -> Household:
    """Change a household's name, address or responsible team."""
    apply_changes(household, changes)
    record_change(user=changed_by, action=AuditAction.HOUSEHOLD_UPDATE, household_id=household.pk)
    return household


@transaction.atomic
def update_service_user(*, service_user: ServiceUser, changed_by, **changes) -> ServiceUser:
    """Change a service user's details. Fails on an invalid NHS number or a date of birth in the future."""
    if "nhs_number" in changes:
        _refuse_duplicate_nhs_number(changes["nhs_number"], by=changed_by, exclude=service_user.pk)
    apply_changes(service_user, changes)
    record_change(
        user=changed_by,
        action=AuditAction.SERVICE_USER_UPDATE,
        household_id=service_user.household_id,
        detail=f"{service_user.pk}",
    )
    return service_user


@transaction.atomic
def add_household_member(*, household: Household, added_by, **fields) -> HouseholdMember:
    """Record a child, partner, father, relative, visitor or unknown adult in the family's life.

    Fails when a child is born in the future, a membership ends before it starts, or a linked service user lives in
    another household.
    """
    member = apply_changes(HouseholdMember(household=household), fields)
    record_change(
        user=added_by, action=AuditAction.MEMBER_ADD, household_id=household.pk, detail=f"{member.pk} {member.role}"
    )
    return member


@transaction.atomic
def update_household_member(*, member: HouseholdMember, changed_by, **changes) -> HouseholdMember:
    """Change what is recorded about a household member, including the date they left."""
    apply_changes(member, changes)
    record_change(
        user=changed_by, action=AuditAction.MEMBER_UPDATE, household_id=member.household_id, detail=f"{member.pk}"
    )
    return member


@transaction.atomic
def add_child_contact(*, service_user: ServiceUser, added_by, **fields) -> ChildContact:
    """Record a child the service user has contact with who lives elsewhere."""
    contact = apply_changes(ChildContact(service_user=service_user), fields)
    record_change(
        user=added_by,
        action=AuditAction.CHILD_CONTACT_ADD,
        household_id=service_user.household_id,
        detail=f"{contact.pk}",
    )
    return contact


@transaction.atomic
def update_child_contact(*, contact: ChildContact, changed_by, **changes) -> ChildContact:
    apply_changes(contact, changes)
    record_change(
        user=changed_by,
        action=AuditAction.CHILD_CONTACT_UPDATE,
        household_id=contact.service_user.household_id,
        detail=f"{contact.pk}",
    )
    return contact


def _with_directory_details(involvement: Involvement | None, fields: dict) -> dict:
    """Their service chosen from the local directory fills in what was left blank (organisation, phone, email), so
    nobody retypes it. A service that no longer runs cannot be newly chosen."""
    service = fields.get("service")
    if service is None:
        return fields
    if not service.is_current and (involvement is None or involvement.service_id != service.pk):
        raise DomainError({"service": f"{service} no longer runs: choose a current service, or leave this empty"})
    if service.is_strategic:
        raise DomainError({"service": "Choose a service, not a strategic group"})
    filled = dict(fields)
    for field, value in (("organisation_name", service.name), ("phone", service.phone), ("email", service.email)):
        if not filled.get(field, getattr(involvement, field, "")):
            filled[field] = value
    return filled


@transaction.atomic
def add_involvement(*, household: Household, added_by, **fields) -> Involvement:
    """Add a professional to the family's network. Fails if they would be a second current lead practitioner."""
    # Lock the household's network rows so that two people cannot both make someone lead at the same moment.
    list(Involvement.objects.select_for_update().filter(household=household, is_lead=True))
    involvement = apply_changes(Involvement(household=household), _with_directory_details(None, fields))
    record_change(user=added_by, action=AuditAction.NETWORK_ADD, household_id=household.pk, detail=f"{involvement.pk}")
    return involvement


@transaction.atomic
def update_involvement(*, involvement: Involvement, changed_by, **changes) -> Involvement:
    list(Involvement.objects.select_for_update().filter(household_id=involvement.household_id, is_lead=True))
    apply_changes(involvement, _with_directory_details(involvement, changes))
    record_change(
        user=changed_by,
        action=AuditAction.NETWORK_UPDATE,
        household_id=involvement.household_id,
        detail=f"{involvement.pk}",
    )
    return involvement
