"""Inputs that used to make a server error: absurd ids, bad query strings, null characters, two writers at once,
and what a newcomer's browser sees when something does go wrong."""

import contextlib
import logging
import os
import subprocess
import sys
import threading

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.urls import reverse

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "path",
    [
        f"/households/{HUGE}/",
        f"/households/{HUGE}/visits/",
        f"/households/{HUGE}/storage/",
        f"/households/{HUGE}/assessment/",
        f"/households/{HUGE}/service-users/{HUGE}/",
        f"/api/households/{HUGE}/",
        f"/api/service-users/{HUGE}/",
        f"/api/tasks/{HUGE}/",
    ],
)
def test_an_id_too_large_for_the_database_is_a_404(client, world, path):
    client.force_login(world.users["keyworker"])
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("planned", ["abc", "1.5", "-1", HUGE, "", "١٢"])
def test_a_planned_visit_id_that_is_not_a_number_is_a_404(client, world, planned):
    client.force_login(world.users["keyworker"])
    url = reverse("visits:record", args=[world.household.pk])
    assert client.get(url, {"planned": planned}).status_code == 404


def test_a_dose_posted_for_an_absurd_prescription_id_is_a_message_not_an_error(client):
    from ostsafe.accounts.tests.factories import UserFactory
    from ostsafe.core.roles import Role

    client.force_login(UserFactory(role=Role.PHARMACIST))
    response = client.post(reverse("pharmacy:record"), {"prescription": HUGE, "outcome": "collected"}, follow=True)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


@pytest.mark.parametrize("q", ["Ta\x00ylor", "x" * 500])
def test_a_caseload_search_it_cannot_use_is_an_error_on_the_search(client, world, q):
    client.force_login(world.users["keyworker"])
    response = client.get(reverse("families:caseload"), {"q": q, "scope": "all"})
    assert response.status_code == 200
    assert "govuk-error-message" in response.content.decode()


def test_audit_filter_with_an_absurd_household_number_is_a_form_error(client, world):
    client.force_login(world.users["manager"])
    response = client.get(reverse("audit:events"), {"household": HUGE})
    assert response.status_code == 200
    assert "govuk-error-message" in response.content.decode()


def test_a_refusal_is_not_logged_with_a_traceback(client, world, caplog):
    client.force_login(world.users["pharmacist"])
    with caplog.at_level(logging.INFO):
        assert client.get(reverse("families:household", args=[world.household.pk])).status_code == 403
    assert not [r for r in caplog.records if r.exc_info]


@pytest.mark.slow
def test_debug_page_is_off_unless_asked_for():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"} | {
        "DJANGO_SETTINGS_MODULE": "ostsafe.config.settings"
    }
    script = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_two_sqlite_writers_at_once_wait_for_each_other_instead_of_failing(tmp_path):
    """Each thread reads, pauses, then writes, inside one transaction: without IMMEDIATE transactions the second
    writer fails at once with "database is locked"."""
    name = str(tmp_path / "two-writers.sqlite3")

    def connection():
        return DatabaseWrapper(
            {**settings.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3", "NAME": name}
            | {"OPTIONS": settings.SQLITE_OPTIONS, "TIME_ZONE": None, "CONN_HEALTH_CHECKS": False, "CONN_MAX_AGE": 0}
            | {"AUTOCOMMIT": True, "ATOMIC_REQUESTS": False, "TEST": {}},
            alias="two_writers",
        )

    setup = connection()
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE doses (n integer)")
    setup.close()
    errors, both_read = [], threading.Barrier(2, timeout=5)

    def writer(n):
        db = connection()
        try:
            with _atomic(db), db.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM doses")
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_read.wait(timeout=1)
                cursor.execute("INSERT INTO doses VALUES (%s)", [n])
        except Exception as error:  # noqa: BLE001 - the test reports any failure of either writer
            errors.append(error)
        finally:
            db.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    check = connection()
    with check.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM doses")
        assert cursor.fetchone()[0] == 2
    check.close()


class _atomic:
    """What `transaction.atomic()` does on SQLite (BEGIN as the connection's transaction_mode says, then COMMIT), on a
    connection outside Django's registry so that each thread has its own."""

    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.db.ensure_connection()
        self.db._start_transaction_under_autocommit()

    def __exit__(self, kind, value, tb):
        self.db.cursor().execute("COMMIT" if kind is None else "ROLLBACK")
