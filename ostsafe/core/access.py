"""The one access check: may this user do this action on this household?

Inputs today: the role table (`ostsafe.accounts.roles`), the user's organisation and team, and the household's team.
Later issues add the professional network, consent records, sharing decisions and break-glass grants here, and only
here. Views, API endpoints and exports call `can()` for one household and `household_q()` to filter querysets.
"""

from django.db.models import Q

from ostsafe.accounts.roles import ROLES, Action, Scope

NOTHING = Q(pk__in=[])


def household_q(user, *, prefix: str = "") -> Q:
    """A filter for the households `user` may see; `prefix` reaches a household from a related model."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    scope = ROLES[user.role].household_scope
    if scope == Scope.ALL:
        return Q()
    if scope == Scope.ORGANISATION:
        return Q(**{f"{prefix}team__organisation_id": user.organisation_id})
    if scope == Scope.TEAM and user.team_id:
        return Q(**{f"{prefix}team_id": user.team_id})
    return NOTHING


def has_action(user, action: str) -> bool:
    """Whether the role allows `action` at all, before any particular household is considered."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return action in ROLES[user.role].actions


def reaches(user, household) -> bool:
    """Whether `household` is within the user's scope (the single-object twin of `household_q`)."""
    scope = ROLES[user.role].household_scope
    if scope == Scope.ALL:
        return True
    if scope == Scope.ORGANISATION:
        return household.team.organisation_id == user.organisation_id
    if scope == Scope.TEAM:
        return user.team_id is not None and household.team_id == user.team_id
    return False


def can(user, action: str, household=None) -> bool:
    """May `user` do `action` (on `household`, when the action is about one)?"""
    if not has_action(user, action):
        return False
    if household is None:
        return True
    return reaches(user, household)


def may_act_in_person(user, action: str, household) -> bool:
    """May `user` do `action` for a service user of `household` who is in front of them and has been identified
    (NHS number and date of birth)? Their own households as usual; roles with `identified_in_person` any household,
    without ever seeing its record (guide: the needle exchange issues safety boxes to the service's clients)."""
    if not has_action(user, action):
        return False
    return action in ROLES[user.role].identified_in_person or reaches(user, household)


def may_act_for_pharmacy(user, pharmacy_id: int | None) -> bool:
    """May `user` act on this pharmacy's dispensing records (`None`: the whole feed)? Pharmacists their own pharmacy
    only; roles that reach every family (administrators) any pharmacy and the whole feed."""
    if not has_action(user, Action.RECORD_DISPENSING):
        return False
    return ROLES[user.role].household_scope == Scope.ALL or (
        pharmacy_id is not None and pharmacy_id == user.organisation_id
    )


def pharmacy_q(user, *, field: str = "pharmacy_id") -> Q:
    """A filter for the pharmacies' records `user` may act on (the list twin of `may_act_for_pharmacy`)."""
    if not has_action(user, Action.RECORD_DISPENSING):
        return NOTHING
    if ROLES[user.role].household_scope == Scope.ALL:
        return Q()
    return Q(**{field: user.organisation_id}) if user.organisation_id else NOTHING


def may_dispense(user, prescription) -> bool:
    """A pharmacist may see and record dispensing only for prescriptions dispensed at their own pharmacy."""
    return may_act_for_pharmacy(user, prescription.pharmacy_id)


__all__ = [
    "Action",
    "can",
    "has_action",
    "household_q",
    "may_act_for_pharmacy",
    "may_act_in_person",
    "may_dispense",
    "pharmacy_q",
    "reaches",
]
