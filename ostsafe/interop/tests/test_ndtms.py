"""The NDTMS-style monthly extract of the parental fields: one row per episode open in the month, the parental codes
from the record, only the agency, reference and consent without consent, and a check that lists every record that
would be rejected and why."""

import datetime

import pytest
from django.urls import reverse

from ostsafe.accounts.models import Organisation
from ostsafe.audit.models import AccessEvent
from ostsafe.core.periods import month_end, months_before
from ostsafe.families.models import ChildrenAnswer, ChildStatus, HouseholdMember, NdtmsConsent, Sex
from ostsafe.families.tests.factories import ChildContactFactory, ChildFactory, HouseholdFactory, ServiceUserFactory
from ostsafe.interop import ndtms

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
MONTH = months_before(TODAY, 1)[0]
END = month_end(MONTH)


@pytest.fixture
def coded(world):
    Organisation.objects.filter(pk=world.household.team.organisation_id).update(ndtms_agency_code="N4RVD")
    world.household.team.organisation.refresh_from_db()


def in_treatment(world, **fields):
    defaults = {
        "household": HouseholdFactory(team=world.household.team),
        "ndtms_consent": NdtmsConsent.GIVEN,
        "in_treatment_since": TODAY - datetime.timedelta(days=400),
        "sex": Sex.FEMALE,
        "children_answer": ChildrenAnswer.NONE,
    }
    return ServiceUserFactory(**(defaults | fields))


def row(su):
    from ostsafe.accounts.models import User
    from ostsafe.families.selectors import episodes_in

    manager = User.objects.get(role="team_manager", organisation_id=su.household.team.organisation_id)
    rows = {r.service_user.pk: r for r in ndtms.extract(episodes_in(manager, MONTH, END), END)}
    return rows[su.pk]


@pytest.mark.parametrize(
    "living, elsewhere, answer, status",
    [
        (1, 0, ChildrenAnswer.LIVING, "11"),
        (1, 1, ChildrenAnswer.LIVING, "12"),
        (0, 1, ChildrenAnswer.CONTACT, "13"),
        (0, 0, ChildrenAnswer.NONE, "14"),
        (0, 0, ChildrenAnswer.DECLINED, "15"),
    ],
)
def test_parental_status_is_coded_from_the_record(world, coded, living, elsewhere, answer, status):
    su = in_treatment(world, children_answer=answer)
    for _ in range(living):
        ChildFactory(household=su.household, date_of_birth=TODAY - datetime.timedelta(days=5 * 365))
    for _ in range(elsewhere):
        ChildContactFactory(service_user=su)
    found = row(su)
    assert found.values["PRNTSTAT"] == status and found.values["CHILDWTH"] == str(living)
    assert found.rejections == []


def test_pregnancy_and_the_highest_social_care_status_of_a_child_living_there(world, coded):
    su = in_treatment(world, children_answer=ChildrenAnswer.LIVING)
    ChildFactory(
        household=su.household,
        date_of_birth=TODAY - datetime.timedelta(days=800),
        child_status=ChildStatus.CHILD_IN_NEED,
    )
    ChildFactory(
        household=su.household,
        date_of_birth=TODAY - datetime.timedelta(days=2000),
        child_status=ChildStatus.CHILD_PROTECTION_PLAN,
    )
    HouseholdMember.objects.create(
        household=su.household, role="child", expected_due_date=TODAY + datetime.timedelta(days=90)
    )
    found = row(su)
    assert found.values["PREGNANT"] == "Y" and found.values["CHILDSC"] == "2" and found.values["CHILDWTH"] == "2"
    man = in_treatment(world, sex=Sex.MALE)
    assert row(man).values["PREGNANT"] == ""


def test_without_consent_only_the_agency_reference_and_consent_are_sent(world, coded):
    su = in_treatment(world, ndtms_consent=NdtmsConsent.DECLINED, children_answer=ChildrenAnswer.LIVING)
    ChildFactory(household=su.household)
    found = row(su)
    assert found.cells() == ["N4RVD", f"OS{su.pk:08d}", "N", "", "", "", "", "", ""]
    assert found.rejections == []


def test_the_check_lists_every_record_that_would_be_rejected_and_why(world):
    not_asked = in_treatment(world, ndtms_consent=NdtmsConsent.NOT_ASKED)
    contradicted = in_treatment(world, children_answer=ChildrenAnswer.NONE)
    ChildFactory(household=contradicted.household)
    unknown = in_treatment(world, children_answer=ChildrenAnswer.NOT_ASKED, in_treatment_since=None)
    said_yes = in_treatment(world, children_answer=ChildrenAnswer.LIVING)
    reasons = {su.pk: " ".join(row(su).rejections) for su in (not_asked, contradicted, unknown, said_yes)}
    assert all("no NDTMS agency code" in r for r in reasons.values())
    assert "Consent to NDTMS not asked" in reasons[not_asked.pk]
    assert "Recorded as having no children, but children are recorded" in reasons[contradicted.pk]
    assert "Parental status unknown" in reasons[unknown.pk] and "No date in treatment since" in reasons[unknown.pk]
    assert "none is recorded in the household" in reasons[said_yes.pk]


def test_episodes_open_in_the_month_only(world, coded):
    before = in_treatment(world, discharged_on=MONTH - datetime.timedelta(days=1))
    after = in_treatment(world, in_treatment_since=END + datetime.timedelta(days=1))
    during = in_treatment(world, discharged_on=MONTH + datetime.timedelta(days=3))
    from ostsafe.families.selectors import episodes_in

    ids = {su.pk for su in episodes_in(world.users["manager"], MONTH, END)}
    assert during.pk in ids and before.pk not in ids and after.pk not in ids
    assert row(during).values["DISD"] == f"{during.discharged_on:%Y-%m-%d}"


def test_the_page_and_the_download_are_audited_and_name_nobody_in_the_file(client, world, coded):
    su = ServiceUserFactory(household=world.household, ndtms_consent=NdtmsConsent.NOT_ASKED)
    manager = world.users["manager"]
    client.force_login(manager)
    page = client.get(reverse("interop:ndtms")).content.decode()
    assert su.full_name in page and "Consent to NDTMS not asked yet" in page
    csv = client.get(reverse("interop:ndtms_csv"), {"month": f"{MONTH:%Y-%m}"}).content.decode("utf-8")
    assert csv.startswith("\ufeffAGNCY,CLIENTID,CONSENT")
    assert su.full_name not in csv and su.nhs_number not in csv and world.service_user.family_name not in csv
    events = AccessEvent.objects.filter(user=manager, action__in=["interop.ndtms", "interop.ndtms_download"])
    assert events.count() == 2 and all(
        world.household.pk in e.listed.values_list("household_id", flat=True) for e in events
    )
    client.force_login(world.users["manager_other_service"])
    assert su.full_name not in client.get(reverse("interop:ndtms")).content.decode()


def test_a_family_opened_by_break_glass_counts_in_neither_the_extract_nor_the_dashboard(world, coded):
    from ostsafe.core import access
    from ostsafe.families.models import Household
    from ostsafe.families.selectors import episodes_in
    from ostsafe.management.selectors import families_in_scope
    from ostsafe.sharing.services import grant_break_glass

    other = world.users["manager_other_service"]
    grant_break_glass(user=other, household=world.household, reason="Out of hours call from the police")
    assert Household.objects.filter(access.household_q(other), pk=world.household.pk).exists()
    assert not episodes_in(other, MONTH, END).filter(household=world.household).exists()
    assert not families_in_scope(other, TODAY).filter(pk=world.household.pk).exists()


def test_the_check_takes_the_same_queries_however_many_episodes(client, world, coded):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.users["manager"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("interop:ndtms")).status_code == 200
        return len(queries)

    few = count()
    for _ in range(5):
        su = in_treatment(world, children_answer=ChildrenAnswer.LIVING)
        ChildFactory(household=su.household)
        ChildContactFactory(service_user=su)
    assert count() == few
