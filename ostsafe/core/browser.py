"""Browser-test plumbing: a real OST Safe server in its own process, with the demo service loaded, and Debian's
Chromium driven by Playwright.

The server runs in a separate process against its own database (a fresh SQLite file, or a fresh PostgreSQL database
beside the test one when DATABASE_URL points at PostgreSQL), so that browser tests exercise exactly what `make run`
serves, and the append-only audit table never needs flushing between tests.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

CHROMIUM = os.environ.get("OSTSAFE_CHROMIUM", "/usr/bin/chromium")
# No network in tests: Chromium must not reach out for updates, sync or field trials.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database_url(tmp_dir: Path, suffix: str = "browser") -> str:
    """A new, empty database for a server or command run in its own process: an SQLite file in `tmp_dir`, or, when
    DATABASE_URL points at PostgreSQL, a fresh database beside it named with `suffix`."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp_dir / f'{suffix}.sqlite3'}"
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'ostsafe'}_{suffix}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


class DemoServer:
    def __init__(self, tmp_dir: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = os.environ | {
            "DATABASE_URL": fresh_database_url(tmp_dir),
            "DJANGO_SETTINGS_MODULE": "ostsafe.config.settings",
            "OSTSAFE_REQUIRE_2FA": "false",
            "PYTHONUNBUFFERED": "1",
        }
        self.log = open(tmp_dir / "server.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = None
        self.seeded_on = None

    def manage(self, *args):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=self.env,
            check=True,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def query(self, sql: str) -> list[tuple]:
        """Rows from the server's own database (SQLite file or PostgreSQL), for a test to compare a page with."""
        url = self.env["DATABASE_URL"]
        if url.startswith("sqlite:///"):
            import sqlite3

            with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
                return db.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(url) as db:
            return db.execute(sql).fetchall()

    def start(self):
        from ostsafe.core.validators import today

        self.manage("migrate", "--noinput")
        self.seeded_on = today()  # the day the demo's records are seeded relative to
        self.manage("seed_demo")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"The test server stopped; see {self.log.name}") from None
                time.sleep(0.2)
        raise RuntimeError("The test server did not start within 30 seconds")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.log.close()


# Shared by every app's browser tests ---------------------------------------------------------------------------------

PHONE = {"width": 375, "height": 812}  # WCAG 2.2 reflow is judged at 320 CSS px; 375 is the common phone
DESKTOP = {"width": 1280, "height": 900}


def open_page(chromium, viewport=DESKTOP, **options):
    """A page in a fresh browser context (no cookies), with a timeout that suits a busy CI machine. Close its
    context when done: `page.context.close()`."""
    page = chromium.new_context(viewport=viewport, **options).new_page()
    page.set_default_timeout(15_000)
    return page


def sign_in(page, server, email="keyworker@ostsafe.example"):
    from ostsafe.demo.builder import DEMO_PASSWORD

    page.goto(f"{server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def assert_no_axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
