import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from ostsafe.accounts.roles import Role
from ostsafe.accounts.tests.factories import UserFactory
from ostsafe.pharmacy.imports import FIELDS, import_rows
from ostsafe.pharmacy.models import DispensingRecord

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def row(world, days_ago=0, outcome="supervised", quantity="60", nhs=None, pharmacy=None):
    return {
        "nhs_number": nhs or world.service_user.nhs_number,
        "pharmacy": str(pharmacy or world.prescription.pharmacy_id),
        "date": (TODAY - datetime.timedelta(days=days_ago)).isoformat(),
        "outcome": outcome,
        "quantity": quantity if outcome != "missed" else "",
        "note": "",
    }


def write(tmp_path, rows):
    path = tmp_path / "dispensing.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_import_is_idempotent_and_reports_every_rejected_row(world, tmp_path, capsys):
    rows = [
        row(world, 2),
        row(world, 1, "missed"),
        row(world, 0),
        row(world, 3, nhs="9999999999"),  # unknown client
        row(world, -1),  # future
        row(world, 4, quantity="65"),  # dose does not match
    ]
    path = write(tmp_path, rows)
    call_command("import_dispensing", str(path), "--batch-size", "2")
    out = capsys.readouterr().out
    assert "Created 3, unchanged 0, rejected 3" in out
    assert "row 5: unknown client" in out and "row 6: date is in the future" in out
    assert "row 7: dose does not match the prescription" in out
    call_command("import_dispensing", str(path))
    assert "Created 0, unchanged 3, rejected 3" in capsys.readouterr().out
    assert DispensingRecord.objects.count() == 3


def test_duplicate_with_different_values_is_rejected(world):
    import_rows([row(world, 1)])
    report = import_rows([row(world, 1, "missed")])
    assert report.rejected == 1 and "duplicate with different values" in report.rejections[0][1]


def test_file_without_the_needed_columns_is_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("name,date\nx,2026-01-01\n")
    with pytest.raises(CommandError, match="no column nhs_number"):
        call_command("import_dispensing", str(path))


def test_batch_api_takes_json_and_csv_and_keeps_pharmacists_to_their_own_pharmacy(client, world):
    pharmacist = UserFactory(role=Role.PHARMACIST, organisation=world.prescription.pharmacy)
    client.force_login(pharmacist)
    url = reverse("dispensing-batch")
    response = client.post(
        url, {"records": [row(world, 1), row(world, 0, pharmacy=999999)]}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["created"] == 1
    assert response.json()["rejections"] == [{"row": 3, "reason": "not your pharmacy"}]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS)
    writer.writeheader()
    writer.writerow(row(world, 2))
    response = client.post(url, buffer.getvalue(), content_type="text/csv")
    assert response.json()["created"] == 1
    assert DispensingRecord.objects.get(expected_on=TODAY - datetime.timedelta(days=2)).quantity == Decimal("60")


def test_batch_api_is_refused_to_roles_that_do_not_dispense(client, world):
    client.force_login(world.users["keyworker"])
    response = client.post(reverse("dispensing-batch"), {"records": []}, content_type="application/json")
    assert response.status_code == 403


def test_imported_missed_run_makes_the_review_tasks(world):
    from ostsafe.tasks.models import Task

    import_rows([row(world, 2, "missed"), row(world, 1, "missed"), row(world, 0, "missed")])
    assert Task.objects.filter(rule="pharmacy.missed_doses").count() == 2


def test_batch_api_refuses_records_that_are_not_objects(client, world):
    pharmacist = UserFactory(role=Role.PHARMACIST, organisation=world.prescription.pharmacy)
    client.force_login(pharmacist)
    response = client.post(reverse("dispensing-batch"), {"records": ["not a record"]}, content_type="application/json")
    assert response.status_code == 400
    assert "Each record must be an object" in response.json()["records"][0]
