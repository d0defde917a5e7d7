"""OSV records for Django's security fixes, read from Django's own release notes.

Each release note of a series (docs/releases/5.2.20.txt in Django's source distribution, which PyPI serves) names
the CVEs that release fixes, under headings `CVE-2026-132092: Potential SQL injection ...`. Each becomes one record
saying what the note says and no more: the series from its first release up to the release that fixed it is affected
(earlier series may have been too; the record does not claim them). Django publishes its notes on the day of a
security release, before the vulnerability databases take them in: this is the freshest source there is for the
package this service leans on most."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

_HEADING = re.compile(r"^(CVE-\d{4}-\d+): (.+)\n=+\n", re.MULTILINE)
_DATE = re.compile(r"^\*(\w+ \d{1,2}, \d{4})\*$", re.MULTILINE)
_SEVERITY = re.compile(r'This issue has severity "(\w+)"')


def _plain(text: str) -> str:
    """Release-note reStructuredText as plain words: roles and literals unwrapped, lines joined."""
    text = re.sub(r":[\w:]+:`~?([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", text)
    text = text.replace("``", "").replace("\\", "")
    return re.sub(r"\s+", " ", text).strip()


def records_from_note(text: str, release: str, series: str) -> list[dict[str, Any]]:
    """The records for the CVEs one release note (`release`, e.g. 5.2.20, of `series` 5.2) says it fixes."""
    dated = _DATE.search(text)
    if dated is None:
        raise ValueError(f"Django {release}'s release note has no date line")
    day = datetime.strptime(dated.group(1), "%B %d, %Y").strftime("%Y-%m-%dT00:00:00Z")
    headings = list(_HEADING.finditer(text))
    records = []
    for number, heading in enumerate(headings):
        end = headings[number + 1].start() if number + 1 < len(headings) else len(text)
        body = text[heading.end() : end].split("\nBugfixes\n", 1)[0]
        severity = _SEVERITY.search(body)
        records.append(
            {
                "schema_version": "1.6.0",
                "id": heading.group(1),
                "published": day,
                "modified": day,
                "summary": _plain(heading.group(2)),
                "details": _plain(_SEVERITY.split(body, 1)[0]),
                "affected": [
                    {
                        "package": {"ecosystem": "PyPI", "name": "django", "purl": "pkg:pypi/django"},
                        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": series}, {"fixed": release}]}],
                    }
                ],
                "references": [
                    {"type": "ADVISORY", "url": f"https://docs.djangoproject.com/en/{series}/releases/{release}/"}
                ],
                "database_specific": {
                    "source": f"Django {release} release notes (docs/releases/{release}.txt in Django's sdist)",
                    **({"severity": severity.group(1)} if severity else {}),
                },
            }
        )
    return records


def records_from_releases(releases: Path, series: str) -> list[dict[str, Any]]:
    """Every CVE record of a series, from a Django source tree's docs/releases folder."""
    pattern = re.compile(rf"^{re.escape(series)}\.(\d+)\.txt$")
    notes = sorted((int(match.group(1)), path) for path in releases.iterdir() if (match := pattern.match(path.name)))
    return [
        record
        for patch, path in notes
        for record in records_from_note(path.read_text(encoding="utf-8"), f"{series}.{patch}", series)
    ]
