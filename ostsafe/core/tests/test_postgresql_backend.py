"""The project's PostgreSQL backend reads timestamps with psycopg's compiled loader and gives the same values as
Django's own (ostsafe/core/postgresql/base.py)."""

import datetime

import pytest
from django.db import connection

from ostsafe.audit.models import AccessEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the timestamp loader is PostgreSQL's")


def test_timestamps_are_read_by_the_compiled_loader():
    from psycopg.pq import Format

    from ostsafe.core.postgresql.base import TIMESTAMPTZ_OID, CompiledTzLoader

    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    assert issubclass(loader, CompiledTzLoader)
    # Django compares its time zone with the loader's when it opens a cursor, and would put its own loader back.
    assert loader.timezone == connection.timezone
    with connection.cursor() as cursor:
        assert issubclass(cursor.cursor.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT), CompiledTzLoader)


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=datetime.UTC),  # the hour the clocks go forward
        datetime.datetime(2026, 10, 25, 1, 30, tzinfo=datetime.UTC),  # and back
        datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC),
        datetime.datetime(9999, 12, 31, 23, 59, 59, tzinfo=datetime.UTC),
        datetime.datetime(2026, 12, 1, 9, 15, tzinfo=datetime.timezone(datetime.timedelta(hours=5, minutes=30))),
    ],
)
def test_timestamps_read_back_as_the_same_moment_in_utc(moment):
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", [moment])
        (read,) = cursor.fetchone()
    assert read == moment
    assert read.tzinfo == datetime.UTC and read.utcoffset() == datetime.timedelta(0)


def test_timestamps_match_djangos_own_loader():
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    AccessEvent.objects.create(action="caseload.view", path="/caseload/", outcome="allowed")
    sql = "SELECT at, NULL::timestamptz, now(), '2026-06-01 12:00:00.5+01'::timestamptz FROM audit_accessevent"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        ours = cursor.fetchall()
        register_tzloader(connection.timezone, cursor.cursor)  # Django's own, on this cursor only
        cursor.execute(sql)
        djangos = cursor.fetchall()
    assert ours == djangos
    assert [type(v.tzinfo) for v in ours[0] if v] == [type(v.tzinfo) for v in djangos[0] if v]
    assert ours[0][1] is None
