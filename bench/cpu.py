"""CPU time a request for the load test's pages (`make bench-cpu`), on the region of 10,000 service users.

The same 50 keyworkers and the same pages as `make bench-load` (their account page, then the caseload, one of their
families, my tasks and team tasks), asked through Django's test client with the project's settings (DEBUG off) and the
same signed-in sessions, in turn, ROUNDS rounds after a warm-up round; the median of each page's CPU time
(`time.process_time`: this process's Python and the database driver, not PostgreSQL's own work, which the load test
shows is a tenth of the whole). The figure is account ÷ the mixed pages' mean, the load test's ratio without the
server: a quick guide to it, measured in minutes rather than eleven. Pass `--profile PAGE` (caseload, family, tasks,
team) to print where one page's time goes (cProfile, cumulative). Results are printed, not appended: the load test's
are the record.
"""

import os
import statistics
import sys
import time

from bench.feed import region_url
from bench.load import USERS, verified_sessions
from bench.warning_signs import setup_django

ROUNDS = int(os.environ.get("OSTSAFE_BENCH_ROUNDS", "5"))
PAGES = {
    "account": lambda household: "/accounts/security/",
    "caseload": lambda household: "/caseload/",
    "family": lambda household: f"/households/{household}/",
    "tasks": lambda household: "/tasks/",
    "team": lambda household: "/tasks/team/",
}


def clients(sessions):
    from django.conf import settings
    from django.test import Client

    found = []
    for session_key, household in sessions:
        client = Client(HTTP_X_FORWARDED_PROTO="https", SERVER_NAME="127.0.0.1")
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
        found.append((client, household))
    return found


def cpu_ms(client, path) -> float:
    start = time.process_time()
    response = client.get(path, secure=True)
    spent = (time.process_time() - start) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return spent


def main():
    setup_django(region_url())
    from django.test.utils import setup_test_environment

    setup_test_environment()
    users = clients(verified_sessions(USERS))
    if "--profile" in sys.argv:
        import cProfile
        import pstats

        page = PAGES[sys.argv[sys.argv.index("--profile") + 1]]
        for client, household in users:
            cpu_ms(client, page(household))
        profile = cProfile.Profile()
        profile.enable()
        for client, household in users:
            cpu_ms(client, page(household))
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(60)
        return
    for client, household in users:  # warm-up: each worker has seen each page once
        for page in PAGES.values():
            cpu_ms(client, page(household))
    rounds = {name: [] for name in PAGES}
    for _ in range(ROUNDS):
        for name, page in PAGES.items():
            rounds[name].append(statistics.mean(cpu_ms(client, page(household)) for client, household in users))
    medians = {name: statistics.median(values) for name, values in rounds.items()}
    mixed = statistics.mean(medians[name] for name in PAGES if name != "account")
    print(" | ".join(f"{name} {ms:.1f}" for name, ms in medians.items()), f"| mixed mean {mixed:.1f} ms")
    print(f"account ÷ mixed: {medians['account'] / mixed:.0%} ({len(users)} keyworkers, {ROUNDS} rounds)")


if __name__ == "__main__":
    main()
