"""The offline dependency audit: OSV's matching rules, the local query API pip-audit asks, the copy committed, and
how the copy is made (from Django's release notes, and from OSV's own exports)."""

import io
import json
import re
import urllib.error
import urllib.request
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dependency_audit import django_notes
from dependency_audit.__main__ import main, too_old
from dependency_audit.osv import Copy, Server, affects, npm_packages

ROOT = Path(__file__).resolve().parents[2]


def record(events=None, *, name="example", ecosystem="PyPI", versions=(), **extra):
    affected = {"package": {"ecosystem": ecosystem, "name": name}, "versions": list(versions)}
    if events is not None:
        affected["ranges"] = [{"type": "ECOSYSTEM", "events": events}]
    return {"id": "TEST-1", "summary": "a test record", "affected": [affected], **extra}


def write_copy(folder: Path, *records) -> Copy:
    for number, rec in enumerate(records):
        package = rec["affected"][0]["package"]
        path = folder / package["ecosystem"] / package["name"] / f"{rec['id']}-{number}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(rec))
    return Copy.load(folder)


def test_a_version_from_introduced_up_to_fixed_is_affected():
    rec = record([{"introduced": "1.2"}, {"fixed": "1.5.1"}])
    assert affects(rec, "PyPI", "example", "1.2")
    assert affects(rec, "PyPI", "example", "1.5.0")
    assert not affects(rec, "PyPI", "example", "1.1.9")


def test_the_fixed_release_and_later_are_not_affected():
    rec = record([{"introduced": "0"}, {"fixed": "5.2.20"}])
    assert affects(rec, "PyPI", "example", "5.2.19")
    assert not affects(rec, "PyPI", "example", "5.2.20")
    assert not affects(rec, "PyPI", "example", "6.0")


def test_last_affected_takes_in_that_release_and_no_later():
    rec = record([{"introduced": "0"}, {"last_affected": "68.1"}])
    assert affects(rec, "PyPI", "example", "68.1")
    assert not affects(rec, "PyPI", "example", "69.0")


def test_a_second_introduced_opens_the_range_again():
    # pydantic's CVE-2024-3772: fixed in 1.10.13 on the 1.x line, and again in 2.4.0 on the 2.x line.
    rec = record([{"introduced": "0"}, {"fixed": "1.10.13"}, {"introduced": "2.0.0"}, {"fixed": "2.4.0"}])
    assert [affects(rec, "PyPI", "example", v) for v in ("1.10.12", "1.10.13", "2.3.0", "2.4.0")] == [
        True,
        False,
        True,
        False,
    ]


def test_events_are_read_in_version_order_not_file_order():
    rec = record([{"fixed": "2.0"}, {"introduced": "1.0"}])
    assert affects(rec, "PyPI", "example", "1.5")
    assert not affects(rec, "PyPI", "example", "2.0")


def test_a_version_listed_by_name_is_affected_without_a_range():
    rec = record(None, versions=["0.9b1"])
    assert affects(rec, "PyPI", "example", "0.9b1")
    assert not affects(rec, "PyPI", "example", "0.9")


def test_pypi_names_match_as_pep_503_says():
    rec = record([{"introduced": "0"}, {"fixed": "6.0"}], name="PyYAML")
    assert affects(rec, "PyPI", "pyyaml", "5.4")
    assert affects(rec, "PyPI", "PyYaml", "5.4")
    assert not affects(rec, "PyPI", "py-yaml-other", "5.4")


def test_a_record_for_another_ecosystem_does_not_answer():
    rec = record([{"introduced": "0"}, {"fixed": "2.29.4"}], name="moment", ecosystem="NuGet")
    assert not affects(rec, "npm", "moment", "2.29.1")


def test_an_event_whose_version_cannot_be_read_is_passed_over():
    rec = record([{"introduced": "not a version"}, {"introduced": "1.0"}, {"fixed": "also not"}])
    assert affects(rec, "PyPI", "example", "3.0")
    assert not affects(rec, "PyPI", "example", "0.5")


def test_a_withdrawn_record_is_not_answered(tmp_path):
    copy = write_copy(
        tmp_path,
        record([{"introduced": "0"}, {"fixed": "2.0"}], withdrawn="2026-01-01T00:00:00Z"),
    )
    assert copy.query("PyPI", "example", "1.0") == []


def post(url, body):
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_the_local_server_answers_osv_query_api_as_pip_audit_asks_it(tmp_path):
    copy = write_copy(tmp_path, record([{"introduced": "0"}, {"fixed": "2.0"}], name="Example"))
    with Server(copy) as server:
        query = {"package": {"name": "example", "ecosystem": "PyPI"}, "version": "1.0"}
        status, answer = post(server.url, json.dumps(query).encode())
        assert status == 200
        assert [vuln["id"] for vuln in answer["vulns"]] == ["TEST-1"]

        status, answer = post(server.url, json.dumps({**query, "version": "2.0"}).encode())
        assert (status, answer) == (200, {})  # what api.osv.dev answers when nothing is known

        status, answer = post(server.url, b"{not json")
        assert status == 400
        assert "names a package" in answer["message"]

        status, answer = post(server.url, json.dumps({**query, "package": {"name": "x", "ecosystem": "Go"}}).encode())
        assert status == 400

        status, answer = post(server.url.replace("/v1/query", "/v1/querybatch"), json.dumps(query).encode())
        assert status == 404


def test_npm_packages_are_read_from_the_lock_file_without_dev_only_ones():
    lock = {
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "ostsafe-frontend"},
            "node_modules/moment": {"version": "2.30.1"},
            "node_modules/@ministryofjustice/frontend": {"version": "11.1.0"},
            "node_modules/eslint": {"version": "9.0.0", "dev": True},
        },
    }
    assert list(npm_packages(lock)) == [("moment", "2.30.1"), ("@ministryofjustice/frontend", "11.1.0")]
    assert ("eslint", "9.0.0") in list(npm_packages(lock, omit_dev=False))


NOTE = """\
===========================
Django 5.2.20 release notes
===========================

*December 2, 2026*

Django 5.2.20 fixes two security issues.

CVE-2026-132092: Potential SQL injection in ``range`` and ``in`` lookups
========================================================================

The :lookup:`range` and :lookup:`in` lookups were subject to SQL injection.

This issue has severity "high" according to the :ref:`Django security policy
<severity-levels>`.

CVE-2026-115868: Potential cross-site scripting in ``truncatechars_html``
=========================================================================

The :tfilter:`truncatechars_html` filter was subject to XSS.

Bugfixes
========

* Fixed a regression.
"""


def test_each_cve_of_a_django_release_note_becomes_a_record_of_its_series():
    first, second = django_notes.records_from_note(NOTE, "5.2.20", "5.2")
    assert first["id"] == "CVE-2026-132092"
    assert first["summary"] == "Potential SQL injection in range and in lookups"
    assert first["details"] == "The range and in lookups were subject to SQL injection."
    assert first["published"] == "2026-12-02T00:00:00Z"
    assert first["database_specific"]["severity"] == "high"
    assert first["affected"][0]["ranges"][0]["events"] == [{"introduced": "5.2"}, {"fixed": "5.2.20"}]
    assert affects(first, "PyPI", "Django", "5.2.19")
    assert not affects(first, "PyPI", "Django", "5.2.20")
    assert not affects(first, "PyPI", "Django", "5.1.9")  # the note speaks for its own series only
    assert second["id"] == "CVE-2026-115868"
    assert "severity" not in second["database_specific"]  # the note did not give one
    assert "Bugfixes" not in second["details"]


def test_a_release_note_without_its_date_is_refused():
    with pytest.raises(ValueError, match="no date line"):
        django_notes.records_from_note(NOTE.replace("*December 2, 2026*", ""), "5.2.20", "5.2")


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        if match := re.match(r"^([A-Za-z0-9][A-Za-z0-9._\-]*)==(\S+)", line):
            found[match.group(1)] = match.group(2)
    return found


def test_the_committed_copy_flags_django_5_2_19_and_none_of_the_services_pins():
    copy = Copy.load()
    flagged = {rec["id"] for rec in copy.query("PyPI", "Django", "5.2.19")}
    assert "CVE-2026-132092" in flagged and len(flagged) == 7
    for name, version in pins(ROOT / "requirements.txt").items():
        assert copy.query("PyPI", name, version) == [], f"{name} {version} has a known vulnerability"
    lock = json.loads((ROOT / "package-lock.json").read_text())
    for name, version in npm_packages(lock):
        assert copy.query("npm", name, version) == [], f"{name} {version} has a known vulnerability"


def test_the_committed_copy_says_when_and_from_where():
    sources = json.loads((ROOT / "dependency_audit" / "osv" / "SOURCES.json").read_text())
    assert datetime.strptime(sources["as_of"], "%Y-%m-%d")
    assert sources["sources"] and sources["gaps"]


def test_a_copy_past_sixty_days_is_too_old_to_pass():
    today = datetime(2026, 12, 6, tzinfo=UTC)
    assert not too_old({"as_of": "2026-10-07"}, today)
    assert too_old({"as_of": (today - timedelta(days=61)).strftime("%Y-%m-%d")}, today)


def export(folder: Path, ecosystem: str, *records) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for rec in records:
            archive.writestr(f"{rec['id']}.json", json.dumps(rec))
    (folder / ecosystem).mkdir(parents=True)
    (folder / ecosystem / "all.zip").write_bytes(buffer.getvalue())


def test_refresh_keeps_the_exported_records_of_pinned_packages_only(tmp_path):
    exports, copy = tmp_path / "exports", tmp_path / "copy"
    ours = {**record([{"introduced": "0"}, {"fixed": "2.0"}], name="Django"), "id": "PYSEC-1"}
    theirs = {**record([{"introduced": "0"}, {"fixed": "2.0"}], name="flask"), "id": "PYSEC-2"}
    ours_npm = {**record([{"introduced": "0"}, {"fixed": "2.29.4"}], name="moment", ecosystem="npm"), "id": "GHSA-1"}
    export(exports, "PyPI", ours, theirs)
    export(exports, "npm", ours_npm)
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("Django==5.2.20\n")
    lock = tmp_path / "package-lock.json"
    lock.write_text(json.dumps({"packages": {"node_modules/moment": {"version": "2.30.1"}}}))
    copy.mkdir()
    (copy / "PyPI" / "stale").mkdir(parents=True)
    (copy / "PyPI" / "stale" / "OLD-1.json").write_text("{}")

    assert main(["refresh", "--export", f"file://{exports}/{{ecosystem}}/all.zip", "--copy", str(copy),
                 "--requirements", str(requirements), "--lock", str(lock)]) == 0  # fmt: skip

    kept = sorted(str(path.relative_to(copy)) for path in copy.glob("*/*/*.json"))
    assert kept == ["PyPI/django/PYSEC-1.json", "npm/moment/GHSA-1.json"]
    sources = json.loads((copy / "SOURCES.json").read_text())
    assert sources["as_of"] == datetime.now(UTC).strftime("%Y-%m-%d")
    assert sources["gaps"] == []
    assert len(Copy.load(copy)) == 2
