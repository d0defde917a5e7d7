"""The dashboard's figures for today, each team's kept until one of its families changes (core.marks): only the teams
with a change are counted again, and what is kept is what counting afresh gives, for the same scope only."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ostsafe.accounts.tests.factories import TeamFactory, UserFactory
from ostsafe.core import access, marks, schedule
from ostsafe.core.kept import forget_everything_kept
from ostsafe.core.roles import Role
from ostsafe.core.tests.test_marks import everything_the_overview_shows, tables_read
from ostsafe.families.tests.factories import ChildFactory, HouseholdFactory, ServiceUserFactory
from ostsafe.management import family_figures, selectors
from ostsafe.management.measures import MEASURES
from ostsafe.management.models import FamilyFigures, TeamFigures
from ostsafe.visits.models import VisitPolicy

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


def policy_queries(manager) -> int:
    return counting_queries(manager) - 1


def written(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "management_familyfigures"')]


def teams_written(queries) -> list[str]:
    # INSERT OR IGNORE on SQLite, INSERT ... ON CONFLICT DO NOTHING on PostgreSQL
    return [q["sql"] for q in queries if q["sql"].startswith("INSERT") and '"management_teamfigures"' in q["sql"]]


def family_rows_read(queries) -> list[str]:
    return [q["sql"] for q in queries if "management_familyfigures" in q["sql"]]


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
    # The teams' states; the policies; the team looked up among the figures every worker keeps (not there: it
    # changed); its families, grouped where their rows are current (here, none is); the change numbers of the family
    # that changed; it worked out and written; the team's figures kept for the other workers.
    assert len(after) == 1 + policy_queries(manager) + 6
    summed, worked_out = after.captured_queries[-5]["sql"], after.captured_queries[-3]["sql"]
    assert re.findall(r'"team_id" IN \(([\d, ]+)\)', summed) == [str(other.team_id)]
    assert re.findall(r'"families_household"\."id" IN \(([\d, ]+)\)', worked_out) == [str(other.pk)]
    assert len(written(after.captured_queries)) == 1
    assert len(teams_written(after.captured_queries)) == 1


def test_a_worker_that_has_kept_nothing_reads_the_teams_figures_another_kept_and_no_familys(world):
    two_teams(world)
    manager = world.users["manager"]
    first = figures(manager)
    forget_everything_kept()  # a worker just started, or another worker counted since this one last drew
    with CaptureQueriesContext(connection) as fresh:
        again = figures(manager)
    assert again == first == counted_afresh(manager)
    assert len(fresh) == 1 + policy_queries(manager) + 1  # states, policies, the teams' kept figures
    assert not family_rows_read(fresh.captured_queries)
    assert not teams_written(fresh.captured_queries)


def test_with_no_teams_figures_kept_a_worker_sums_the_kept_rows_and_works_no_family_out(world):
    two_teams(world)
    manager = world.users["manager"]
    first = figures(manager)
    forget_everything_kept()
    TeamFigures.objects.all().delete()  # the first dashboard after a deploy, or after the morning's clearing
    with CaptureQueriesContext(connection) as fresh:
        again = figures(manager)
    assert again == first == counted_afresh(manager)
    assert not written(fresh.captured_queries)
    # States, policies, the teams' kept figures (none), the families grouped (every row current), the teams kept.
    assert len(fresh) == 1 + policy_queries(manager) + 3
    assert len(teams_written(fresh.captured_queries)) == 1
    assert TeamFigures.objects.count() == 2


def test_a_worker_that_has_kept_nothing_counts_again_only_the_team_that_changed(world):
    other = two_teams(world)
    manager = world.users["manager"]
    figures(manager)
    ChildFactory(household=other)
    forget_everything_kept()
    with CaptureQueriesContext(connection) as fresh:
        changed = figures(manager)
    assert changed == counted_afresh(manager)
    [summed] = [q for q in family_rows_read(fresh.captured_queries) if "GROUP BY" in q]
    assert re.findall(r'"team_id" IN \(([\d, ]+)\)', summed) == [str(other.team_id)]


def test_only_the_families_that_changed_since_their_figures_were_kept_are_worked_out_again(world):
    other = two_teams(world)
    households = selectors.families_in_scope(world.users["manager"], TODAY)
    assert family_figures.bring_up_to_date(households, TODAY) == 2
    assert family_figures.bring_up_to_date(households, TODAY) == 0
    ChildFactory(household=other)
    assert family_figures.bring_up_to_date(households, TODAY) == 1
    assert FamilyFigures.objects.get(household=other).version == marks.changes_of([other.pk])[other.pk][0]


def test_a_new_day_a_policy_changed_or_a_measure_worked_out_differently_works_every_family_out_again(world):
    two_teams(world)
    households = selectors.families_in_scope(world.users["manager"], TODAY)
    family_figures.bring_up_to_date(households, TODAY)
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert family_figures.bring_up_to_date(selectors.families_in_scope(world.users["manager"], tomorrow), tomorrow) == 2
    assert family_figures.bring_up_to_date(households, TODAY) == 2
    policy = VisitPolicy.current()
    policy.storage_check_valid_days += 1  # in the storage measure's SQL, and every family's number moves
    policy.save()
    assert family_figures.bring_up_to_date(households, TODAY) == 2
    FamilyFigures.objects.update(fingerprint=F("fingerprint") + 1)  # as a deploy that changed a measure would leave
    assert family_figures.bring_up_to_date(households, TODAY) == 2


def test_a_row_worked_out_before_a_change_was_committed_is_worked_out_again(world):
    two_teams(world)
    households = selectors.families_in_scope(world.users["manager"], TODAY)
    family_figures.bring_up_to_date(households, TODAY)
    # Kept at the number read before the change: behind the family's number now, never ahead of it.
    FamilyFigures.objects.filter(household=world.household).update(version=F("version") - 1, met=0)
    assert family_figures.bring_up_to_date(households, TODAY) == 1
    assert figures(world.users["manager"]) == counted_afresh(world.users["manager"])


def test_a_team_with_kept_and_changed_families_counts_both_and_works_out_only_the_changed(world):
    """Three families in one team, one of them changed since its figures were kept: that one is worked out again,
    the other two are counted from their rows, and the figures are what counting afresh gives."""
    manager = world.users["manager"]
    team = TeamFactory(organisation=world.household.team.organisation, name="Northgate")
    families = [ServiceUserFactory(household=HouseholdFactory(team=team)).household for _ in range(3)]
    for family in families:
        ChildFactory(household=family)
    households = selectors.families_in_scope(manager, TODAY).filter(team=team)
    family_figures.counts_by_team(households, TODAY)
    ChildFactory(household=families[0])
    with CaptureQueriesContext(connection) as counting:
        [northgate] = family_figures.counts_by_team(households, TODAY)
    assert len(written(counting.captured_queries)) == 1
    assert [r.met for r in selectors.compliance(households, TODAY)] == [northgate[f"{m.key}__met"] for m in MEASURES]
    assert [r.of for r in selectors.compliance(households, TODAY)] == [northgate[f"{m.key}__of"] for m in MEASURES]
    assert northgate["assessment_current__of"] == 3


def test_the_mornings_job_works_out_every_familys_figures_for_the_day(world):
    two_teams(world)
    out = io.StringIO()
    call_command("keep_family_figures", stdout=out)
    assert "2 families worked out" in out.getvalue()
    assert set(FamilyFigures.objects.values_list("as_of", flat=True)) == {TODAY}
    call_command("keep_family_figures", stdout=out)
    assert "0 families worked out" in out.getvalue()
    figures(world.users["manager"])
    yesterday = TeamFigures.objects.create(
        key="0" * 32, as_of=TODAY - datetime.timedelta(days=1), team_number=world.household.team_id, counts=None
    )
    call_command("keep_family_figures", stdout=out)
    assert not TeamFigures.objects.filter(pk=yesterday.pk).exists()  # the days before are forgotten
    assert set(TeamFigures.objects.values_list("as_of", flat=True)) == {TODAY}
    assert [job.command for job in schedule.jobs()].index("keep_family_figures") > [
        job.command for job in schedule.jobs()
    ].index("evaluate_warning_signs")


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


def test_figures_another_worker_kept_for_one_scope_are_never_given_for_another(world):
    other = two_teams(world)
    manager, keyworker = world.users["manager"], world.users["keyworker"]
    figures(manager)  # the whole service's figures, kept in the database
    forget_everything_kept()
    assert figures(manager, team_id=world.household.team_id) == counted_afresh(manager, team_id=world.household.team_id)
    forget_everything_kept()
    assert figures(manager, worker_id=keyworker.pk) == counted_afresh(manager, worker_id=keyworker.pk)
    forget_everything_kept()
    # A manager of the other team: a reach of their own, so a key of their own, whatever the figures come to.
    other_manager = UserFactory(role=Role.TEAM_MANAGER, organisation=other.team.organisation, team=other.team)
    assert figures(other_manager) == counted_afresh(other_manager)
    assert TeamFigures.objects.values("key").distinct().count() == TeamFigures.objects.count()


def test_the_teams_figures_are_the_same_key_in_every_worker():
    key = ("team figures", (("team", 1, 2), (("team_id", None), ("worker_id", None))), 3, (4, 5), 6, TODAY)
    assert family_figures.team_key(key, 7) == family_figures.team_key(tuple(key), 7)
    assert family_figures.team_key(key, 7) != family_figures.team_key(key, 8)  # the measures changed
    assert family_figures.team_key(key, 7) != family_figures.team_key((*key[:5], TODAY + datetime.timedelta(1)), 7)
    with pytest.raises(TypeError):
        family_figures.team_key(("team figures", object()), 7)  # only plain values make a key


def test_a_new_day_counts_again(world):
    two_teams(world)
    manager = world.users["manager"]
    households = selectors.families_in_scope(manager, TODAY)
    scope = (access.reported_reach(manager), ())
    selectors.kept_compliance_by_team(households, TODAY, scope=scope)
    tomorrow = TODAY + datetime.timedelta(days=1)
    with CaptureQueriesContext(connection) as next_day:
        selectors.kept_compliance_by_team(selectors.families_in_scope(manager, tomorrow), tomorrow, scope=scope)
    assert len(written(next_day.captured_queries)) == 1  # both families worked out again for the new day


def test_the_dashboard_page_shows_the_kept_figures_and_reads_them_in_constant_queries(client, world):
    two_teams(world)
    client.force_login(world.users["manager"])
    url = reverse("management:dashboard")
    first = client.get(url)
    assert first.status_code == 200 and "Eastgate" in first.content.decode()
    with CaptureQueriesContext(connection) as warm:
        again = client.get(url)
    assert again.context["results"] == first.context["results"]
    ChildFactory(household=ServiceUserFactory(household=HouseholdFactory(team=world.household.team)).household)
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    # The changed team: looked up among the teams' kept figures, its families grouped, the new one found among them,
    # its numbers read, worked out and written, and the team's figures kept.
    assert len(cold) == len(warm) + policy_queries(world.users["manager"]) + 6
    assert len(written(cold.captured_queries)) == 1
