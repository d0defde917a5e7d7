"""The dashboard over time: each month's figures kept as they stood (by team and by keyworker), the last 12 months
as a trend beside today's figures, and a past month chosen as the period."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ostsafe.accounts.tests.factories import TeamFactory
from ostsafe.core.periods import month_end
from ostsafe.families.tests.factories import ChildFactory, HouseholdFactory, ServiceUserFactory
from ostsafe.management import selectors
from ostsafe.management.models import PracticeFigure
from ostsafe.management.services import backfill_practice_figures, record_practice_figures
from ostsafe.tasks.models import Task, TaskStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
MONTH = TODAY.replace(day=1)
LAST_MONTH = (MONTH - datetime.timedelta(days=1)).replace(day=1)


def figure(rows, measure, keyworker=None):
    return next(r for r in rows if r.measure == measure and r.keyworker_id == (keyworker.pk if keyworker else None))


def test_the_months_figures_are_kept_by_team_and_by_keyworker_and_rewritten_each_night(world):
    record_practice_figures(as_of=TODAY)
    rows = list(PracticeFigure.objects.filter(month=MONTH, team=world.household.team))
    team_row = figure(rows, "assessment_current")
    worker_row = figure(rows, "assessment_current", world.users["keyworker"])
    assert (team_row.met, team_row.of) == (0, 1) and (worker_row.met, worker_row.of) == (0, 1)

    # Another family with a child joins the team: the night's figures replace the month's, no second row.
    su = ServiceUserFactory(household=HouseholdFactory(team=world.household.team), keyworker=world.users["keyworker"])
    ChildFactory(household=su.household)
    record_practice_figures(as_of=TODAY)
    rows = list(PracticeFigure.objects.filter(month=MONTH, team=world.household.team))
    assert figure(rows, "assessment_current").of == 2
    assert len([r for r in rows if r.measure == "assessment_current"]) == 2  # the team's and the keyworker's


def test_a_family_with_two_keyworkers_counts_once_for_each_and_once_for_the_team(world):
    ServiceUserFactory(household=world.household, keyworker=world.users["manager"])
    record_practice_figures(as_of=TODAY)
    rows = list(PracticeFigure.objects.filter(month=MONTH, measure="assessment_current"))
    assert figure(rows, "assessment_current").of == 1
    assert figure(rows, "assessment_current", world.users["keyworker"]).of == 1
    assert figure(rows, "assessment_current", world.users["manager"]).of == 1


def test_a_past_month_counts_a_task_as_overdue_if_it_was_open_then_though_closed_since(world):
    month_ago = TODAY - datetime.timedelta(days=40)
    task = Task.objects.create(
        title="Home visit due",
        household=world.household,
        assignee=world.users["keyworker"],
        due_on=month_ago - datetime.timedelta(days=5),
    )
    Task.objects.filter(pk=task.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=60),
        status=TaskStatus.DONE,
        completed_at=timezone.now() - datetime.timedelta(days=2),
    )
    households = selectors.families_in_scope(world.users["manager"], month_ago)
    then = {r.measure.key: r for r in selectors.compliance(households, month_ago)}
    now = {r.measure.key: r for r in selectors.compliance(households, TODAY)}
    assert then["no_overdue_tasks"].met == 0
    assert now["no_overdue_tasks"].met == 1


def test_backfill_counts_only_the_months_never_kept(world):
    record_practice_figures(as_of=month_end(LAST_MONTH))
    PracticeFigure.objects.filter(month=LAST_MONTH).update(of=99, met=7)
    backfill_practice_figures(months=3, as_of=TODAY)
    months = set(PracticeFigure.objects.values_list("month", flat=True))
    assert len(months) == 3 and MONTH not in months
    assert PracticeFigure.objects.filter(month=LAST_MONTH, keyworker__isnull=True).first().of == 99


def test_the_trend_sums_the_teams_a_manager_may_see_and_never_another_services(world):
    other_service_team = TeamFactory()
    for team, met, of in [
        (world.household.team, 3, 4),
        (TeamFactory(organisation=world.household.team.organisation), 1, 4),
        (other_service_team, 0, 50),
    ]:
        PracticeFigure.objects.create(
            month=LAST_MONTH, recorded_on=month_end(LAST_MONTH), team=team, measure="leaflet_given", met=met, of=of
        )
    months = selectors.kept_months(TODAY)
    trends = {t.measure.key: t for t in selectors.trend(world.users["manager"], months)}
    last = trends["leaflet_given"].months[-2]
    assert (last.met, last.of) == (4, 8)
    assert trends["leaflet_given"].months[-1] is None  # nothing kept this month yet
    one_team = {
        t.measure.key: t for t in selectors.trend(world.users["manager"], months, team_id=world.household.team_id)
    }
    assert one_team["leaflet_given"].months[-2].of == 4


def test_the_dashboard_shows_the_trend_as_a_drawing_and_a_table_in_one_more_query(client, world):
    PracticeFigure.objects.create(
        month=LAST_MONTH,
        recorded_on=month_end(LAST_MONTH),
        team=world.household.team,
        measure="leaflet_given",
        met=1,
        of=4,
    )
    client.force_login(world.users["manager"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("management:dashboard")).content.decode()
    assert 'id="trend-table"' in page and "ostsafe-sparkline" in page
    assert f"{LAST_MONTH:%b %Y} 25%" in page  # the drawing's words for a screen reader
    assert ">25%</span>" in page
    assert len([q for q in queries.captured_queries if "management_practicefigure" in q["sql"]]) == 1


def test_a_past_month_shows_its_kept_figures_and_no_list_of_families(client, world):
    PracticeFigure.objects.create(
        month=LAST_MONTH,
        recorded_on=month_end(LAST_MONTH),
        team=world.household.team,
        measure="leaflet_given",
        met=3,
        of=4,
    )
    client.force_login(world.users["manager"])
    page = client.get(reverse("management:dashboard"), {"period": f"{LAST_MONTH:%Y-%m}"}).content.decode()
    assert f"end of {LAST_MONTH:%B %Y}" in page
    assert "75%" in page
    assert reverse("management:missing", args=["leaflet_given"]) not in page
    assert "see today&#x27;s figures" in page or "see today's figures" in page
    # A period that was never offered is ignored: today's figures.
    page = client.get(reverse("management:dashboard"), {"period": "1999-01"}).content.decode()
    assert TODAY.strftime("%-d %B %Y") in page


def test_record_practice_figures_command_keeps_this_month_and_backfills(world):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("record_practice_figures", "--backfill", "2", stdout=out)
    assert f"kept for {TODAY:%B %Y}" in out.getvalue()
    assert PracticeFigure.objects.values("month").distinct().count() == 3
