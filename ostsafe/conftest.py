import copy

import pytest
from django.db import transaction
from django.test.utils import override_settings

from ostsafe.core.testing import build_world

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    """The role x view world, built once per test module inside a transaction that is rolled back when the module
    ends (Django's setUpTestData, for pytest). Each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _nothing_kept_from_another_test():
    """Each test starts with nothing kept. Tests roll their writes back, and the families' change numbers with them,
    so a number one test saw can stand for other records in the next (a real service's numbers only go up)."""
    from ostsafe.core.kept import forget_everything_kept

    forget_everything_kept()


@pytest.fixture
def world(_module_world, db):
    """A fresh copy of the module's world for each test: what a test changes in memory or in the database is gone
    before the next one."""
    return copy.deepcopy(_module_world)


@pytest.fixture
def fresh_world(transactional_db):
    """A world of its own, committed, for the few tests that need real transactions (two connections racing).
    PostgreSQL only: the world writes to the append-only access log, which a test database on SQLite cannot flush
    afterwards (its flush deletes rows; PostgreSQL's truncates)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (committed rows in the append-only access log; SQLite allows one writer)")
    return build_world()


@pytest.fixture(scope="session")
def _demo_servers():
    servers = []
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture
def demo_server(_demo_servers, tmp_path_factory):
    """The demo service, seeded once for the run: again if the day has changed since (a run across midnight), as
    its records are seeded relative to the day (three doses missed up to yesterday, a visit due tomorrow)."""
    from ostsafe.core.browser import DemoServer
    from ostsafe.core.validators import today

    if _demo_servers and _demo_servers[-1].seeded_on != today():
        _demo_servers.pop().stop()
    if not _demo_servers:
        _demo_servers.append(DemoServer(tmp_path_factory.mktemp("browser")).start())
    return _demo_servers[-1]


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    from ostsafe.core.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
