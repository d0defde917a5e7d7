import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from ostsafe.audit.models import AccessEvent
from ostsafe.core.testing import ACTORS, EDIT, allowed, refusals_for, write_csv
from ostsafe.monitoring import services
from ostsafe.monitoring.imports import FIELDS, import_appointments, records_from_dicts
from ostsafe.monitoring.models import Appointment

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def row(world, days_ago=1, kind="keywork", outcome="attended", nhs=None):
    return {
        "nhs_number": nhs or world.service_user.nhs_number,
        "date": (TODAY - datetime.timedelta(days=days_ago)).isoformat(),
        "kind": kind,
        "outcome": outcome,
    }


def write(tmp_path, rows):
    return write_csv(tmp_path / "appointments.csv", FIELDS, rows)


def test_appointment_import_is_idempotent_and_reports_every_rejected_row(world, tmp_path, capsys):
    """Rows 2-11; batches of three: [2, 3, 4], [5, 6, 7], [8, 9, 10], [11]."""
    rows = [
        row(world, 14),
        row(world, 7, outcome="did_not_attend"),
        row(world, 7, kind="prescriber_review", outcome="cancelled_by_client"),
        row(world, -7, outcome=""),  # booked, still to come
        row(world, 3, nhs="9999999999"),
        row(world, -1, outcome="attended"),
        row(world, 2, kind="coffee"),
        row(world, 2, outcome="late"),
        row(world, 14),
        {**row(world, 1), "date": "2026-02-30"},
    ]
    path = write(tmp_path, rows)
    call_command("import_appointments", str(path), "--batch-size", "3")
    out = capsys.readouterr().out
    assert "Created 4, unchanged 1, rejected 5" in out
    assert "row 6: unknown client" in out
    assert "row 7: an appointment in the future has no outcome yet" in out
    assert "row 8: kind must be one of keywork, prescriber_review, group, home_visit" in out
    assert "row 9: outcome must be empty or one of attended, did_not_attend" in out
    assert "row 10" not in out  # row 2's twin, in a later batch: already there, unchanged
    assert "row 11: date must be a real date" in out
    call_command("import_appointments", str(path))
    out = capsys.readouterr().out
    assert "Created 0, unchanged 5, rejected 5" in out
    assert Appointment.objects.count() == 4
    assert AccessEvent.objects.filter(action="appointment.import", household_id=world.household.pk).exists()


def test_a_later_file_records_the_outcome_of_a_booked_appointment_but_never_changes_one(world):
    import_appointments(records_from_dicts([row(world, 2, outcome="")]))
    report = import_appointments(records_from_dicts([row(world, 2, outcome="did_not_attend")]))
    assert (report.created, report.updated) == (0, 1)
    assert Appointment.objects.get().outcome == "did_not_attend"
    report = import_appointments(records_from_dicts([row(world, 2, outcome="attended")]))
    assert report.rejections == [(2, "duplicate with different values: already recorded as Did not attend")]
    report = import_appointments(records_from_dicts([row(world, 2, outcome="")]))
    assert report.unchanged == 1  # a row without an outcome leaves the recorded outcome alone
    assert Appointment.objects.get().outcome == "did_not_attend"


def test_appointment_file_without_the_needed_columns_is_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("nhs_number,when\n1,2026-01-01\n")
    with pytest.raises(CommandError, match="no column date, kind. Columns needed: nhs_number, date, kind"):
        call_command("import_appointments", str(path))


@pytest.mark.parametrize("actor", ACTORS)
def test_appointment_batch_api_follows_the_role_table(client, world, actor):
    user = world.users[actor]
    client.force_login(user)
    response = client.post(reverse("appointment-batch"), {"records": [row(world, 1)]}, content_type="application/json")
    if allowed(actor, EDIT):
        assert response.status_code == 200
        assert response.json()["created"] == 1
    elif response.status_code == 200:
        # The role records appointments, but not for this family: refused like an unknown client, nothing stored.
        assert response.json()["rejections"][0]["reason"].startswith("unknown client")
        assert not Appointment.objects.exists()
    else:
        assert response.status_code == 403
        assert refusals_for(user).filter(action="appointment.batch").exists()
        assert not Appointment.objects.exists()


def test_appointment_batch_api_takes_csv(client, world):
    client.force_login(world.users["keyworker"])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS)
    writer.writeheader()
    writer.writerow(row(world, 3, kind="group"))
    response = client.post(reverse("appointment-batch"), buffer.getvalue(), content_type="text/csv")
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 0, "rejections": []}
    assert Appointment.objects.get().kind == "group"


def test_an_imported_appointment_is_the_one_recorded_on_screen(world):
    services.record_appointment(
        service_user=world.service_user, kind="keywork", on=TODAY, outcome="", recorded_by=world.users["keyworker"]
    )
    report = import_appointments(records_from_dicts([row(world, 0, outcome="attended")]))
    assert report.updated == 1 and Appointment.objects.get().outcome == "attended"
