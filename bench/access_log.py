"""The manager's access log on the region (`make bench-region`), on PostgreSQL.

The region's log is filled (once) to the shape a service's log has after two years: 2 million events (record views,
list pages naming the ten families they showed, changes, a few refusals) by its keyworkers, about 8 million listings,
written in time order. A team manager then reads pages of it: the newest page, a page 40 pages back, one busy family,
one family seen rarely, one person, refusals only, one day a year ago.

Each page (the selector the view calls: keyset page and the families' names) is timed beside the cost of fetching that
page's rows by primary key (the same rows, their listings and names): target, every page within 3x. The previous
reading (Django's Paginator: an exact count over the filter, then OFFSET) is timed in the same run for the record.
Median of interleaved rounds. Results are appended to docs/benchmarks.md.
"""

import datetime
import os
import platform
import random
import statistics
import time

from bench.__main__ import ROOT
from bench.feed import region_url
from bench.warning_signs import setup_django

ROUNDS = int(os.environ.get("OSTSAFE_BENCH_ROUNDS", "7"))
EVENTS = int(os.environ.get("OSTSAFE_BENCH_LOG_EVENTS", "2000000"))
DAYS = 730


def fill_log(rng: random.Random):
    """Write the region's two years of access log with COPY (ids given, in time order), unless it is already there."""
    from django.db import connection

    from ostsafe.accounts.models import User
    from ostsafe.audit.models import AccessEvent
    from ostsafe.families.models import ServiceUser

    if AccessEvent.objects.count() >= EVENTS:
        return
    caseloads: dict[int, list[int]] = {}
    for keyworker_id, household_id in ServiceUser.objects.values_list("keyworker_id", "household_id"):
        caseloads.setdefault(keyworker_id, []).append(household_id)
    keyworkers = list(User.objects.filter(pk__in=caseloads).values_list("pk", flat=True))
    households = sorted({h for hs in caseloads.values() for h in hs})
    busy = households[: len(households) // 10]  # a tenth of families draw half the looks
    start_id = (AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=DAYS)
    step = datetime.timedelta(days=DAYS) / EVENTS
    listings = []
    with connection.cursor() as cursor:
        with cursor.copy(
            "COPY audit_accessevent (id, at, user_id, household_id, action, path, method, ip_address, outcome, "
            "detail) FROM STDIN"
        ) as copy:
            for n in range(EVENTS):
                event_id, at, user = start_id + n, start + step * n, rng.choice(keyworkers)
                roll = rng.random()
                household = rng.choice(busy) if rng.random() < 0.5 else rng.choice(households)
                if roll < 0.45:
                    row = (household, "household.view", f"/households/{household}/", "GET", "allowed", "")
                elif roll < 0.85:
                    shown = rng.sample(caseloads[user], min(10, len(caseloads[user])))
                    listings.extend((event_id, h) for h in sorted(set(shown)))
                    row = (None, "caseload.view", "/caseload/", "GET", "allowed", f"{len(set(shown))} families shown")
                elif roll < 0.98:
                    row = (household, "visit.record", "", "WRITE", "allowed", "")
                else:
                    row = (household, "household.view", f"/households/{household}/", "GET", "refused", "refused")
                household_id, action, path, method, outcome, detail = row
                copy.write_row((event_id, at, user, household_id, action, path, method, "10.0.0.7", outcome, detail))
        with cursor.copy("COPY audit_listedhousehold (event_id, household_id) FROM STDIN") as copy:
            for listing in listings:
                copy.write_row(listing)
        for table in ("audit_accessevent", "audit_listedhousehold"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"Log: {EVENTS:,} events, {len(listings):,} listings", flush=True)


def main():
    setup_django(region_url())
    from django.core.paginator import Paginator
    from django.db.models import Count

    from ostsafe.accounts.models import User
    from ostsafe.audit import selectors
    from ostsafe.audit.models import AccessEvent

    rng = random.Random(2026)
    fill_log(rng)
    manager = User.objects.filter(email="region.manager.0@region.example").get()
    visible = selectors.events_visible_to(manager)
    counts = (
        AccessEvent.objects.filter(household_id__isnull=False)
        .values("household_id")
        .annotate(n=Count("id"))
        .order_by("n")
    )
    rare, busy = counts.first()["household_id"], counts.last()["household_id"]
    keyworker = AccessEvent.objects.order_by("-pk").first().user_id
    page = selectors.page_of_events(visible)
    for _ in range(39):
        page = selectors.page_of_events(visible, older_than=page.older)
    a_year_ago = datetime.date.today() - datetime.timedelta(days=365)
    cases = {
        "newest page": (visible, {}),
        "40 pages back": (visible, {"older_than": page.older}),
        "one busy family": (selectors.events_visible_to(manager, about_household=busy), {"household_id": busy}),
        "one family seen rarely": (selectors.events_visible_to(manager, about_household=rare), {"household_id": rare}),
        "one person": (selectors.filter_events(visible, user_id=keyworker), {}),
        "refusals only": (selectors.filter_events(visible, refused_only=True), {}),
        "one day a year ago": (selectors.filter_events(visible, date_from=a_year_ago, date_to=a_year_ago), {}),
    }

    def keyset(events, arguments):
        page = selectors.page_of_events(events, **arguments)
        selectors.household_names(page.events)
        return [e.pk for e in page.events]

    def by_primary_key(numbers):
        rows = selectors.with_listed(
            AccessEvent.objects.select_related("user__organisation").filter(pk__in=numbers).order_by("-pk")
        )
        selectors.household_names(rows)

    def paginator(events, arguments):
        if "household_id" in arguments:
            events = selectors.about_household(events, arguments["household_id"])
        number = 41 if "older_than" in arguments else 1
        listed = Paginator(events.order_by("-pk"), selectors.PAGE_SIZE).get_page(number)
        selectors.household_names(selectors.with_listed(listed.object_list))

    timings: dict[str, dict[str, list[float]]] = {name: {"keyset": [], "rows": [], "paginator": []} for name in cases}
    numbers = {name: keyset(*case) for name, case in cases.items()}
    for round_number in range(ROUNDS):
        for name, (events, arguments) in cases.items():
            for kind in ("keyset", "rows", "paginator"):
                if kind == "paginator" and round_number >= 3:
                    continue  # seconds a time: three rounds are enough for the record
                start = time.perf_counter()
                if kind == "keyset":
                    keyset(events, arguments)
                elif kind == "rows":
                    by_primary_key(numbers[name])
                else:
                    paginator(events, arguments)
                timings[name][kind].append(time.perf_counter() - start)
        print(f"round {round_number + 1} done", flush=True)
    events_total = AccessEvent.objects.count()
    lines = [
        f"### {datetime.date.today():%Y-%m-%d}: the manager's access log on the region (PostgreSQL)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}. Region of 10,000 service users; the log held {events_total:,} "
        f"events. A team manager's pages of 50; median of {ROUNDS} interleaved rounds (the previous reading: 3).",
        "",
        "| page | rows | keyset page (ms) | the same rows by primary key (ms) | ratio | previous: count, OFFSET (ms) |",
        "|---|---|---|---|---|---|",
    ]
    worst = 0.0
    for name, kinds in timings.items():
        keyset_ms, rows_ms, paginator_ms = (statistics.median(kinds[k]) * 1000 for k in ("keyset", "rows", "paginator"))
        worst = max(worst, keyset_ms / rows_ms)
        lines.append(
            f"| {name} | {len(numbers[name])} | {keyset_ms:.1f} | {rows_ms:.1f} | {keyset_ms / rows_ms:.2f}x | "
            f"{paginator_ms:,.0f} |"
        )
    lines += ["", f"Worst ratio: {worst:.2f}x (target at most 3x).", ""]
    print("\n".join(lines))
    with open(ROOT / "docs" / "benchmarks.md", "a") as handle:
        handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
