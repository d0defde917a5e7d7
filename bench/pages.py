"""The main pages on a region of 1,000 and one of 10,000 service users (`make bench-pages`), on PostgreSQL.

For each page (a keyworker's caseload and every tab of one of their families, my tasks and team tasks, the counter
of a pharmacy, the team manager's caseload of their team, team tasks, dashboard and access log), through Django's
test client: the number of queries (target: the same on both regions) and the time, in rounds that interleave the two
regions (each round in the other order, so that the machine's drift falls on both alike; each region's rounds start
with nothing kept in the process). Four medians a page (target for each: flat, the 10,000 region within 1.5x of the
1,000): warm, requests one after another; cold, each with nothing kept in the process (core.kept), a worker's first
request, and for the pages that keep values only in the process the first after every family it shows has changed
(the dashboard's figures of each family are kept in the database as well: bench/dashboard.py times working them all
out again, as a new day's first dashboard would without the morning's job); one change, each after one family on
the page changed (its change number moved, as any write to its record moves it), the usual case in a working
service; busy, each after one family with children in every team changed (a busy service between two looks at the
dashboard). Results are appended to docs/benchmarks.md.
"""

import datetime
import os
import platform
import statistics
import time

from bench.__main__ import ROOT
from bench.feed import region_url
from bench.warning_signs import connect, setup_django

SIZES = [1_000, 10_000]
ROUNDS = int(os.environ.get("OSTSAFE_BENCH_PAGE_ROUNDS", "5"))
REQUESTS = 3  # a round's warm, one-change and busy requests for each page; cold: one a round


def pages(size: int) -> list[tuple[object, str, str]]:
    """The pages to measure on the region in hand: (a signed-in client, the path, the label), the family, and one
    family with children in every team (busy)."""
    from django.test import Client

    from ostsafe.accounts.models import Organisation, User
    from ostsafe.core.households import tabs_for
    from ostsafe.core.roles import Role
    from ostsafe.core.validators import today
    from ostsafe.families.models import Household
    from ostsafe.families.selectors import households_with_children

    keyworker = User.objects.get(email="region.keyworker.3@region.example")
    manager = User.objects.get(email="region.manager.0@region.example")
    # The same kind of family on both regions: children living there, a take-home prescription, not planted with a
    # warning sign (a control), so each tab has the same things to show.
    household = (
        Household.objects.filter(
            name__startswith="control",
            members__role="child",
            service_users__keyworker=keyworker,
            service_users__prescriptions__regime="take_home",
        )
        .order_by("pk")
        .first()
    )
    pharmacy = Organisation.objects.filter(name="Region pharmacy 0").get()
    pharmacist, _ = User.objects.get_or_create(
        email="region.pharmacist.0@region.example",
        defaults={"full_name": "Region Pharmacist", "role": Role.PHARMACIST, "organisation": pharmacy},
    )
    paths = {
        keyworker: [
            "/caseload/",
            *(tab["href"] for tab in tabs_for(keyworker, household, "")),
            "/tasks/",
            "/tasks/team/",
        ],
        pharmacist: ["/counter/"],
        manager: ["/caseload/", "/tasks/team/", "/dashboard/", "/access-log/"],
    }
    found = []
    for user, user_paths in paths.items():
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        client.force_login(user)  # a session in this region's database
        for path in user_paths:
            label = f"{user.get_role_display().lower()}: {path.replace(str(household.pk), '<family>')}"
            found.append((client, path, label))
    # A busy service: one family with children in every team (the dashboard's own families) changed since the last
    # request.
    busy = list(
        households_with_children(today()).order_by("team_id", "pk").distinct("team_id").values_list("pk", flat=True)
    )
    return found, household.pk, busy


def query_counts(found) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for client, path, label in found:
        assert client.get(path).status_code == 200, path  # warm
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        counts[label] = len(queries)
    return counts


def one_round(found, household_id: int, busy: list[int], times: dict) -> None:
    """Every page once on the region in hand, starting with nothing kept (a request in the other region kept its own):
    a request to warm up, then REQUESTS warm, one cold (nothing kept in the process), REQUESTS each after the
    family changed (its change number moved, as any write to its record moves it) and REQUESTS each after one family
    in every team changed."""
    from django.db import connection

    from ostsafe.core.kept import forget_everything_kept

    forget_everything_kept()
    for client, path, label in found:
        client.get(path)
        for _ in range(REQUESTS):
            times[label]["warm"].append(timed(client, path))
        forget_everything_kept()
        times[label]["cold"].append(timed(client, path))
        for _ in range(REQUESTS):
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE core_householdmark SET version = version + 1 WHERE household_id = %s", [household_id]
                )
            times[label]["changed"].append(timed(client, path))
        for _ in range(REQUESTS):
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE core_householdmark SET version = version + 1 WHERE household_id = ANY(%s)", [busy]
                )
            times[label]["busy"].append(timed(client, path))


def timed(client, path) -> float:
    start = time.perf_counter()
    response = client.get(path)
    spent = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return spent


def main():
    urls = {size: region_url(size) for size in SIZES}
    os.environ["OSTSAFE_REQUIRE_2FA"] = "false"  # the test client signs in without a phone
    setup_django(urls[SIZES[0]])
    regions, counts, times = {}, {}, {}
    for size, url in urls.items():
        connect(url)
        regions[size] = pages(size)
        counts[size] = query_counts(regions[size][0])
        times[size] = {label: {"warm": [], "cold": [], "changed": [], "busy": []} for _, _, label in regions[size][0]}
    for round_number in range(ROUNDS):  # interleaved, each round in the other order: drift falls on both alike
        for size in SIZES if round_number % 2 == 0 else reversed(SIZES):
            connect(urls[size])
            one_round(*regions[size], times[size])
        print(f"  round {round_number + 1} of {ROUNDS}", flush=True)
    found = {
        size: {
            label: (counts[size][label], *(statistics.median(t[kind]) for kind in ("warm", "cold", "changed", "busy")))
            for label, t in times[size].items()
        }
        for size in SIZES
    }
    small, large = (found[size] for size in SIZES)
    lines = [
        f"### {datetime.date.today():%Y-%m-%d}: the main pages on regions of 1,000 and 10,000 service users",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, PostgreSQL. {ROUNDS} rounds, the two regions interleaved (each "
        f"round in the other order), every page in a round after one request to warm up: warm, the median of "
        f"{ROUNDS * REQUESTS} requests; cold, of {ROUNDS}, each with nothing kept in the process (a worker's first "
        "request; for the pages that keep values only in the process, as after a change to every family the page "
        "shows; the dashboard's families' figures kept in the database are current); one change, of "
        f"{ROUNDS * REQUESTS}, each after one family on the page (the keyworker's family) changed; busy, of "
        f"{ROUNDS * REQUESTS}, each after one family with children in every team changed.",
        "",
        "| page | queries (1,000) | queries (10,000) | ms (1,000) | ms (10,000) | ratio | cold ms (1,000) | cold ms "
        "(10,000) | cold ratio | one change ms (1,000) | one change ms (10,000) | one change ratio | busy ms (1,000) | "
        "busy ms (10,000) | busy ratio |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    worst = [0.0, 0.0, 0.0, 0.0]
    for label in small:
        (q1, *one), (q2, *ten) = small[label], large[label]
        flag = "" if q1 == q2 else " (queries differ)"
        cells = [f"{label}{flag}", q1, q2]
        for i, (a, b) in enumerate(zip(one, ten, strict=True)):
            worst[i] = max(worst[i], b / a)
            cells += [f"{a:.0f}", f"{b:.0f}", f"{b / a:.2f}x"]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    lines += [
        "",
        f"Worst ratio {worst[0]:.2f}x, cold {worst[1]:.2f}x, after one change {worst[2]:.2f}x, busy {worst[3]:.2f}x "
        "(target: flat, at most "
        "1.5x; the same queries on both).",
        "",
    ]
    print("\n".join(lines))
    with open(ROOT / "docs" / "benchmarks.md", "a") as handle:
        handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
