"""OSV records, kept as files, asked the way api.osv.dev is asked.

The copy is a folder of OSV records (https://ossf.github.io/osv-schema/), one JSON file each, under
`<ecosystem>/<package>/<id>.json`: the same records, in the same schema, that OSV serves and that its PyPI and npm
exports (`all.zip`) carry. `query()` answers what POST /v1/query answers: every record naming that package in that
ecosystem whose ranges or versions take in that version, withdrawn records left out. `serve()` answers it over HTTP
for pip-audit's `--osv-url`.

Only the standard library and `packaging` (both in the auditor's own environment, requirements-audit.txt)."""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

COPY = Path(__file__).resolve().parent / "osv"
ECOSYSTEMS = ("PyPI", "npm")


def canonical_name(ecosystem: str, name: str) -> str:
    """PyPI names compare as PEP 503 says (Django, django and DJANGO are one package); npm names as they are."""
    return canonicalize_name(name) if ecosystem == "PyPI" else name


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _in_range(version: Version, events: list[dict[str, str]]) -> bool:
    """OSV's rule for an ECOSYSTEM or SEMVER range: walk the events in version order; an `introduced` at or below
    the version opens it, a `fixed` at or below closes it, a `last_affected` below closes it. An event whose version
    cannot be read is passed over (it would be for another numbering)."""
    keyed: list[tuple[Version, str]] = []
    for event in events:
        for kind in ("introduced", "fixed", "last_affected"):
            if kind in event:
                at = Version("0") if event[kind] == "0" else _version(event[kind])
                if at is not None:
                    keyed.append((at, kind))
    affected = False
    for at, kind in sorted(keyed, key=lambda pair: pair[0]):
        if kind == "introduced" and version >= at:
            affected = True
        elif (kind == "fixed" and version >= at) or (kind == "last_affected" and version > at):
            affected = False
    return affected


def affects(record: dict[str, Any], ecosystem: str, name: str, version: str) -> bool:
    """Whether an OSV record says this version of this package is affected."""
    wanted = canonical_name(ecosystem, name)
    parsed = _version(version)
    for affected in record.get("affected", []):
        package = affected.get("package", {})
        if package.get("ecosystem") != ecosystem or canonical_name(ecosystem, package.get("name", "")) != wanted:
            continue
        if version in affected.get("versions", []):
            return True
        if parsed is None:
            continue
        for range_ in affected.get("ranges", []):
            if range_.get("type") in ("ECOSYSTEM", "SEMVER") and _in_range(parsed, range_.get("events", [])):
                return True
    return False


@dataclass
class Copy:
    """The records of a copy, found by ecosystem and package."""

    root: Path
    records: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls, root: Path = COPY) -> Copy:
        copy = cls(root)
        for path in sorted(root.glob("*/*/*.json")):
            record = json.loads(path.read_text(encoding="utf-8"))
            for ecosystem, name in {
                (a["package"]["ecosystem"], canonical_name(a["package"]["ecosystem"], a["package"]["name"]))
                for a in record.get("affected", [])
            }:
                copy.records[(ecosystem, name)].append(record)
        return copy

    def __len__(self) -> int:
        return len({record["id"] for records in self.records.values() for record in records})

    def query(self, ecosystem: str, name: str, version: str) -> list[dict[str, Any]]:
        """What api.osv.dev's POST /v1/query answers for a package at a version: the records that affect it."""
        return [
            record
            for record in self.records.get((ecosystem, canonical_name(ecosystem, name)), [])
            if "withdrawn" not in record and affects(record, ecosystem, name, version)
        ]


class _QueryHandler(BaseHTTPRequestHandler):
    copy: Copy

    def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
        if self.path != "/v1/query":
            self._answer(404, {"code": 5, "message": "Not found: only /v1/query is answered here"})
            return
        try:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            package, version = body["package"], body["version"]
            ecosystem, name = package["ecosystem"], package["name"]
        except (ValueError, KeyError, TypeError):
            self._answer(400, {"code": 3, "message": "A query names a package (name, ecosystem) and a version"})
            return
        if ecosystem not in ECOSYSTEMS:
            self._answer(400, {"code": 3, "message": f"This copy holds {', '.join(ECOSYSTEMS)} records only"})
            return
        found = self.copy.query(ecosystem, name, str(version))
        self._answer(200, {"vulns": found} if found else {})

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's signature)
        """Quiet: the audit's own report is what the reader wants."""


class Server:
    """A local OSV query API over a copy, on 127.0.0.1 and a free port, in a thread; a context manager."""

    def __init__(self, copy: Copy) -> None:
        handler = type("Handler", (_QueryHandler,), {"copy": copy})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_port}/v1/query"

    def __enter__(self) -> Server:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def npm_packages(lock: dict[str, Any], *, omit_dev: bool = True) -> Iterator[tuple[str, str]]:
    """Every package a package-lock.json (lockfileVersion 2 or 3) installs, as (name, version); dev-only ones left
    out when `omit_dev` (as `npm audit --omit=dev`)."""
    for path, entry in lock.get("packages", {}).items():
        if not path or (omit_dev and entry.get("dev")) or "version" not in entry:
            continue
        yield entry.get("name") or path.rsplit("node_modules/", 1)[-1], entry["version"]


def describe(record: dict[str, Any], ecosystem: str, name: str) -> str:
    """One line for a report: the id and its aliases, the fixed versions, the summary."""
    fixed = sorted(
        {
            event["fixed"]
            for affected in record.get("affected", [])
            if canonical_name(ecosystem, affected["package"]["name"]) == canonical_name(ecosystem, name)
            for range_ in affected.get("ranges", [])
            for event in range_.get("events", [])
            if "fixed" in event
        }
    )
    ids = ", ".join([record["id"], *record.get("aliases", [])])
    summary = record.get("summary") or record.get("details", "").split("\n", 1)[0]
    return f"{ids}: {summary} (fixed in {', '.join(fixed) or 'no release yet'})"


def findings(copy: Copy, ecosystem: str, packages: Iterable[tuple[str, str]]) -> list[str]:
    return [
        f"{name} {version}: {describe(record, ecosystem, name)}"
        for name, version in packages
        for record in copy.query(ecosystem, name, version)
    ]
