"""The one access gate: may this user do this action on this household (or pharmacy, or record)?

Every question is a named function here, and nothing else in the code compares roles or scopes (a test enforces it).
The rule for which households a user reaches is written once, as a filter (`household_q`): lists filter with it, and
`can()` for one household asks the database the same filter, so the professional network, consent, sharing
decisions, referrals and break-glass grants are each written once, as lookups from the household
(`team__organisation_id`, `consents__recipient__professional`, `sharing_decisions__...`, `referrals__...`,
`network__professional`, `break_glass_grants__...`), and core never imports the apps that own them.

`require()` asks, writes the answer to the access log and refuses: every page mixin, API base and batch endpoint goes
through it.
"""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from ostsafe.core import auditing
from ostsafe.core.roles import (
    CASEWORK_ROLES,
    HEALTH_VISITOR_ROLES,
    KEYWORKER_ROLES,
    MANAGER_ROLES,
    NETWORK_ROLES,
    PRESCRIBER_ROLES,
    REFERRAL_ROLES,
    ROLES,
    SCHOOL_NURSE_ROLES,
    Action,
    OrganisationType,
    Role,
    Scope,
)

NOTHING = Q(pk__in=[])
# The training kind partners' records may be of (management.TrainingKind.MULTI_AGENCY), named here so that core
# imports no app.
MULTI_AGENCY_TRAINING = "multi_agency"


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _scope(user) -> str:
    return ROLES[user.role].household_scope if _signed_in(user) else Scope.NONE


# Households -----------------------------------------------------------------------------------------------------------


def _scope_q(user, *, team_id: str, organisation_id: str) -> Q:
    """The user's reach as a filter on anything that belongs to a team: `team_id` and `organisation_id` are the
    lookups from the model filtered to its team's id and its team's organisation's id."""
    scope = _scope(user)
    if scope == Scope.ALL:
        return Q()
    if scope == Scope.ORGANISATION:
        return Q(**{organisation_id: user.organisation_id})
    if scope == Scope.TEAM and user.team_id:
        return Q(**{team_id: user.team_id})
    return NOTHING


def household_q(user, *, prefix: str = "") -> Q:
    """A filter for the households `user` may see; `prefix` reaches a household from a related model. The one rule:
    `can()` asks the database this same filter for a single household."""
    if _scope(user) == Scope.NETWORK:
        return Q(**{f"{prefix}pk__in": _shared_households(user)})
    usual = _usual_q(user, prefix)
    if not usual:  # every household (an empty Q); OR-ing another filter onto it would narrow it
        return usual
    return usual | _break_glass_q(user, prefix)


def reported_households_q(user, *, prefix: str = "") -> Q:
    """The households that count in `user`'s reports and extracts (the dashboard, supervision lists, the NDTMS
    extract): their own reach, never a family opened to them by break-glass (another service's, for an emergency)."""
    if _scope(user) not in (Scope.TEAM, Scope.ORGANISATION, Scope.ALL):
        return NOTHING
    return _usual_q(user, prefix)


def reported_reach(user) -> tuple:
    """What `reported_households_q(user)` depends on, as plain values: users with the same reach count the same
    families (a manager's dashboard figures are kept by it)."""
    return (_scope(user), user.organisation_id, user.team_id)


def _usual_q(user, prefix: str) -> Q:
    """Treatment staff's own reach: their team's or their service's households (every household for administrators)."""
    return _scope_q(user, team_id=f"{prefix}team_id", organisation_id=f"{prefix}team__organisation_id")


def _break_glass_q(user, prefix: str) -> Q:
    """Households opened to `user` by a break-glass grant that has not yet expired."""
    if not has_action(user, Action.BREAK_GLASS) or not user.pk or sees_every_household(user):
        return NOTHING
    households = apps.get_model(settings.OSTSAFE_HOUSEHOLD_MODEL)._default_manager
    granted = households.filter(
        break_glass_grants__user_id=user.pk, break_glass_grants__expires_at__gt=timezone.now()
    ).values("pk")
    return Q(**{f"{prefix}pk__in": granted})


def _current(lookup: str, today) -> Q:
    """The period `<lookup>_from` to `<lookup>_until` (open-ended when there is no end) covers today."""
    return Q(**{f"{lookup}_from__lte": today}) & (
        Q(**{f"{lookup}_until__isnull": True}) | Q(**{f"{lookup}_until__gte": today})
    )


def consent_covers_q(user, *, prefix: str = "") -> Q:
    """A filter on Consent: consents given to `user` (through their entry in the family's professional network) that
    are current today and not withdrawn. Withdrawal takes effect at the moment it is recorded."""
    today = timezone.localdate()
    return (
        Q(**{f"{prefix}recipient__professional_id": user.pk, f"{prefix}decision": "given"})
        & Q(**{f"{prefix}withdrawn_at__isnull": True})
        & _current(f"{prefix}valid", today)
        & _in_network_q(f"{prefix}recipient__", today)
    )


def decision_covers_q(user, *, prefix: str = "") -> Q:
    """A filter on SharingDecision: decisions to share without consent with `user` (through their entry in the
    family's network), approved by a manager and current today. What each covers is in its `scopes`."""
    today = timezone.localdate()
    return (
        Q(**{f"{prefix}recipient__professional_id": user.pk, f"{prefix}share": True, f"{prefix}status": "approved"})
        & _current(f"{prefix}valid", today)
        & _in_network_q(f"{prefix}recipient__", today)
    )


def _open_referral_q(user, today) -> Q:
    """A filter on Household: a social worker in its network, while a child protection referral about it is open."""
    return (
        Q(network__professional_id=user.pk)
        & _in_network_q("network__", today)
        & Q(referrals__sent_at__isnull=False, referrals__closed_on__isnull=True)
    )


def _in_network_q(lookup: str, today) -> Q:
    """An Involvement (reached along `lookup`) that is current today."""
    return (Q(**{f"{lookup}start_date__isnull": True}) | Q(**{f"{lookup}start_date__lte": today})) & (
        Q(**{f"{lookup}end_date__isnull": True}) | Q(**{f"{lookup}end_date__gte": today})
    )


def _shared_households(user):
    """The ids of the households a partner reaches: they are in the household's professional network today AND (a
    consent given to them is current, OR an approved decision to share without consent with them is current, OR, for
    social workers, a child protection referral about the family is open). One subquery, so a household with several
    consents is listed once."""
    if not user.pk:
        return []
    households = apps.get_model(settings.OSTSAFE_HOUSEHOLD_MODEL)._default_manager
    reach = Q(pk__in=households.filter(consent_covers_q(user, prefix="consents__")).values("pk")) | Q(
        pk__in=households.filter(decision_covers_q(user, prefix="sharing_decisions__")).values("pk")
    )
    if user.role in REFERRAL_ROLES:
        reach |= Q(pk__in=households.filter(_open_referral_q(user, timezone.localdate())).values("pk"))
    return households.filter(reach).values("pk")


def has_action(user, action: str) -> bool:
    """Whether the role allows `action` at all, before any particular household is considered."""
    return _signed_in(user) and action in ROLES[user.role].actions


def reaches(user, household) -> bool:
    """Whether `household` is within the user's reach: `household_q` asked of this one household (answered once per
    user and household object, since a page asks several times)."""
    return _reach(user, household) is not None


def reached_by_break_glass(user, household) -> bool:
    """Whether the user reaches `household` only through a break-glass grant (every read is then audited as such)."""
    if not has_action(user, Action.BREAK_GLASS) or sees_every_household(user):
        return False
    return _reach(user, household) == "break_glass"


def _reach(user, household) -> str | None:
    """How the user reaches the household: "usual", "break_glass", or None. The usual rule is asked first, and the
    grant only when it fails, so the two halves of `household_q` are asked separately, never restated."""
    if not _signed_in(user) or household is None or household.pk is None:
        return None
    answers = household.__dict__.setdefault("_ostsafe_reach", {})
    key = (user.pk, household.team_id)
    if key not in answers:
        households = type(household)._default_manager.filter(pk=household.pk)
        if _scope(user) == Scope.NETWORK:
            answers[key] = "usual" if households.filter(household_q(user)).exists() else None
        elif households.filter(_usual_q(user, "")).exists():
            answers[key] = "usual"
        elif households.filter(_break_glass_q(user, "")).exists():
            answers[key] = "break_glass"
        else:
            answers[key] = None
    return answers[key]


def may_break_glass(user, household) -> bool:
    """May `user` open this household in an emergency? Treatment-service staff whose role allows it (not partners,
    not administrators, who reach every family), for a household beyond their usual reach."""
    if not has_action(user, Action.BREAK_GLASS) or sees_every_household(user) or household is None:
        return False
    return not type(household)._default_manager.filter(_usual_q(user, ""), pk=household.pk).exists()


def can(user, action: str, household=None) -> bool:
    """May `user` do `action` (on `household`, when the action is about one)?"""
    if not has_action(user, action):
        return False
    return household is None or reaches(user, household)


def require(request, action: str, household=None, *, check=None, audit_as: str = "", message: str = "") -> None:
    """Ask, write down, refuse. May the signed-in user do `action` (on `household`)? The answer is written to the access
    log: always when it is about a household (every read of a family's data is audited), and whenever it is a refusal.
    A refusal raises PermissionDenied (403 on a page, and in the API). `check(user)` replaces the household rule for
    questions of another shape (a pharmacy's records, a client identified in person)."""
    user = request.user
    allowed = check(user) if check is not None else can(user, action, household)
    household_id = getattr(household, "pk", household)
    if household_id is not None or not allowed:
        detail = "refused"
        if allowed:
            by_glass = hasattr(household, "team_id") and reached_by_break_glass(user, household)
            detail = "break-glass" if by_glass else ""
        auditing.record_access(
            request=request,
            user=user,
            action=audit_as or action,
            household_id=household_id,
            allowed=allowed,
            detail=detail,
        )
    if not allowed:
        if message:
            raise PermissionDenied(message)
        if household is not None:
            raise PermissionDenied("You do not have access to this family's record.")
        raise PermissionDenied("Your role does not allow this.")


def may_act_in_person(user, action: str, household) -> bool:
    """May `user` do `action` for a service user of `household` who is in front of them and has been identified
    (NHS number and date of birth)? Their own households as usual; roles with `identified_in_person` any household,
    without ever seeing its record (guide: the needle exchange issues safety boxes to the service's clients)."""
    if not has_action(user, action):
        return False
    return action in ROLES[user.role].identified_in_person or reaches(user, household)


# What a role is for ---------------------------------------------------------------------------------------------------


def sees_every_household(user) -> bool:
    """Administrators: every family, every organisation's staff, every pharmacy's feed."""
    return _scope(user) == Scope.ALL


def has_caseload(user) -> bool:
    """Roles that work from a caseload of families (the caseload, My tasks and Team tasks are theirs)."""
    return _signed_in(user) and ROLES[user.role].has_caseload


def prescribes(user) -> bool:
    """Prescribers: their home is the prescribing page (take-home reviews, missed-dose reviews, checks not met);
    others who may change a prescription (an administrator) are offered it in the navigation."""
    return has_action(user, Action.EDIT_PRESCRIPTION) and not has_action(user, Action.RECORD_ASSESSMENT)


def works_at_a_counter(user) -> bool:
    """Pharmacists: their home is Today at the counter, and what they mark delayed is their own pharmacy."""
    return has_action(user, Action.RECORD_DISPENSING) and not sees_every_household(user)


def routine_notification_ages(user) -> tuple[int, int] | None:
    """The children's ages (from, up to but not including) whose routine notification goes to this practitioner: a
    health visitor's under-5s, a school nurse's 5 to 18. None: not a routine-notification role."""
    if user is None:
        return None
    if user.role in HEALTH_VISITOR_ROLES:
        return (0, 5)
    if user.role in SCHOOL_NURSE_ROLES:
        return (5, 19)
    return None


def is_recipient(user, involvement) -> bool:
    """Is `user` the professional this network entry names (a letter to them is theirs to read and acknowledge)?"""
    return _signed_in(user) and involvement is not None and involvement.professional_id == user.pk


def receives_shared_records(user) -> bool:
    """Partners (health visitors, school nurses, social workers): their home is "Shared with me"."""
    return has_action(user, Action.VIEW_SHARED) and not has_caseload(user)


def shares_team_tasks(user) -> bool:
    """Whose Team tasks page shows their own team's tasks (not their whole service's)."""
    return _scope(user) == Scope.TEAM and bool(user.team_id)


def role_fits_organisation(role: str, organisation_type: str) -> bool:
    """Whether a person with this role may belong to an organisation of this type (a pharmacist to a pharmacy)."""
    spec = ROLES.get(role)
    return spec is None or organisation_type in spec.organisation_types


def registers_for_own_caseload(user) -> bool:
    """Whether a family this user registers goes on their own caseload unless they say otherwise (keyworkers; a
    manager usually registers a family for someone in the team)."""
    return _signed_in(user) and user.role == Role.KEYWORKER


# People and teams a record may name -----------------------------------------------------------------------------------


def placeable_teams_q(user) -> Q:
    """The teams (a filter on Team) this user may register a household into or move one to: treatment teams whose
    households would still be within their reach. Pages and the API offer exactly these, so nobody can put a family
    where they can no longer see it, or into another service."""
    if not (has_action(user, Action.CREATE_HOUSEHOLD) or has_action(user, Action.EDIT_HOUSEHOLD)):
        return NOTHING
    return Q(organisation__type=OrganisationType.TREATMENT_SERVICE) & _scope_q(
        user, team_id="pk", organisation_id="organisation_id"
    )


def reported_services_q(user) -> Q:
    """The treatment services (a filter on Organisation) whose anonymised reports this user sees: every one for a
    commissioner or an administrator, their own for a team manager."""
    if not has_action(user, Action.VIEW_REPORTS):
        return NOTHING
    services = Q(type=OrganisationType.TREATMENT_SERVICE)
    scope = ROLES[user.role].reports_scope
    if scope == Scope.ALL:
        return services
    if scope == Scope.ORGANISATION:
        return services & Q(pk=user.organisation_id)
    return NOTHING


def training_people_q(user, *, kind: str | None = None) -> Q:
    """The people (a filter on User) whose training this user may record and see: the staff of their own service,
    and, for multi-agency training, the partner professionals who work with its families (health visitors, school
    nurses, social workers, GP practices). An administrator: anyone."""
    if not has_action(user, Action.RECORD_TRAINING):
        return NOTHING
    if sees_every_household(user):
        return Q(is_active=True)
    own = Q(is_active=True, organisation_id=user.organisation_id)
    partners = Q(is_active=True, role__in=[r for r, spec in ROLES.items() if spec.household_scope == Scope.NETWORK])
    if kind is None or kind == MULTI_AGENCY_TRAINING:
        return own | partners
    return own


def colleagues_q(user) -> Q:
    """People (a filter on User) this user may name in a record: their own organisation's, or anyone's for a role
    that reaches every family. Which of them suit a particular field is the next filter's business."""
    if not _signed_in(user):
        return NOTHING
    if sees_every_household(user):
        return Q(is_active=True)
    return Q(is_active=True, organisation_id=user.organisation_id)


def keyworkers_q(*, organisation_id) -> Q:
    """Who may hold a family of this treatment service on their caseload as its keyworker."""
    return Q(is_active=True, role__in=KEYWORKER_ROLES, organisation_id=organisation_id)


def prescribers_q(*, organisation_id) -> Q:
    """Who may write this treatment service's prescriptions."""
    return Q(is_active=True, role__in=PRESCRIBER_ROLES, organisation_id=organisation_id)


def managers_q(*, organisation_id) -> Q:
    """This treatment service's team managers (who are asked to consider a child protection referral)."""
    return Q(is_active=True, role__in=MANAGER_ROLES, organisation_id=organisation_id)


def home_visitors_q(*, organisation_id) -> Q:
    """Who may go on a home visit for this treatment service (and be recorded as having gone)."""
    return Q(is_active=True, role__in=CASEWORK_ROLES, organisation_id=organisation_id)


def network_professionals_q() -> Q:
    """Who may be named in a family's professional network: practitioners, not commissioners or administrators."""
    return Q(is_active=True, role__in=NETWORK_ROLES)


def outside_professional_choices() -> list[tuple[str, str]]:
    """The professionals outside the treatment service whose record can confirm or contradict a service user's account
    of contact with them (warning sign 9)."""
    outside = [Role.HEALTH_VISITOR, Role.SCHOOL_NURSE, Role.SOCIAL_WORKER, Role.GP_PRACTICE, Role.PHARMACIST]
    return [(role.value, role.label) for role in outside]


def break_glass_review_q(user) -> Q:
    """Break-glass grants (a filter on the grant) a manager reviews: their own service's staff's, and those into their
    own service's families; every grant for an administrator."""
    if not has_action(user, Action.APPROVE_SHARING):
        return NOTHING
    if sees_every_household(user):
        return Q()
    return Q(user__organisation_id=user.organisation_id) | Q(household__team__organisation_id=user.organisation_id)


def audit_log_people_q(user) -> Q:
    """Whose actions a reader of the access log may filter by: their own organisation's staff, or everyone's."""
    if not has_action(user, Action.VIEW_AUDIT):
        return NOTHING
    return Q() if sees_every_household(user) else Q(organisation_id=user.organisation_id)


# Pharmacies -----------------------------------------------------------------------------------------------------------


def may_act_for_pharmacy(user, pharmacy_id: int | None) -> bool:
    """May `user` act on this pharmacy's dispensing records (`None`: the whole feed)? Pharmacists their own pharmacy
    only; roles that reach every family (administrators) any pharmacy and the whole feed."""
    if not has_action(user, Action.RECORD_DISPENSING):
        return False
    return sees_every_household(user) or (pharmacy_id is not None and pharmacy_id == user.organisation_id)


def pharmacy_q(user, *, field: str = "pharmacy_id") -> Q:
    """A filter for the pharmacies' records `user` may act on (the list twin of `may_act_for_pharmacy`)."""
    if not has_action(user, Action.RECORD_DISPENSING):
        return NOTHING
    if sees_every_household(user):
        return Q()
    return Q(**{field: user.organisation_id}) if user.organisation_id else NOTHING


def pharmacies_sending_for(user) -> set[int] | None:
    """The pharmacies whose dispensing records this user may send (None: every pharmacy)."""
    return None if sees_every_household(user) else {user.organisation_id}


def may_dispense(user, prescription) -> bool:
    """A pharmacist may see and record dispensing only for prescriptions dispensed at their own pharmacy."""
    return may_act_for_pharmacy(user, prescription.pharmacy_id)
