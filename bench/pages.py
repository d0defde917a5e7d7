"""The main pages on a region of 1,000 and one of 10,000 service users (`make bench-pages`), on PostgreSQL.

For each page (a keyworker's caseload and every tab of one of their families, my tasks and team tasks, the counter
of a pharmacy, the team manager's caseload of their team, team tasks, dashboard and access log): the number of
queries (target: the same on both regions) and the median time of 7 requests through Django's test client, one after
another (target: flat, the 10,000 region within 1.5x of the 1,000); the median of 3 cold requests, each with
nothing kept in the process (core.kept), as the first request after every family it shows has changed; and the median
of 7 requests each after one family on the page changed (its change number moved, as any write to its record moves
it), the usual case in a working service. Results are appended to docs/benchmarks.md.
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
REQUESTS = int(os.environ.get("OSTSAFE_BENCH_PAGE_REQUESTS", "7"))
COLD_REQUESTS = 3


def measure(size: int) -> dict[str, tuple[int, float]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ostsafe.accounts.models import Organisation, User
    from ostsafe.core.households import tabs_for
    from ostsafe.core.kept import forget_everything_kept
    from ostsafe.core.roles import Role
    from ostsafe.families.models import Household

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
    pages = {
        keyworker: [
            "/caseload/",
            *(tab["href"] for tab in tabs_for(keyworker, household, "")),
            "/tasks/",
            "/tasks/team/",
        ],
        pharmacist: ["/counter/"],
        manager: ["/caseload/", "/tasks/team/", "/dashboard/", "/access-log/"],
    }
    results = {}
    for user, paths in pages.items():
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        client.force_login(user)
        for path in paths:
            assert client.get(path).status_code == 200, path  # warm
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            count = len(
                queries
            )  # now: the captured list is a slice of the connection's log, which the next request clears
            times, cold = [], []
            for _ in range(REQUESTS):
                start = time.perf_counter()
                client.get(path)
                times.append(time.perf_counter() - start)
            for _ in range(COLD_REQUESTS):  # as after a change to every family: nothing kept in this process
                forget_everything_kept()
                start = time.perf_counter()
                client.get(path)
                cold.append(time.perf_counter() - start)
            changed = []
            for _ in range(REQUESTS):  # the usual case: one family on the page changed since (its number moved)
                with connection.cursor() as cursor:
                    cursor.execute(
                        "UPDATE core_householdmark SET version = version + 1 WHERE household_id = %s", [household.pk]
                    )
                start = time.perf_counter()
                client.get(path)
                changed.append(time.perf_counter() - start)
            label = f"{user.get_role_display().lower()}: {path.replace(str(household.pk), '<family>')}"
            results[label] = (count, *(statistics.median(t) * 1000 for t in (times, cold, changed)))
    print(f"  region {size}: {len(results)} pages measured", flush=True)
    return results


def main():
    urls = {size: region_url(size) for size in SIZES}
    os.environ["OSTSAFE_REQUIRE_2FA"] = "false"  # the test client signs in without a phone
    setup_django(urls[SIZES[0]])
    found = {}
    for size, url in urls.items():
        connect(url)
        found[size] = measure(size)
    small, large = (found[size] for size in SIZES)
    lines = [
        f"### {datetime.date.today():%Y-%m-%d}: the main pages on regions of 1,000 and 10,000 service users",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, PostgreSQL. Median of {REQUESTS} requests each, one at a time, "
        f"after one to warm up; cold: median of {COLD_REQUESTS}, each with nothing kept in the process (as after a "
        "change to every family the page shows, or a worker's first request); one change: median of "
        f"{REQUESTS}, each after one family on the page (the keyworker's family) changed.",
        "",
        "| page | queries (1,000) | queries (10,000) | ms (1,000) | ms (10,000) | ratio | cold ms (1,000) | cold ms "
        "(10,000) | cold ratio | one change ms (1,000) | one change ms (10,000) | one change ratio |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    worst = [0.0, 0.0, 0.0]
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
        f"Worst ratio {worst[0]:.2f}x, cold {worst[1]:.2f}x, after one change {worst[2]:.2f}x (target: flat, at most "
        "1.5x; the same queries on both).",
        "",
    ]
    print("\n".join(lines))
    with open(ROOT / "docs" / "benchmarks.md", "a") as handle:
        handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
