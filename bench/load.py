"""Signed-in pages under the production server (`make bench-load`), on the region of 10,000 service users.

gunicorn with the production settings and ostsafe/config/gunicorn.py (sync workers, two per core and one more), on
loopback only. 50 keyworkers of the region, each with a real two-factor-verified session, ask in turn and without
pause: first for the trivial signed-in page (their account page: the whole signed-in stack, no family data) for
DURATION seconds, then for the mixed pages of a working day (the caseload, one of their families, their tasks, the
team's tasks) for DURATION seconds. Throughput, median and 95th percentile latency and errors (anything but 200) for
each. Target: mixed at least 50% of the trivial page's throughput, 0 errors. Results are appended to
docs/benchmarks.md.
"""

import datetime
import http.client
import os
import platform
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time

from bench.__main__ import ROOT
from bench.feed import region_url
from bench.warning_signs import percentile, setup_django

USERS = int(os.environ.get("OSTSAFE_BENCH_LOAD_USERS", "50"))
DURATION = int(os.environ.get("OSTSAFE_BENCH_LOAD_SECONDS", "300"))
PORT = int(os.environ.get("OSTSAFE_BENCH_LOAD_PORT", "8790"))


def verified_sessions(count: int) -> list[tuple[str, int]]:
    """(session key, one of their households) for `count` region keyworkers, each signed in with a confirmed
    authenticator, as the sign-in and two-factor pages would leave the session."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ostsafe.accounts.middleware import REFRESHED_AT, SIGNED_IN_AT
    from ostsafe.accounts.models import User
    from ostsafe.families.models import ServiceUser

    sessions = []
    for user in User.objects.filter(email__startswith="region.keyworker.").order_by("pk")[:count]:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        household = ServiceUser.objects.filter(keyworker=user).values_list("household_id", flat=True).first()
        store = SessionStore()
        store.update(
            {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash(),
                DEVICE_ID_SESSION_KEY: device.persistent_id,
                SIGNED_IN_AT: time.time(),
                REFRESHED_AT: time.time(),
            }
        )
        store.create()
        sessions.append((store.session_key, household))
    return sessions


def drive(sessions, paths_for, seconds: float) -> dict:
    """Each session a thread asking for its paths in turn, keep-alive, until the time is up."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def user(session_key, household):
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        headers = {"Cookie": f"sessionid={session_key}", "X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
        paths, n = paths_for(household), 0
        while time.monotonic() < stop:
            path = paths[n % len(paths)]
            n += 1
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors.append(f"{path}: {status}")

    threads = [threading.Thread(target=user, args=s) for s in sessions]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / wall,
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "errors": errors,
    }


def main():
    url = region_url()
    setup_django(url)
    sessions = verified_sessions(USERS)
    env = os.environ | {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "ostsafe.config.settings_production",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", secrets.token_urlsafe(50)),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "GUNICORN_ACCESS_LOG": "false",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    from django.conf import settings

    env["DJANGO_SECRET_KEY"] = settings.SECRET_KEY  # the sessions were signed with this process's key
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "ostsafe/config/gunicorn.py"], cwd=ROOT, env=env
    )
    try:
        for _ in range(100):
            time.sleep(0.3)
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=2).request("GET", "/health/")
                break
            except OSError:
                continue
        workers = env.get("GUNICORN_WORKERS", f"{os.cpu_count() * 2 + 1}")
        warm = drive(sessions, lambda h: ["/accounts/security/", "/caseload/", f"/households/{h}/"], 20)
        assert not warm["errors"], warm["errors"][:5]
        trivial = drive(sessions, lambda h: ["/accounts/security/"], DURATION)
        mixed = drive(sessions, lambda h: ["/caseload/", f"/households/{h}/", "/tasks/", "/tasks/team/"], DURATION)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    ratio = mixed["per_second"] / trivial["per_second"]
    lines = [
        f"### {datetime.date.today():%Y-%m-%d}: signed-in pages under gunicorn on the region (PostgreSQL)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}. gunicorn, {workers} sync workers, production settings, persistent "
        f"database connections; {len(sessions)} signed-in keyworkers asking without pause, {DURATION} s each, "
        "client on the same machine (loopback).",
        "",
        "| pages | requests | per second | median (ms) | 95th percentile (ms) | errors |",
        "|---|---|---|---|---|---|",
        *(
            f"| {name} | {r['requests']:,} | {r['per_second']:.1f} | {r['median_ms']:.0f} | {r['p95_ms']:.0f} | "
            f"{len(r['errors'])} |"
            for name, r in (
                ("trivial signed-in page (your account)", trivial),
                ("mixed: caseload, a family, my tasks, team tasks", mixed),
            )
        ),
        "",
        f"Mixed pages at **{ratio:.1%}** of the trivial page's throughput (target at least 50%, 0 errors).",
        "",
    ]
    print("\n".join(lines))
    if trivial["errors"] or mixed["errors"]:
        print("Errors:", (trivial["errors"] + mixed["errors"])[:20])
    with open(ROOT / "docs" / "benchmarks.md", "a") as handle:
        handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
