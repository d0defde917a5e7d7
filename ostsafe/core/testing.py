"""The role x view test harness.

`World` builds two treatment services and one family, and one user per *actor* (a role seen from that family: the
keyworker in the family's team, a keyworker in another team of the same service, a manager of another service...).
`EXPECTED` says, as data written independently of `core.roles`, which actors may do which action on that family.
Every app's access tests iterate the same actors over their own views and API endpoints, so a new view is one more
row in a table, and a change to the role table shows up as failing rows.
"""

import datetime
from dataclasses import dataclass

from ostsafe.audit.models import AccessEvent, Outcome
from ostsafe.core.roles import OrganisationType, Role

VIEW = "view"
EDIT = "edit"
PRESCRIBE = "prescribe"
AUDIT = "audit"
OVERSIGHT = "oversight"
CREATE = "create"
ASSESS = "assess"
VISIT = "visit"
RECORD_STORAGE = "record_storage"
ISSUE_BOX = "issue_box"
PLAN = "plan"
CONSENT = "consent"
NOTIFY = "notify"
APPROVE = "approve"
RESPOND = "respond"
REFER = "refer"
REPORT = "report"
DISCUSS = "discuss"
SHARED = "shared"

ACTORS = [
    "keyworker",
    "keyworker_other_team",
    "prescriber",
    "prescriber_other_team",
    "manager",
    "manager_other_service",
    "administrator",
    "pharmacist",
    "health_visitor",
    "school_nurse",
    "social_worker",
    "gp",
    "harm_reduction_worker",
    "commissioner",
]

EXPECTED: dict[str, set[str]] = {
    VIEW: {"keyworker", "prescriber", "manager", "administrator"},
    EDIT: {"keyworker", "manager", "administrator"},
    PRESCRIBE: {"prescriber", "administrator"},
    AUDIT: {"manager", "administrator"},
    # Reviewing take-home doses whose checks are not met: the family's service's managers.
    OVERSIGHT: {"manager", "administrator"},
    # Registering a new family is not about an existing household: any treatment-service practitioner who keeps
    # a caseload (not prescribers) may do it for their own service.
    CREATE: {"keyworker", "keyworker_other_team", "manager", "manager_other_service", "administrator"},
    ASSESS: {"keyworker", "manager", "administrator"},
    VISIT: {"keyworker", "manager", "administrator"},
    RECORD_STORAGE: {"keyworker", "manager", "administrator"},
    PLAN: {"keyworker", "manager", "administrator"},
    # From the family's record. Needle-exchange staff issue boxes only to a client identified in person.
    ISSUE_BOX: {"keyworker", "manager", "administrator"},
    CONSENT: {"keyworker", "manager", "administrator"},
    NOTIFY: {"keyworker", "manager", "administrator"},
    APPROVE: {"manager", "administrator"},
    RESPOND: {"keyworker", "manager", "administrator"},
    REFER: {"keyworker", "manager", "administrator"},
    # The team discussion after consent is refused is the team manager's.
    DISCUSS: {"manager", "administrator"},
    # The shared view: the world's health visitor is in the family's network with current consent; its school nurse
    # is in the network without consent; its social worker is not in the network.
    SHARED: {"health_visitor", "administrator"},
    # Telling the treatment service of an update, a concern or a child health event: whoever sees the shared view.
    REPORT: {"health_visitor", "administrator"},
}
# Roles that have a "Shared with me" list (empty or not).
PARTNER_ROLES = {"health_visitor", "school_nurse", "social_worker", "gp"}
# Pages that list many families (the caseload): open to every role that has a caseload.
CASELOAD_ROLES = {
    "keyworker",
    "keyworker_other_team",
    "prescriber",
    "prescriber_other_team",
    "manager",
    "manager_other_service",
    "administrator",
}


def allowed(actor: str, action: str) -> bool:
    return actor in EXPECTED[action]


@dataclass
class World:
    household: object
    service_user: object
    child: object
    adult: object
    child_contact: object
    involvement: object
    prescription: object
    users: dict
    consent: object = None  # the service user's consent to routine notification to the health visitor


def build_world() -> World:
    from ostsafe.accounts.tests.factories import OrganisationFactory, TeamFactory, UserFactory
    from ostsafe.families.tests.factories import (
        AdultMemberFactory,
        ChildContactFactory,
        ChildFactory,
        HouseholdFactory,
        InvolvementFactory,
        ServiceUserFactory,
    )
    from ostsafe.prescribing.tests.factories import PrescriptionFactory
    from ostsafe.sharing import services as sharing
    from ostsafe.sharing.models import Decision, Purpose

    service = OrganisationFactory(type=OrganisationType.TREATMENT_SERVICE)
    other_service = OrganisationFactory(type=OrganisationType.TREATMENT_SERVICE)
    team = TeamFactory(organisation=service)
    other_team = TeamFactory(organisation=service)
    household = HouseholdFactory(team=team)
    service_user = ServiceUserFactory(household=household)
    users = {
        "keyworker": UserFactory(role=Role.KEYWORKER, organisation=service, team=team),
        "keyworker_other_team": UserFactory(role=Role.KEYWORKER, organisation=service, team=other_team),
        "prescriber": UserFactory(role=Role.PRESCRIBER, organisation=service, team=team),
        "prescriber_other_team": UserFactory(role=Role.PRESCRIBER, organisation=service, team=other_team),
        "manager": UserFactory(role=Role.TEAM_MANAGER, organisation=service, team=team),
        "manager_other_service": UserFactory(role=Role.TEAM_MANAGER, organisation=other_service),
        "administrator": UserFactory(role=Role.ADMINISTRATOR, organisation=other_service),
        "pharmacist": UserFactory(role=Role.PHARMACIST),
        "health_visitor": UserFactory(role=Role.HEALTH_VISITOR),
        "school_nurse": UserFactory(role=Role.SCHOOL_NURSE),
        "social_worker": UserFactory(role=Role.SOCIAL_WORKER),
        "gp": UserFactory(role=Role.GP_PRACTICE),
        "harm_reduction_worker": UserFactory(role=Role.HARM_REDUCTION_WORKER),
        "commissioner": UserFactory(role=Role.COMMISSIONER),
    }
    service_user.keyworker = users["keyworker"]
    service_user.save()
    health_visitor = InvolvementFactory(
        household=household, professional=users["health_visitor"], name="", organisation_name=""
    )
    InvolvementFactory(
        household=household,
        professional=users["school_nurse"],
        name="",
        organisation_name="",
        role_in_family="School nurse",
    )
    consent = sharing.record_consent(
        household=household,
        service_user=service_user,
        recipient=health_visitor,
        purpose=Purpose.ROUTINE_NOTIFICATION,
        decision=Decision.GIVEN,
        decided_on=datetime.date.today(),
        explained_how="Not a referral; part of supporting parents and their children earlier.",
        recorded_by=users["keyworker"],
    )
    return World(
        household=household,
        service_user=service_user,
        child=ChildFactory(household=household),
        adult=AdultMemberFactory(household=household),
        child_contact=ChildContactFactory(service_user=service_user),
        involvement=InvolvementFactory(household=household),
        prescription=PrescriptionFactory(service_user=service_user, prescriber=users["prescriber"]),
        users=users,
        consent=consent,
    )


def refusals_for(user, household_id=None):
    events = AccessEvent.objects.filter(user=user, outcome=Outcome.REFUSED)
    if household_id is not None:
        events = events.filter(household_id=household_id)
    return events


def assert_view_access(client, user, url, *, may: bool, household_id=None, method="get", data=None):
    """Allowed: the page answers 200 (or redirects after a write). Refused: 403 and a refusal in the access log."""
    client.force_login(user)
    response = getattr(client, method)(url, data or {})
    if may:
        assert response.status_code in (200, 302), f"{user.role} should reach {url}, got {response.status_code}"
    else:
        assert response.status_code in (403, 404), f"{user.role} should be refused {url}, got {response.status_code}"
        assert refusals_for(user, household_id).exists(), f"refusal of {user.role} at {url} was not audited"
    return response


def write_csv(path, fields, rows):
    """A CSV file with a header row, for import tests."""
    import csv

    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path
