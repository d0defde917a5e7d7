import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from ostsafe.accounts.tests.factories import UserFactory
from ostsafe.core.roles import Role
from ostsafe.core.testing import write_csv
from ostsafe.pharmacy.imports import FIELDS, import_rows, records_from_dicts
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
    return write_csv(tmp_path / "dispensing.csv", FIELDS, rows)


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
    import_rows(records_from_dicts([row(world, 1)]))
    report = import_rows(records_from_dicts([row(world, 1, "missed")]))
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

    import_rows(records_from_dicts([row(world, 2, "missed"), row(world, 1, "missed"), row(world, 0, "missed")]))
    assert Task.objects.filter(rule="pharmacy.missed_doses").count() == 2


def test_batch_api_refuses_records_that_are_not_objects(client, world):
    pharmacist = UserFactory(role=Role.PHARMACIST, organisation=world.prescription.pharmacy)
    client.force_login(pharmacist)
    response = client.post(reverse("dispensing-batch"), {"records": ["not a record"]}, content_type="application/json")
    assert response.status_code == 400
    assert "Each record must be an object" in response.json()["records"][0]


def tricky_records(world) -> list[tuple]:
    nhs, pharmacy = world.service_user.nhs_number, str(world.prescription.pharmacy_id)
    day = lambda n: (TODAY - datetime.timedelta(days=n)).isoformat()  # noqa: E731
    return [
        (nhs, pharmacy, day(1), "supervised", "60", "fine"),
        (f" {nhs[:3]} {nhs[3:6]} {nhs[6:]}", f" {pharmacy} ", f" {day(2)} ", " Supervised ", " 60.00 ", ""),
        (nhs, "twelve", day(3), "supervised", "60", ""),
        (nhs, pharmacy, "2026-02-30", "supervised", "60", ""),
        (nhs, pharmacy, day(3).replace("-", ""), "supervised", "60", ""),
        (nhs, pharmacy, day(3), "taken", "60", ""),
        (nhs, pharmacy, day(3), "supervised", "NaN", ""),
        (nhs, pharmacy, day(3), "supervised", "1e2", ""),
        (nhs, pharmacy, day(4), "missed", "0", "a zero quantity is no quantity"),
        (nhs, pharmacy, day(5), "missed", "5", ""),
        (nhs, pharmacy, day(6), "supervised", "65", "wrong dose first"),
        (nhs, pharmacy, day(6), "supervised", "60", "then the right one"),
        (nhs, pharmacy, day(7), "collected", "60", ""),
        (nhs, pharmacy, day(7), "missed", "", "the same dose twice"),
        (nhs, pharmacy, day(-1), "supervised", "60", ""),
        ("9999999999", pharmacy, day(8), "supervised", "60", ""),
        (nhs, pharmacy, day(60), "supervised", "60", "before the prescription started"),
        (nhs, pharmacy, day(9), "supervised", "60", "x" * 600),
        (nhs, pharmacy, day(11), "supervised", "-60", ""),
        (nhs, pharmacy, day(12), "supervised", "60", "x" * 500),
    ]


def run_with(monkeypatch, importer, records):
    from ostsafe.pharmacy import imports

    monkeypatch.setattr(imports, "_batch_importer", lambda: importer)
    report = import_rows(records, batch_size=7)
    stored = sorted(DispensingRecord.objects.values_list("expected_on", "outcome", "quantity", "note"))
    DispensingRecord.objects.all().delete()
    return report, stored


def test_set_based_and_row_by_row_checks_give_the_same_report(world, monkeypatch):
    """On PostgreSQL this compares the COPY + SQL path with the Python path; on SQLite both are the Python path."""
    from django.db import connection

    from ostsafe.pharmacy import imports

    DispensingRecord.objects.create(
        prescription=world.prescription, expected_on=TODAY - datetime.timedelta(days=10), outcome="missed"
    )
    records = tricky_records(world) + [
        (
            world.service_user.nhs_number,
            str(world.prescription.pharmacy_id),
            (TODAY - datetime.timedelta(days=10)).isoformat(),
            "supervised",
            "60",
            "differs from the stored record",
        )
    ]
    python_report, python_stored = run_with(monkeypatch, imports._import_batch, records)
    DispensingRecord.objects.create(
        prescription=world.prescription, expected_on=TODAY - datetime.timedelta(days=10), outcome="missed"
    )
    native = imports._import_batch_postgres if connection.vendor == "postgresql" else imports._import_batch
    native_report, native_stored = run_with(monkeypatch, native, records)

    assert (native_report.created, native_report.unchanged, native_report.rejected) == (6, 0, 15)
    assert native_report.rejections == python_report.rejections  # the same reasons, in row order
    assert (python_report.created, python_report.unchanged) == (native_report.created, native_report.unchanged)
    assert native_stored == python_stored
    reasons = dict(native_report.rejections)
    assert reasons[4] == "pharmacy must be the pharmacy's number"
    assert reasons[5] == reasons[6] == "date must be a real date, like 2026-11-23"
    assert reasons[7] == "outcome must be supervised, collected or missed"
    assert reasons[8] == reasons[9] == "quantity must be a number, like 60 or 8.5"
    assert reasons[11] == "a missed dose has no quantity"
    assert reasons[12].startswith("dose does not match the prescription (60")
    assert reasons[15] == "the same dose appears twice in this file"
    assert reasons[16] == "date is in the future"
    assert reasons[17].startswith("unknown client") and reasons[18].startswith("unknown client")
    assert reasons[19] == "note is longer than 500 characters (600)"  # reported, not cut short
    assert reasons[20] == "quantity must be 0 or more"
    assert reasons[22].startswith("duplicate with different values")
    notes = {note for _, _, _, note in native_stored}
    assert "then the right one" in notes and "x" * 500 in notes


def test_csv_columns_may_come_in_any_order_and_short_rows_are_reported(world, tmp_path, capsys):
    nhs, pharmacy = world.service_user.nhs_number, world.prescription.pharmacy_id
    path = tmp_path / "reordered.csv"
    path.write_text(
        "\ufeffDate,Outcome,Quantity,NHS_Number,Pharmacy,Note,Extra\n"
        f"{TODAY - datetime.timedelta(days=1)},supervised,60,{nhs},{pharmacy},,ignored\n"
        f"{TODAY - datetime.timedelta(days=2)},supervised\n",
        encoding="utf-8",
    )
    call_command("import_dispensing", str(path))
    out = capsys.readouterr().out
    assert "Created 1, unchanged 0, rejected 1" in out
    assert "row 3: pharmacy must be the pharmacy's number" in out


def test_batch_api_explains_a_csv_it_cannot_read(client, world):
    pharmacist = UserFactory(role=Role.PHARMACIST, organisation=world.prescription.pharmacy)
    client.force_login(pharmacist)
    url = reverse("dispensing-batch")
    response = client.post(url, "name,when\nx,y\n", content_type="text/csv")
    assert response.status_code == 400
    assert "no column nhs_number" in response.json()["records"][0]
    response = client.post(url, "nhs_number\n\xff\xfe".encode("latin-1"), content_type="text/csv")
    assert response.status_code == 400
    assert response.json()["records"] == ["Send the CSV as UTF-8 text"]
    assert DispensingRecord.objects.count() == 0


def test_nul_characters_in_a_note_do_not_stop_the_import(world):
    record = row(world, 1)
    record["note"] = "paper\x00 record"
    report = import_rows(records_from_dicts([record]))
    assert report.created == 1
    assert DispensingRecord.objects.get().note == "paper record"


def test_an_imported_run_of_misses_followed_by_a_dose_still_makes_the_review_tasks(world):
    from ostsafe.tasks.models import Task

    rows = [
        row(world, 5, "missed"),
        row(world, 4, "missed"),
        row(world, 3, "missed"),
        row(world, 2),
        row(world, 1, "missed"),
    ]
    import_rows(records_from_dicts(rows))
    tasks = Task.objects.filter(rule="pharmacy.missed_doses")
    assert tasks.count() == 2
    assert all(t.due_on == TODAY - datetime.timedelta(days=3) for t in tasks)


def test_an_imported_run_that_ended_weeks_ago_is_history_not_a_task(world):
    from ostsafe.tasks.models import Task

    import_rows(records_from_dicts([row(world, 25, "missed"), row(world, 24, "missed"), row(world, 23, "missed")]))
    assert DispensingRecord.objects.count() == 3
    assert not Task.objects.filter(rule="pharmacy.missed_doses").exists()


def test_a_csv_that_cannot_be_parsed_is_refused_with_a_message(client, world, tmp_path):
    huge = "x" * 200_000  # beyond the CSV reader's field size limit
    body = ",".join(FIELDS) + f'\n{world.service_user.nhs_number},1,2026-01-01,missed,,"{huge}"\n'
    pharmacist = UserFactory(role=Role.PHARMACIST, organisation=world.prescription.pharmacy)
    client.force_login(pharmacist)
    response = client.post(reverse("dispensing-batch"), body, content_type="text/csv")
    assert response.status_code == 400
    assert response.json()["records"][0].startswith("The CSV could not be read: field larger than field limit")
    path = tmp_path / "huge.csv"
    path.write_text(body)
    with pytest.raises(CommandError, match="The file is not CSV that can be read"):
        call_command("import_dispensing", str(path))
    path.write_bytes(",".join(FIELDS).encode() + b"\n\xff\xfe,1\n")
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_dispensing", str(path))
    assert DispensingRecord.objects.count() == 0


def test_a_csv_without_the_optional_note_column_is_imported(client, world):
    pharmacist = UserFactory(role=Role.PHARMACIST, organisation=world.prescription.pharmacy)
    client.force_login(pharmacist)
    day = (TODAY - datetime.timedelta(days=1)).isoformat()
    row = f"{world.service_user.nhs_number},{world.prescription.pharmacy_id},{day},supervised,60"
    body = f"nhs_number,pharmacy,date,outcome,quantity\n{row}\n"
    response = client.post(reverse("dispensing-batch"), body, content_type="text/csv")
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    assert DispensingRecord.objects.get().note == ""
