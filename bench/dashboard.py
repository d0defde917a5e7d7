"""Practice-dashboard benchmark (`make bench-dashboard`), on PostgreSQL, on a synthetic region of 10,000 service users
(`manage.py make_region`).

Measured in one run, on the same database: the dashboard's aggregate (`management.selectors.compliance`, every
practice over the families with children, the whole region) against one hand-written SQL aggregate that gives the
same answer (asserted), median of 7 runs each: target, the dashboard within 2x of the hand-written SQL. Also the
dashboard page's query count and median time, the morning's job that works every family's figures out and keeps
them, and a worker's first dashboard figures summed from those kept rows (the same answer, asserted).

Results are appended to docs/benchmarks.md with the machine and the date.
"""

import datetime
import os
import platform
import statistics
import time
from pathlib import Path

from bench.warning_signs import build, connect, setup_django

ROOT = Path(__file__).resolve().parent.parent
SIZE = int(os.environ.get("OSTSAFE_BENCH_DASHBOARD_SIZE", "10000"))

# The same answer, written by hand: one pass over the families with children, each practice a CASE over EXISTS.
HAND_WRITTEN = """
WITH fam AS (
  SELECT h.id FROM families_household h
  WHERE h.team_id IN (SELECT t.id FROM accounts_team t WHERE t.organisation_id = %(organisation)s)
    AND EXISTS (SELECT 1 FROM families_serviceuser su WHERE su.household_id = h.id AND su.discharged_on IS NULL)
    AND (EXISTS (SELECT 1 FROM families_householdmember m WHERE m.household_id = h.id AND m.role = 'child'
                 AND m.lives_here AND (m.end_date IS NULL OR m.end_date >= %(d)s)
                 AND (m.start_date IS NULL OR m.start_date <= %(d)s))
      OR EXISTS (SELECT 1 FROM families_childcontact c JOIN families_serviceuser su ON su.id = c.service_user_id
                 WHERE su.household_id = h.id AND su.discharged_on IS NULL))
), flags AS (
  SELECT fam.id,
    EXISTS (SELECT 1 FROM assessments_assessment a WHERE a.household_id = fam.id AND a.status = 'completed'
            AND a.next_review_on >= %(d)s) AS assessment_current,
    EXISTS (SELECT 1 FROM visits_homevisit v WHERE v.household_id = fam.id AND v.status = 'completed'
            AND v.visited_on <= %(d)s) AS home_visit_done,
    NOT EXISTS (SELECT 1 FROM tasks_task t WHERE t.household_id = fam.id AND t.status = 'open'
            AND t.rule IN ('visits.next_visit', 'visits.home_visit_needed') AND t.due_on < %(d)s) AS visits_on_schedule,
    EXISTS (SELECT 1 FROM visits_storagecheck s JOIN visits_homevisit v ON v.id = s.visit_id
            WHERE v.household_id = fam.id AND s.verification = 'seen' AND s.satisfied
            AND s.checked_on >= %(storage_since)s AND s.checked_on <= %(d)s) AS storage_seen,
    EXISTS (SELECT 1 FROM prescribing_prescription p JOIN families_serviceuser su ON su.id = p.service_user_id
            WHERE su.household_id = fam.id AND su.discharged_on IS NULL AND p.regime = 'take_home'
            AND p.start_date <= %(d)s AND (p.end_date IS NULL OR p.end_date >= %(d)s)) AS takes_home,
    NOT EXISTS (SELECT 1 FROM prescribing_prescription p JOIN families_serviceuser su ON su.id = p.service_user_id
            WHERE su.household_id = fam.id AND su.discharged_on IS NULL AND p.regime = 'take_home'
            AND p.start_date <= %(d)s AND (p.end_date IS NULL OR p.end_date >= %(d)s)
            AND NOT EXISTS (SELECT 1 FROM storage_safetyboxissue b WHERE b.service_user_id = p.service_user_id
                            AND b.returned_on IS NULL)) AS safety_box,
    EXISTS (SELECT 1 FROM storage_leafletgiven l JOIN families_serviceuser su ON su.id = l.service_user_id
            WHERE su.household_id = fam.id AND l.given_on <= %(d)s) AS leaflet_given,
    EXISTS (SELECT 1 FROM plans_guidanceagreement g WHERE g.household_id = fam.id AND g.status = 'signed'
            AND g.signed_on <= %(d)s AND g.signed_on >= %(agreement_since)s) AS agreement_signed,
    EXISTS (SELECT 1 FROM plans_safetyplan sp WHERE sp.household_id = fam.id AND sp.next_review_on >= %(d)s)
      AND NOT EXISTS (SELECT 1 FROM plans_actionchange c JOIN plans_planaction pa ON pa.id = c.action_id
            JOIN plans_safetyplan sp ON sp.id = pa.plan_id WHERE sp.household_id = fam.id AND c.field = 'due_on'
            GROUP BY c.action_id HAVING count(*) > 2) AS plan_reviewed,
    EXISTS (SELECT 1 FROM sharing_notification n WHERE n.household_id = fam.id AND n.kind = 'routine'
            AND n.status = 'sent')
      OR EXISTS (SELECT 1 FROM sharing_teamdiscussion td WHERE td.household_id = fam.id AND td.held_on <= %(d)s)
      AS routine_notification,
    NOT EXISTS (SELECT 1 FROM curiosity_flag f WHERE f.household_id = fam.id AND f.cleared_at IS NULL
            AND f.acknowledged_at IS NULL AND f.raised_on < %(flags_before)s) AS signs_acknowledged,
    NOT EXISTS (SELECT 1 FROM tasks_task t WHERE t.household_id = fam.id AND t.status = 'open'
            AND t.due_on < %(d)s) AS no_overdue_tasks
  FROM fam
)
SELECT count(*) FILTER (WHERE assessment_current), count(*),
       count(*) FILTER (WHERE home_visit_done), count(*),
       count(*) FILTER (WHERE visits_on_schedule), count(*),
       count(*) FILTER (WHERE storage_seen), count(*),
       count(*) FILTER (WHERE takes_home AND safety_box), count(*) FILTER (WHERE takes_home),
       count(*) FILTER (WHERE leaflet_given), count(*),
       count(*) FILTER (WHERE agreement_signed), count(*),
       count(*) FILTER (WHERE plan_reviewed), count(*),
       count(*) FILTER (WHERE routine_notification), count(*),
       count(*) FILTER (WHERE signs_acknowledged), count(*),
       count(*) FILTER (WHERE no_overdue_tasks), count(*)
FROM flags
"""


def hand_written(as_of: datetime.date, organisation_id: int) -> list[tuple[int, int]]:
    from django.db import connection

    from ostsafe.curiosity.models import WarningSignPolicy
    from ostsafe.plans.models import PlanPolicy
    from ostsafe.visits.models import VisitPolicy

    params = {
        "organisation": organisation_id,
        "d": as_of,
        "storage_since": as_of - datetime.timedelta(days=VisitPolicy.current().storage_check_valid_days),
        "agreement_since": as_of - datetime.timedelta(days=PlanPolicy.current().agreement_valid_days),
        "flags_before": as_of - datetime.timedelta(days=WarningSignPolicy.current().acknowledge_days),
    }
    with connection.cursor() as cursor:
        cursor.execute(HAND_WRITTEN, params)
        row = cursor.fetchone()
    return [(row[i], row[i + 1]) for i in range(0, len(row), 2)]


def median_ms(run, times: int = 7) -> float:
    run()  # warm
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main():
    url = build(SIZE)
    setup_django(url)
    connect(url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from ostsafe.accounts.models import User
    from ostsafe.core.validators import today
    from ostsafe.management import selectors

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    as_of = today()
    # A team manager reaches their whole service: the region is one service.
    manager = User.objects.filter(role="team_manager").order_by("pk").first()
    households = selectors.families_in_scope(manager, as_of)
    ours = [(r.met, r.of) for r in selectors.compliance(households, as_of)]
    theirs = hand_written(as_of, manager.organisation_id)
    assert ours == theirs, (ours, theirs)
    dashboard = median_ms(lambda: selectors.compliance(households, as_of))
    sql = median_ms(lambda: hand_written(as_of, manager.organisation_id))
    pages = []
    for label, user in (("team manager: their service (the region)", manager),):
        client = Client()
        client.force_login(user)
        page = reverse("management:dashboard")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        pages.append((label, len(queries), median_ms(lambda c=client, p=page: c.get(p), times=5)))
    families = ours[0][1]
    # The nightly figures (by team and by keyworker: two aggregate queries) and the commissioner's report on them.
    from ostsafe.management import reports
    from ostsafe.management.services import record_practice_figures

    start = time.perf_counter()
    rows = record_practice_figures(as_of=as_of)
    nightly = (time.perf_counter() - start) * 1000
    # Each family's figures kept in the database (management.family_figures): the morning's job works every family
    # out for the day, and a worker's first dashboard (nothing kept in the process) then sums the kept rows.
    from ostsafe.core.kept import forget_everything_kept
    from ostsafe.management.models import FamilyFigures
    from ostsafe.management.services import keep_family_figures

    FamilyFigures.objects.all().delete()
    start = time.perf_counter()
    worked_out = keep_family_figures(as_of=as_of)
    morning = (time.perf_counter() - start) * 1000

    def first_dashboard():
        forget_everything_kept()
        return selectors.overall(selectors.kept_compliance_by_team(households, as_of, scope=("bench",)))

    assert [(r.met, r.of) for r in first_dashboard()] == ours
    with CaptureQueriesContext(connection) as queries:
        first_dashboard()
    first_queries = len(queries)
    first = median_ms(first_dashboard)
    commissioner = (
        User.objects.filter(role="commissioner").order_by("pk").first()
        or User.objects.filter(role="administrator").order_by("pk").first()
    )
    quarter = reports.quarter_of(as_of)
    with CaptureQueriesContext(connection) as queries:
        reports.commissioner_report(commissioner, quarter, as_of)
    report_queries = len(queries)
    report = median_ms(lambda: reports.commissioner_report(commissioner, quarter, as_of), times=5)
    text = "\n".join(
        [
            f"## Practice dashboard, {datetime.date.today():%-d %B %Y}",
            "",
            f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, PostgreSQL. "
            f"Region: {SIZE:,} service users; {families:,} families with children. `make bench-dashboard`.",
            "",
            "| measured (median of 7) | time | target |",
            "|---|---|---|",
            f"| the dashboard's aggregate (11 practices, one query) | {dashboard:.0f} ms | |",
            f"| the same answer in hand-written SQL | {sql:.0f} ms | |",
            f"| ratio dashboard / hand-written | {dashboard / sql:.2f}x | at most 2x |",
            "",
            "| dashboard page | queries | median time |",
            "|---|---|---|",
            *[f"| {label} | {n} | {ms:.0f} ms |" for label, n, ms in pages],
            "",
            "| also measured | queries | time |",
            "|---|---|---|",
            f"| the night's practice figures by team and keyworker ({rows:,} rows) | 2 aggregates | {nightly:.0f} ms |",
            f"| the morning's job: every family's dashboard figures worked out and kept ({worked_out:,}) | "
            f"{2 + 2 * -(-worked_out // 1000)} + policies | {morning:.0f} ms |",
            f"| a worker's first dashboard figures, from the kept rows (median of 7; "
            f"{first / dashboard:.2f}x the aggregate) | {first_queries} | {first:.0f} ms |",
            f"| the commissioner's report, every table protected (median of 5) | {report_queries} | {report:.0f} ms |",
            "",
        ]
    )
    print(text)
    with (ROOT / "docs" / "benchmarks.md").open("a") as handle:
        handle.write("\n" + text)


if __name__ == "__main__":
    main()
