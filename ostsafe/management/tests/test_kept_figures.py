"""The dashboard's figures for today, each team's kept until one of its families changes (core.marks): only the teams
with a change are counted again, and what is kept is what counting afresh gives, for the same scope only."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ostsafe.accounts.tests.factories import TeamFactory
from ostsafe.core import access, marks
from ostsafe.core.tests.test_marks import everything_the_overview_shows, tables_read
from ostsafe.families.tests.factories import ChildFactory, HouseholdFactory, ServiceUserFactory
from ostsafe.management import selectors

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def two_teams(world):
    """The world's family with something for every measure, and a family with a child in a second team."""
    everything_the_overview_shows(world)
    other_team = TeamFactory(organisation=world.household.team.organisation, name="Eastgate")
    other = ServiceUserFactory(household=HouseholdFactory(team=other_team)).household
    ChildFactory(household=other)
    return other


def figures(user, **filters):
    households = selectors.families_in_scope(user, TODAY, **filters)
    scope = (access.reported_reach(user), tuple(sorted(filters.items())))
    return selectors.kept_compliance_by_team(households, TODAY, scope=scope)


def counted_afresh(user, **filters):
    return selectors.compliance_by_team(selectors.families_in_scope(user, TODAY, **filters), TODAY)


def test_every_table_the_dashboards_measures_read_moves_a_familys_number(world):
    two_teams(world)
    with CaptureQueriesContext(connection) as reads:
        counted_afresh(world.users["manager"])
    read = tables_read(reads.captured_queries)
    assert read - marks.marked_tables() == set(), sorted(read - marks.marked_tables())


def counting_queries(manager) -> int:
    """How many queries counting the figures takes (the policies the measures read, and the one aggregate)."""
    with CaptureQueriesContext(connection) as counting:
        counted_afresh(manager)
    return len(counting)


def test_kept_figures_are_what_counting_afresh_gives_and_only_changed_teams_are_counted_again(world):
    other = two_teams(world)
    manager = world.users["manager"]
    first = figures(manager)
    assert first == counted_afresh(manager) and len(first) == 2
    with CaptureQueriesContext(connection) as again:
        assert figures(manager) == first
    assert len(again) == 1  # the teams' change states: nothing counted
    ChildFactory(household=other)  # the second team's family changes: only that team is counted again
    with CaptureQueriesContext(connection) as after:
        changed = figures(manager)
    assert changed == counted_afresh(manager)
    assert len(after) == 1 + counting_queries(manager)
    aggregate = after.captured_queries[-1]["sql"]
    assert re.findall(r'"team_id" IN \(([\d, ]+)\)', aggregate) == [str(other.team_id)]


def test_a_write_by_raw_sql_shows_in_the_figures_on_the_next_request(world):
    two_teams(world)
    manager = world.users["manager"]
    before = {r.measure.key: r for _, results in figures(manager) for r in results if _ == world.household.team.name}
    with connection.cursor() as cursor:  # as another app server would write it
        cursor.execute("UPDATE visits_storagecheck SET satisfied = %s", [False])
    after = {r.measure.key: r for _, results in figures(manager) for r in results if _ == world.household.team.name}
    assert after["storage_seen"].met == before["storage_seen"].met - 1
    assert figures(manager) == counted_afresh(manager)


def test_a_family_moving_team_moves_both_teams_figures(world):
    other = two_teams(world)
    manager = world.users["manager"]
    figures(manager)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE families_household SET team_id = %s WHERE id = %s", [world.household.team_id, other.pk])
    assert figures(manager) == counted_afresh(manager)
    assert len(figures(manager)) == 1


def test_figures_kept_for_one_scope_are_never_given_for_another(world):
    two_teams(world)
    manager = world.users["manager"]
    everyone = figures(manager)
    one_team = figures(manager, team_id=world.household.team_id)
    assert one_team == counted_afresh(manager, team_id=world.household.team_id) != everyone
    keyworker = figures(manager, worker_id=world.users["keyworker"].pk)
    assert keyworker == counted_afresh(manager, worker_id=world.users["keyworker"].pk)


def test_a_new_day_counts_again(world):
    two_teams(world)
    manager = world.users["manager"]
    households = selectors.families_in_scope(manager, TODAY)
    scope = (access.reported_reach(manager), ())
    selectors.kept_compliance_by_team(households, TODAY, scope=scope)
    tomorrow = TODAY + datetime.timedelta(days=1)
    with CaptureQueriesContext(connection) as next_day:
        selectors.kept_compliance_by_team(selectors.families_in_scope(manager, tomorrow), tomorrow, scope=scope)
    assert len(next_day) == 1 + counting_queries(manager)


def test_the_dashboard_page_shows_the_kept_figures_and_reads_them_in_constant_queries(client, world):
    two_teams(world)
    client.force_login(world.users["manager"])
    url = reverse("management:dashboard")
    first = client.get(url)
    assert first.status_code == 200 and "Eastgate" in first.content.decode()
    with CaptureQueriesContext(connection) as warm:
        again = client.get(url)
    assert again.context["results"] == first.context["results"]
    ChildFactory(household=HouseholdFactory(team=world.household.team))
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    assert len(cold) == len(warm) + counting_queries(world.users["manager"])  # the changed team counted again
