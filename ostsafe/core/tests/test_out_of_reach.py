"""Every write, form and API, tried with ids of records the caller may not name.

For each write there is a body that succeeds (the control: the test would pass vacuously without it) and, for each
input that names another record, ids from outside the caller's reach (another team's family, another service's) and
from outside the household in hand (a family the caller can see, but not this one). Each must be refused with
nothing saved; an out-of-reach id must get exactly the answer an id that does not exist gets, and its name must not
appear in the answer. A structural test makes sure no API field that names a record is left unscoped.
"""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from ostsafe.accounts.tests.factories import OrganisationFactory, TeamFactory, UserFactory
from ostsafe.core.api import ReachableRelatedField
from ostsafe.core.roles import OrganisationType, Role
from ostsafe.core.testing import build_world
from ostsafe.families.models import Household, HouseholdMember, Involvement, ServiceUser
from ostsafe.families.tests.factories import (
    AdultMemberFactory,
    ChildFactory,
    HouseholdFactory,
    InvolvementFactory,
    ServiceUserFactory,
)
from ostsafe.visits.models import HomeVisit, VisitStatus

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
MISSING = 987_654_321


@dataclass
class Family:
    household: Household
    service_user: ServiceUser
    child: HouseholdMember
    adult: HouseholdMember
    involvement: Involvement
    visit: HomeVisit


def family_in(team, keyworker=None) -> Family:
    household = HouseholdFactory(team=team)
    service_user = ServiceUserFactory(household=household, keyworker=keyworker)
    return Family(
        household=household,
        service_user=service_user,
        child=ChildFactory(household=household),
        adult=AdultMemberFactory(household=household),
        involvement=InvolvementFactory(household=household),
        visit=HomeVisit.objects.create(
            household=household, status=VisitStatus.COMPLETED, visited_on=TODAY, recorded_by=keyworker or _any_user()
        ),
    )


def _any_user():
    return UserFactory()


@pytest.fixture
def w():
    """The role × view world, plus: a second family in the keyworker's own team (in reach, not in hand), a family of
    another team of the same service, and one of another service, with people the forms must not offer."""
    world = build_world()
    keyworker = world.users["keyworker"]
    other_service_team = TeamFactory(organisation=world.users["manager_other_service"].organisation)
    world.same_team = family_in(keyworker.team, keyworker)
    world.other_team = family_in(world.users["keyworker_other_team"].team, world.users["keyworker_other_team"])
    world.other_service = family_in(other_service_team)
    world.other_service_prescriber = UserFactory(
        role=Role.PRESCRIBER, organisation=world.users["manager_other_service"].organisation
    )
    world.other_service_keyworker = UserFactory(
        role=Role.KEYWORKER, organisation=world.users["manager_other_service"].organisation, team=other_service_team
    )
    world.visit = HomeVisit.objects.create(
        household=world.household, status=VisitStatus.COMPLETED, visited_on=TODAY, recorded_by=keyworker
    )
    world.pharmacy = OrganisationFactory(type=OrganisationType.COMMUNITY_PHARMACY)
    from ostsafe.storage.models import BoxMovement, MovementKind

    BoxMovement.objects.create(
        site=keyworker.organisation, kind=MovementKind.RECEIVED, quantity=5, on=TODAY, recorded_by=keyworker
    )
    return world


def names_of(family: Family) -> list[str]:
    return [family.service_user.full_name, family.child.display_name, family.household.name]


# API ---------------------------------------------------------------------------------------------------------------


@dataclass
class ApiWrite:
    name: str
    actor: str
    url: object  # world -> url
    body: object  # world -> dict
    model: type
    method: str = "post"


def d(day: datetime.date) -> str:
    return day.isoformat()


API_WRITES = [
    ApiWrite(
        "register household",
        "keyworker",
        lambda w: reverse("household-list"),
        lambda w: {
            "name": "New household",
            "address_line_1": "1 High Street",
            "town": "Riverside",
            "postcode": "RV1 2AB",
            "team": w.users["keyworker"].team_id,
        },
        Household,
    ),
    ApiWrite(
        "move household",
        "manager",
        lambda w: reverse("household-detail", args=[w.household.pk]),
        lambda w: {"team": w.users["keyworker_other_team"].team_id},
        Household,
        method="patch",
    ),
    ApiWrite(
        "register service user",
        "keyworker",
        lambda w: reverse("service-user-list"),
        lambda w: {
            "household": w.household.pk,
            "given_name": "Ada",
            "family_name": "Example",
            "date_of_birth": "1990-04-01",
            "sex": "female",
            "keyworker": w.users["keyworker"].pk,
        },
        ServiceUser,
    ),
    ApiWrite(
        "change keyworker",
        "keyworker",
        lambda w: reverse("service-user-detail", args=[w.service_user.pk]),
        lambda w: {"keyworker": w.users["manager"].pk},
        ServiceUser,
        method="patch",
    ),
    ApiWrite(
        "add partner on OST",
        "keyworker",
        lambda w: reverse("household-member-list"),
        lambda w: {
            "household": w.household.pk,
            "role": "partner",
            "given_name": "Sam",
            "service_user": None,
            "lives_here": True,
        },
        HouseholdMember,
    ),
    ApiWrite(
        "add child contact",
        "keyworker",
        lambda w: reverse("child-contact-list"),
        lambda w: {
            "service_user": w.service_user.pk,
            "given_name": "Lily",
            "date_of_birth": "2019-05-01",
            "relationship": "daughter",
            "lives_with": "Her grandmother",
            "frequency": "weekly",
        },
        None,
    ),
    ApiWrite(
        "add to network",
        "keyworker",
        lambda w: reverse("involvement-list"),
        lambda w: {
            "household": w.household.pk,
            "professional": w.users["health_visitor"].pk,
            "role_in_family": "Health visitor",
        },
        Involvement,
    ),
    ApiWrite(
        "record prescription",
        "prescriber",
        lambda w: reverse("prescription-list"),
        lambda w: {
            "service_user": w.same_team.service_user.pk,
            "drug": "methadone_oral_solution",
            "daily_dose": "40",
            "dose_unit": "ml",
            "regime": "supervised_daily",
            "pharmacy": w.pharmacy.pk,
            "prescriber": w.users["prescriber"].pk,
            "start_date": d(TODAY),
        },
        None,
    ),
    ApiWrite(
        "start assessment",
        "keyworker",
        lambda w: reverse("assessment-list"),
        lambda w: {"household": w.household.pk, "service_user": w.service_user.pk},
        None,
    ),
    ApiWrite(
        "record home visit",
        "keyworker",
        lambda w: reverse("home-visit-list"),
        lambda w: {
            "household": w.household.pk,
            "visited_on": d(TODAY),
            "visitors": [w.users["keyworker"].pk],
            "service_users_seen": [w.service_user.pk],
            "adults_present": [w.adult.pk],
            "child_observations": [{"child": w.child.pk, "seen": True, "note": "Playing"}],
        },
        HomeVisit,
    ),
    ApiWrite(
        "record storage check",
        "keyworker",
        lambda w: reverse("storage-check-list"),
        lambda w: {
            "visit": w.visit.pk,
            "service_user": w.service_user.pk,
            "verification": "claimed",
            "location": "Kitchen cupboard",
            "out_of_sight_and_reach": True,
            "locked_box_in_use": False,
            "box_locked": False,
            "other_substances_safe": True,
            "empty_bottles_disposed": True,
            "satisfied": False,
        },
        None,
    ),
    ApiWrite(
        "issue safety box",
        "keyworker",
        lambda w: reverse("safety-box-list"),
        lambda w: {"service_user": w.service_user.pk, "issued_on": d(TODAY), "acknowledgement_signed": True},
        None,
    ),
    ApiWrite(
        "draft agreement",
        "keyworker",
        lambda w: reverse("guidance-agreement-list"),
        lambda w: {"household": w.household.pk, "service_user": w.service_user.pk, "expectations": "Locked box"},
        None,
    ),
    ApiWrite(
        "start safety plan",
        "keyworker",
        lambda w: reverse("safety-plan-list"),
        lambda w: {"household": w.household.pk},
        None,
    ),
    ApiWrite(
        "record appointment",
        "keyworker",
        lambda w: reverse("appointment-list"),
        lambda w: {"service_user": w.service_user.pk, "kind": "keywork", "on": d(TODAY), "outcome": "attended"},
        None,
    ),
    ApiWrite(
        "record test result",
        "keyworker",
        lambda w: reverse("test-result-list"),
        lambda w: {
            "service_user": w.service_user.pk,
            "taken_on": d(TODAY),
            "substance": "cocaine",
            "method": "urine",
            "positive": False,
        },
        None,
    ),
    ApiWrite(
        "record concern",
        "keyworker",
        lambda w: reverse("concern-list"),
        lambda w: {
            "household": w.household.pk,
            "service_user": w.service_user.pk,
            "source": "school",
            "category": "child_welfare",
            "description": "Tired at school",
            "received_on": d(TODAY),
        },
        None,
    ),
]
API_BY_NAME = {write.name: write for write in API_WRITES}

# (write, field, how to name a record outside reach or outside the household in hand, is it out of reach?)
# Out-of-reach ids must read exactly like a missing id; in-reach ids of another household get their own message.
OUTSIDE = "out of reach"
NOT_IN_HAND = "not in this household"
API_CASES = [
    ("register household", "team", lambda w: w.users["keyworker_other_team"].team_id, OUTSIDE),
    ("register household", "team", lambda w: w.other_service.household.team_id, OUTSIDE),
    ("move household", "team", lambda w: w.other_service.household.team_id, OUTSIDE),
    ("register service user", "household", lambda w: w.other_team.household.pk, OUTSIDE),
    ("register service user", "keyworker", lambda w: w.users["pharmacist"].pk, OUTSIDE),
    ("register service user", "keyworker", lambda w: w.other_service_keyworker.pk, OUTSIDE),
    ("register service user", "keyworker", lambda w: w.users["prescriber"].pk, NOT_IN_HAND),
    ("change keyworker", "keyworker", lambda w: w.users["pharmacist"].pk, OUTSIDE),
    ("add partner on OST", "household", lambda w: w.other_team.household.pk, OUTSIDE),
    ("add partner on OST", "service_user", lambda w: w.other_team.service_user.pk, OUTSIDE),
    ("add partner on OST", "service_user", lambda w: w.same_team.service_user.pk, NOT_IN_HAND),
    ("add child contact", "service_user", lambda w: w.other_team.service_user.pk, OUTSIDE),
    ("add to network", "household", lambda w: w.other_service.household.pk, OUTSIDE),
    ("add to network", "professional", lambda w: w.users["commissioner"].pk, OUTSIDE),
    ("record prescription", "service_user", lambda w: w.other_team.service_user.pk, OUTSIDE),
    ("record prescription", "prescriber", lambda w: w.other_service_prescriber.pk, OUTSIDE),
    ("record prescription", "prescriber", lambda w: w.users["keyworker"].pk, NOT_IN_HAND),
    ("record prescription", "pharmacy", lambda w: w.users["keyworker"].organisation_id, OUTSIDE),
    ("start assessment", "household", lambda w: w.other_team.household.pk, OUTSIDE),
    ("start assessment", "service_user", lambda w: w.other_team.service_user.pk, OUTSIDE),
    ("start assessment", "service_user", lambda w: w.same_team.service_user.pk, NOT_IN_HAND),
    ("record home visit", "household", lambda w: w.other_team.household.pk, OUTSIDE),
    ("record home visit", "visitors", lambda w: [w.users["pharmacist"].pk], OUTSIDE),
    ("record home visit", "visitors", lambda w: [w.users["keyworker"].pk, w.other_service_keyworker.pk], OUTSIDE),
    ("record home visit", "service_users_seen", lambda w: [w.other_team.service_user.pk], OUTSIDE),
    ("record home visit", "adults_present", lambda w: [w.other_team.adult.pk], OUTSIDE),
    ("record home visit", "adults_present", lambda w: [w.same_team.adult.pk], NOT_IN_HAND),
    ("record home visit", "service_users_seen", lambda w: [w.same_team.service_user.pk], NOT_IN_HAND),
    (
        "record home visit",
        "child_observations",
        lambda w: [{"child": w.other_team.child.pk, "seen": True, "note": ""}],
        OUTSIDE,
    ),
    (
        "record home visit",
        "child_observations",
        lambda w: [
            {"child": w.child.pk, "seen": True, "note": ""},
            {"child": w.same_team.child.pk, "seen": True, "note": ""},
        ],
        NOT_IN_HAND,
    ),
    ("record storage check", "visit", lambda w: w.other_team.visit.pk, OUTSIDE),
    ("record storage check", "service_user", lambda w: w.other_team.service_user.pk, OUTSIDE),
    ("record storage check", "service_user", lambda w: w.same_team.service_user.pk, NOT_IN_HAND),
    ("issue safety box", "service_user", lambda w: w.other_team.service_user.pk, OUTSIDE),
    ("draft agreement", "household", lambda w: w.other_team.household.pk, OUTSIDE),
    ("draft agreement", "service_user", lambda w: w.other_team.service_user.pk, OUTSIDE),
    ("draft agreement", "service_user", lambda w: w.same_team.service_user.pk, NOT_IN_HAND),
    ("start safety plan", "household", lambda w: w.other_service.household.pk, OUTSIDE),
    ("record appointment", "service_user", lambda w: w.other_team.service_user.pk, OUTSIDE),
    ("record test result", "service_user", lambda w: w.other_team.service_user.pk, OUTSIDE),
    ("record concern", "household", lambda w: w.other_team.household.pk, OUTSIDE),
    ("record concern", "service_user", lambda w: w.other_team.service_user.pk, OUTSIDE),
    ("record concern", "service_user", lambda w: w.same_team.service_user.pk, NOT_IN_HAND),
]


def _count(write: ApiWrite, w):
    """What the write would add to: the model it creates, or every model when it is a change."""
    if write.method == "patch":
        return None
    serializer = _viewset_serializer(write.url(w))
    return serializer.Meta.model.objects.count()


def _viewset_serializer(url):
    from django.urls import resolve

    return resolve(url).func.cls.serializer_class


def _send(client, write, w, body):
    return getattr(client, write.method)(write.url(w), body, content_type="application/json")


@pytest.mark.parametrize("write", API_WRITES, ids=[write.name for write in API_WRITES])
def test_control_each_api_write_succeeds_with_ids_in_reach(client, w, write):
    client.force_login(w.users[write.actor])
    response = _send(client, write, w, write.body(w))
    assert response.status_code in (200, 201), response.content


def _missing_like(value):
    if isinstance(value, list):
        return [_missing_like(v) for v in value]
    if isinstance(value, dict):
        return {k: (MISSING if k == "child" else v) for k, v in value.items()}
    return MISSING


@pytest.mark.parametrize(
    ("name", "field", "value", "kind"), API_CASES, ids=[f"{n}-{f}-{i}" for i, (n, f, _, _) in enumerate(API_CASES)]
)
def test_api_write_naming_a_record_out_of_reach_or_out_of_the_household_is_refused(client, w, name, field, value, kind):
    write = API_BY_NAME[name]
    client.force_login(w.users[write.actor])
    before = _count(write, w)
    household_team = Household.objects.get(pk=w.household.pk).team_id
    foreign = value(w)
    response = _send(client, write, w, write.body(w) | {field: foreign})
    assert response.status_code == 400, response.content
    text = response.content.decode()
    for family in (w.other_team, w.other_service):
        for person in names_of(family):
            assert person not in text
    if before is not None:
        assert _count(write, w) == before
    assert Household.objects.get(pk=w.household.pk).team_id == household_team
    if kind == OUTSIDE:
        # Exactly what an id that exists nowhere gets, apart from the number itself.
        missing = _send(client, write, w, write.body(w) | {field: _missing_like(foreign)})
        assert missing.status_code == 400
        assert _without_numbers(response.json()) == _without_numbers(missing.json())


def _without_numbers(body) -> str:
    return re.sub(r"\d+", "#", str(body))


def test_every_api_field_that_names_a_record_takes_its_choices_from_the_callers_reach():
    """No related field on any endpoint's serializers (nested ones and extra actions' too) may list or accept records
    regardless of who asks: each is a ReachableRelatedField, or read only."""
    from ostsafe.config.urls import router

    request = APIRequestFactory().get("/")
    unscoped = []
    for prefix, viewset, _ in router.registry:
        classes = {viewset.serializer_class}
        classes |= {getattr(a, "kwargs", {}).get("serializer_class") for a in viewset.get_extra_actions()}
        for serializer_class in filter(None, classes):
            for path, field in _related_fields(serializer_class(context={"request": request})):
                if not field.read_only and not isinstance(field, ReachableRelatedField):
                    unscoped.append(f"{prefix}: {serializer_class.__name__}.{path}")
    assert unscoped == []


def _related_fields(serializer, path=""):
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ListSerializer):
            yield from _related_fields(field.child, f"{path}{name}[].")
        elif isinstance(field, serializers.Serializer):
            yield from _related_fields(field, f"{path}{name}.")
        elif isinstance(field, serializers.ManyRelatedField):
            yield f"{path}{name}", field.child_relation
        elif isinstance(field, serializers.RelatedField):
            yield f"{path}{name}", field


# Pages -------------------------------------------------------------------------------------------------------------


def date_parts(name, day):
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


@dataclass
class PageWrite:
    name: str
    actor: str
    url: object
    data: object
    model: type


PAGE_WRITES = [
    PageWrite(
        "register",
        "keyworker",
        lambda w: reverse("families:register"),
        lambda w: (
            {
                "household_name": "New household",
                "children_answer": "none",
                "address_line_1": "1 High Street",
                "town": "Riverside",
                "postcode": "RV1 2AB",
                "team": w.users["keyworker"].team_id,
                "given_name": "Ada",
                "family_name": "Example",
                "sex": "female",
                "keyworker": w.users["keyworker"].pk,
            }
            | date_parts("date_of_birth", datetime.date(1990, 4, 1))
        ),
        ServiceUser,
    ),
    PageWrite(
        "household edit",
        "manager",
        lambda w: reverse("families:household_edit", args=[w.household.pk]),
        lambda w: {
            "name": "Renamed",
            "address_line_1": "1 High Street",
            "town": "Riverside",
            "postcode": "RV1 2AB",
            "team": w.users["keyworker_other_team"].team_id,  # a manager moves a family within their service
        },
        None,
    ),
    PageWrite(
        "service user edit",
        "keyworker",
        lambda w: reverse("families:service_user_edit", args=[w.household.pk, w.service_user.pk]),
        lambda w: (
            {
                "given_name": w.service_user.given_name,
                "family_name": w.service_user.family_name,
                "sex": "female",
                "children_answer": "living",
                "keyworker": w.users["manager"].pk,
            }
            | date_parts("date_of_birth", w.service_user.date_of_birth)
        ),
        None,
    ),
    PageWrite(
        "adult add",
        "keyworker",
        lambda w: reverse("families:member_add", args=[w.household.pk, "adult"]),
        lambda w: {"role": "partner", "given_name": "Sam", "lives_here": "on"},
        HouseholdMember,
    ),
    PageWrite(
        "network add",
        "keyworker",
        lambda w: reverse("families:involvement_add", args=[w.household.pk]),
        lambda w: {"professional": w.users["health_visitor"].pk, "role_in_family": "Health visitor"},
        Involvement,
    ),
    PageWrite(
        "record visit",
        "keyworker",
        lambda w: reverse("visits:record", args=[w.household.pk]),
        lambda w: (
            {
                "visitors": [w.users["keyworker"].pk],
                "service_users_seen": [w.service_user.pk],
                f"child_{w.child.pk}_seen": "yes",
            }
            | date_parts("visited_on", TODAY)
        ),
        HomeVisit,
    ),
    PageWrite(
        "start assessment",
        "keyworker",
        lambda w: reverse("assessments:start", args=[w.household.pk]),
        lambda w: {"service_user": w.service_user.pk},
        None,
    ),
    PageWrite(
        "draft agreement",
        "keyworker",
        lambda w: reverse("plans:agreement_draft", args=[w.household.pk]),
        lambda w: {"service_user": w.service_user.pk, "expectations": "Locked box on the top shelf"},
        None,
    ),
    PageWrite(
        "concern",
        "keyworker",
        lambda w: reverse("monitoring:concern", args=[w.household.pk]),
        lambda w: (
            {
                "service_user": w.service_user.pk,
                "source": "school",
                "category": "child_welfare",
                "description": "Tired at school",
            }
            | date_parts("received_on", TODAY)
        ),
        None,
    ),
    PageWrite(
        "appointment",
        "keyworker",
        lambda w: reverse("monitoring:appointment", args=[w.household.pk]),
        lambda w: (
            {"service_user": w.service_user.pk, "kind": "keywork", "outcome": "attended"} | date_parts("on", TODAY)
        ),
        None,
    ),
]
PAGE_BY_NAME = {write.name: write for write in PAGE_WRITES}
PAGE_CASES = [
    ("register", "team", lambda w: w.users["keyworker_other_team"].team_id),
    ("register", "keyworker", lambda w: w.users["pharmacist"].pk),
    ("household edit", "team", lambda w: w.other_service.household.team_id),
    ("service user edit", "keyworker", lambda w: w.users["pharmacist"].pk),
    ("service user edit", "keyworker", lambda w: w.other_service_keyworker.pk),
    ("adult add", "service_user", lambda w: w.other_team.service_user.pk),
    ("adult add", "service_user", lambda w: w.same_team.service_user.pk),
    ("network add", "professional", lambda w: w.users["commissioner"].pk),
    ("record visit", "visitors", lambda w: [w.users["pharmacist"].pk]),
    ("record visit", "service_users_seen", lambda w: [w.other_team.service_user.pk]),
    ("record visit", "service_users_seen", lambda w: [w.same_team.service_user.pk]),
    ("start assessment", "service_user", lambda w: w.other_team.service_user.pk),
    ("draft agreement", "service_user", lambda w: w.same_team.service_user.pk),
    ("concern", "service_user", lambda w: w.other_team.service_user.pk),
    ("appointment", "service_user", lambda w: w.other_team.service_user.pk),
]


def _page_state(w):
    return (
        ServiceUser.objects.count(),
        HouseholdMember.objects.count(),
        Involvement.objects.count(),
        HomeVisit.objects.count(),
        list(ServiceUser.objects.order_by("pk").values_list("keyworker_id", flat=True)),
        list(Household.objects.order_by("pk").values_list("team_id", flat=True)),
        w.household.assessments.count(),
        w.household.agreements.count(),
        w.household.concerns.count(),
        w.service_user.appointments.count(),
    )


@pytest.mark.parametrize("write", PAGE_WRITES, ids=[write.name for write in PAGE_WRITES])
def test_control_each_page_write_succeeds_with_ids_in_reach(client, w, write):
    client.force_login(w.users[write.actor])
    before = _page_state(w)
    response = client.post(write.url(w), write.data(w))
    assert response.status_code == 302, _form_errors(response)
    assert _page_state(w) != before


@pytest.mark.parametrize(
    ("name", "field", "value"), PAGE_CASES, ids=[f"{n}-{f}-{i}" for i, (n, f, _) in enumerate(PAGE_CASES)]
)
def test_page_write_naming_a_record_out_of_reach_or_out_of_the_household_is_refused(client, w, name, field, value):
    write = PAGE_BY_NAME[name]
    client.force_login(w.users[write.actor])
    before = _page_state(w)
    response = client.post(write.url(w), write.data(w) | {field: value(w)})
    assert response.status_code == 200, "the form must be shown again with the problem"
    assert "govuk-error-summary" in response.content.decode()
    assert _page_state(w) == before


def _form_errors(response):
    return re.findall(r'govuk-error-message">(.*?)</p>', response.content.decode(), re.S)


@pytest.mark.parametrize("write", PAGE_WRITES, ids=[write.name for write in PAGE_WRITES])
def test_forms_offer_no_record_out_of_reach(client, w, write):
    client.force_login(w.users[write.actor])
    html = client.get(write.url(w)).content.decode()
    for family in (w.other_team, w.other_service):
        for person in names_of(family):
            assert person not in html
    for outsider in ("pharmacist", "commissioner"):
        if write.name != "network add" or outsider == "commissioner":
            assert w.users[outsider].full_name not in html
