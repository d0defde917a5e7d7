"""Identifying the service user in front of you, for staff who may not browse families' records."""

from django.core.exceptions import PermissionDenied

from ostsafe.audit.services import record_access
from ostsafe.core import access
from ostsafe.core.access import Action
from ostsafe.core.services import DomainError
from ostsafe.families.models import ServiceUser

LOOKUP = "storage.issue_box.lookup"


def identify_in_person(request, *, nhs_number: str, date_of_birth):
    """The service user found by NHS number and date of birth together. The look-up is audited against their
    household, allowed or refused. Raises DomainError when nobody matches or the caller may not act for them."""
    match = (
        ServiceUser.objects.filter(nhs_number=nhs_number, date_of_birth=date_of_birth)
        .select_related("household__team")
        .first()
    )
    if match is None:
        record_access(
            request=request,
            user=request.user,
            action=LOOKUP,
            household_id=None,
            allowed=False,
            detail="no service user matched",
        )
        raise DomainError(
            "No service user matches that NHS number and date of birth. Check them with the person, or ask them "
            "to contact their keyworker"
        )
    try:
        access.require(
            request,
            Action.ISSUE_SAFETY_BOX,
            match.household,
            check=lambda user: access.may_act_in_person(user, Action.ISSUE_SAFETY_BOX, match.household),
            audit_as=LOOKUP,
        )
    except PermissionDenied:
        raise DomainError("You may not issue boxes to this service user") from None
    return match
