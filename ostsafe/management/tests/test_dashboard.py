"""The guide-compliance dashboard: every practice counted over the families with children in one query, the same
figures by team, and a drill-down to exactly the families that miss a practice."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ostsafe.accounts.tests.factories import TeamFactory
from ostsafe.audit.models import AccessEvent
from ostsafe.families.tests.factories import ChildFactory, HouseholdFactory, ServiceUserFactory
from ostsafe.management import selectors
from ostsafe.management.measures import MEASURES_BY_KEY
from ostsafe.prescribing.tests.test_take_home import meet_every_check
from ostsafe.tasks import services as tasks
from ostsafe.tasks.models import Task

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def family_with_a_child(world):
    su = ServiceUserFactory(household=HouseholdFactory(team=world.household.team), keyworker=world.users["keyworker"])
    ChildFactory(household=su.household)
    return su.household


def results(user, **filters):
    households = selectors.families_in_scope(user, TODAY, **filters)
    return {r.measure.key: r for r in selectors.compliance(households, TODAY)}


def test_each_practice_is_counted_over_the_families_with_children(world):
    other = family_with_a_child(world)
    meet_every_check(world)
    found = results(world.users["manager"])
    assert found["assessment_current"].of == 2 and found["assessment_current"].met == 1
    assert found["storage_seen"].met == 1 and found["agreement_signed"].met == 1
    # The safety box applies only where someone takes doses home: nobody does in either family.
    assert found["safety_box"].of == 0 and found["safety_box"].percent is None
    missing = selectors.families_missing(
        selectors.families_in_scope(world.users["manager"], TODAY), MEASURES_BY_KEY["assessment_current"], TODAY
    )
    assert list(missing) == [other]


def test_the_whole_is_the_teams_summed_and_the_same_as_counting_every_family_at_once(world):
    meet_every_check(world)
    family_with_a_child(world)
    other_team = TeamFactory(organisation=world.household.team.organisation, name="Eastgate")
    ChildFactory(household=ServiceUserFactory(household=HouseholdFactory(team=other_team)).household)
    households = selectors.families_in_scope(world.users["manager"], TODAY)
    by_team = selectors.compliance_by_team(households, TODAY)
    assert len(by_team) == 2
    at_once = selectors.annotated(households, TODAY).aggregate(**selectors.measure_counts())
    summed = {r.measure.key: (r.met, r.of) for r in selectors.overall(by_team)}
    assert summed == {key: (at_once[f"{key}__met"], at_once[f"{key}__of"]) for key in MEASURES_BY_KEY}
    assert summed["assessment_current"] == (1, 3)


def test_a_family_with_an_overdue_home_visit_misses_visits_on_schedule_today_and_as_it_stood(world):
    on_time = family_with_a_child(world)
    late = family_with_a_child(world)
    week_ago = TODAY - datetime.timedelta(days=7)
    for household, due in ((on_time, TODAY + datetime.timedelta(days=3)), (late, week_ago)):
        tasks.create_task(
            title="Home visit",
            household=household,
            assignee=world.users["keyworker"],
            due_on=due,
            rule="visits.next_visit",
        )
    # Another kind of overdue task is not a visit off schedule.
    tasks.create_task(title="Ring the school", household=on_time, assignee=world.users["keyworker"], due_on=week_ago)
    Task.objects.update(created_at=timezone.now() - datetime.timedelta(days=30))
    households = selectors.families_in_scope(world.users["manager"], TODAY)
    measure = MEASURES_BY_KEY["visits_on_schedule"]
    assert late in selectors.families_missing(households, measure, TODAY)
    assert on_time not in selectors.families_missing(households, measure, TODAY)
    # Four days ago the late visit was due three days before: already off schedule. Ten days ago it was not yet due.
    assert late in selectors.families_missing(households, measure, TODAY - datetime.timedelta(days=4))
    assert late not in selectors.families_missing(households, measure, TODAY - datetime.timedelta(days=10))
    Task.objects.filter(household=late).update(status="done", completed_at=timezone.now())
    assert late not in selectors.families_missing(households, measure, TODAY)
    assert late in selectors.families_missing(households, measure, TODAY - datetime.timedelta(days=4))


def test_families_without_children_are_not_counted(world):
    ServiceUserFactory(household=HouseholdFactory(team=world.household.team))
    assert results(world.users["manager"])["assessment_current"].of == 1


def test_the_dashboard_is_one_query_for_every_measure_whatever_the_number_of_families(client, world):
    client.force_login(world.users["manager"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("management:dashboard")).status_code == 200
        return len(queries)

    few = count()
    for _ in range(6):
        family_with_a_child(world)
    assert count() == few


def test_a_manager_drills_down_to_the_families_missing_a_practice_and_it_is_audited(client, world):
    other = family_with_a_child(world)
    manager = world.users["manager"]
    client.force_login(manager)
    page = client.get(reverse("management:dashboard")).content.decode()
    assert reverse("management:missing", args=["assessment_current"]) in page
    assert "<svg" in page and 'role="img"' in page
    listing = client.get(reverse("management:missing", args=["assessment_current"])).content.decode()
    assert other.name in listing and world.household.name in listing
    event = AccessEvent.objects.get(user=manager, action="management.missing")
    assert set(event.listed.values_list("household_id", flat=True)) == {other.pk, world.household.pk}


def test_the_filters_narrow_to_a_team_or_a_keyworker(client, world):
    family_with_a_child(world)
    manager = world.users["manager"]
    assert results(manager, worker_id=world.users["keyworker"].pk)["assessment_current"].of == 2
    assert results(manager, worker_id=world.users["keyworker_other_team"].pk)["assessment_current"].of == 0
    client.force_login(manager)
    response = client.get(reverse("management:dashboard"), {"worker": "not-a-number", "team": "999999999"})
    assert response.status_code == 200


def test_an_unknown_measure_is_not_found_and_a_keyworker_is_refused(client, world):
    client.force_login(world.users["manager"])
    assert client.get(reverse("management:missing", args=["nonsense"])).status_code == 404
    client.force_login(world.users["keyworker"])
    assert client.get(reverse("management:dashboard")).status_code == 403


def test_the_list_downloads_as_a_csv_safe_to_open_in_a_spreadsheet(client, world):
    from ostsafe.families.models import Household

    other = family_with_a_child(world)
    Household.objects.filter(pk=other.pk).update(name='=HYPERLINK("http://evil.example","Click")')
    client.force_login(world.users["manager"])
    response = client.get(reverse("management:missing_csv", args=["assessment_current"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffFamily,Household number")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text
    assert world.household.name in text


def test_a_cell_starting_with_a_tab_or_carriage_return_is_neutralised_too():
    from ostsafe.core.spreadsheets import csv_response

    text = csv_response("x.csv", ["a"], [["\t=1"], ["\r=2"], ["-3"], ["plain"]]).content.decode()
    assert "'\t=1" in text and "'\r=2" in text and "-3" in text and "plain" in text


def test_the_keyworker_list_names_only_the_chosen_teams_keyworkers(client, world):
    family_with_a_child(world)
    other_team = TeamFactory(organisation=world.household.team.organisation, name="Eastgate")
    ServiceUserFactory(household=HouseholdFactory(team=other_team), keyworker=world.users["keyworker_other_team"])
    client.force_login(world.users["manager"])
    url = reverse("management:dashboard")

    def listed(**query):
        form = client.get(url, query).context["form"]
        return [label for _, label in form.fields["worker"].widget.choices]

    assert listed() == ["Every keyworker"]  # choose a team first
    assert listed(team=world.household.team_id) == ["Every keyworker", world.users["keyworker"].full_name]
    assert listed(team=other_team.pk) == ["Every keyworker", world.users["keyworker_other_team"].full_name]
    # A keyworker chosen without a team (a link) still counts, and stays named in the list.
    response = client.get(url, {"worker": world.users["keyworker_other_team"].pk})
    assert response.context["form"].chosen()["worker_id"] == world.users["keyworker_other_team"].pk
    assert listed(worker=world.users["keyworker_other_team"].pk)[1:] == [world.users["keyworker_other_team"].full_name]


def test_the_by_team_table_names_each_team_with_its_figures_and_shows_a_change_at_once(client, world):
    import re

    other_team = TeamFactory(organisation=world.household.team.organisation, name="Eastgate")
    ChildFactory(household=ServiceUserFactory(household=HouseholdFactory(team=other_team)).household)
    client.force_login(world.users["manager"])

    def by_team():
        page = client.get(reverse("management:dashboard")).content.decode()
        table = page[page.index('id="by-team"') :]
        table = table[: table.index("</table>")]
        teams = re.findall(r'<th scope="col" class="[^"]*header--numeric">([^<]+)</th>', table)
        first_row = re.findall(r"(\d+) of (\d+)</td>", table.split("</tr>")[1])
        return dict(zip(teams, [int(of) for _, of in first_row], strict=True))

    assert by_team() == {world.household.team.name: 1, "Eastgate": 1}
    ChildFactory(household=ServiceUserFactory(household=HouseholdFactory(team=other_team)).household)
    assert by_team() == {world.household.team.name: 1, "Eastgate": 2}  # drawn again: the figures are its key
