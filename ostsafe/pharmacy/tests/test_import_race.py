"""A dose recorded at the counter while an import of the same dose is under way: two real connections, so this test
commits for real (the rest of the suite runs in rolled-back transactions)."""

import datetime

import pytest

from ostsafe.pharmacy.imports import import_rows, records_from_dicts
from ostsafe.pharmacy.models import DispensingRecord
from ostsafe.pharmacy.tests.test_import import TODAY, row


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_dose_recorded_at_the_counter_during_an_import_is_kept_and_the_batch_completes(fresh_world):
    """Another connection records a dose and holds its transaction open; the import's insert waits for it, loses the
    race on the natural key, checks the batch again and reports the dose as already there."""
    world = fresh_world
    import threading

    import psycopg
    from django.db import connection

    day = TODAY - datetime.timedelta(days=1)
    inserted, release = threading.Event(), threading.Event()
    settings = connection.settings_dict

    def counter():
        with psycopg.connect(
            dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or 5432
        ) as other:
            other.execute(
                "INSERT INTO pharmacy_dispensingrecord (prescription_id, expected_on, outcome, quantity, note, "
                "source, recorded_at) VALUES (%s, %s, 'supervised', 60, 'at the counter', 'counter', now())",
                [world.prescription.pk, day],
            )
            inserted.set()
            release.wait(10)
            other.commit()

    thread = threading.Thread(target=counter)
    thread.start()
    inserted.wait(10)
    threading.Timer(1.0, release.set).start()  # commits while the import's insert waits on the key
    report = import_rows(records_from_dicts([row(world, 1), row(world, 2)]))
    thread.join()

    assert (report.created, report.unchanged, report.rejected) == (1, 1, 0)
    assert DispensingRecord.objects.get(expected_on=day).note == "at the counter"
