"""python -m dependency_audit <command>

offline         audit the pins against the copy: pip-audit (requirements files, through --osv-url to a local
                server over the copy), then package-lock.json; fails on any finding or on a copy too old to trust
django-notes    add the records of a Django series from its release notes (a Django source tree's docs/releases)
refresh         replace the copy with OSV's own exports (all.zip for PyPI and npm), kept to the pinned packages:
                run where osv-vulnerabilities.storage.googleapis.com can be reached, then commit the copy
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import subprocess  # nosec B404
import sys
import tempfile
import urllib.request
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import django_notes
from .osv import COPY, ECOSYSTEMS, Copy, Server, canonical_name, findings, npm_packages

ROOT = Path(__file__).resolve().parent.parent
EXPORT = "https://osv-vulnerabilities.storage.googleapis.com/{ecosystem}/all.zip"
MAX_AGE_DAYS = int(os.environ.get("OSTSAFE_AUDIT_COPY_MAX_AGE_DAYS", "60"))


def pinned_python(requirements: list[Path]) -> set[str]:
    names = set()
    for path in requirements:
        for line in path.read_text(encoding="utf-8").splitlines():
            if match := re.match(r"^([A-Za-z0-9][A-Za-z0-9._\-]*)(\[[^\]]*\])?==", line.strip()):
                names.add(canonical_name("PyPI", match.group(1)))
    return names


def write_record(copy: Path, record: dict[str, Any], ecosystem: str, name: str) -> Path:
    folder = copy / ecosystem / canonical_name(ecosystem, name).replace("/", "__")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record['id']}.json"
    path.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def copy_age_days(sources: dict[str, Any], today: datetime) -> int:
    as_of = datetime.strptime(sources["as_of"], "%Y-%m-%d").replace(tzinfo=UTC)
    return (today - as_of).days


def too_old(sources: dict[str, Any], today: datetime) -> bool:
    """A copy past MAX_AGE_DAYS no longer says what is known today: the audit fails rather than pass on old news."""
    return copy_age_days(sources, today) > MAX_AGE_DAYS


# A pin the copy knows to be vulnerable: the audit must flag it before its silence about our pins means anything.
CANARY = "Django==5.2.19"


def pip_audit(server: Server, requirements: list[Path]) -> int:
    """pip-audit over requirements files, asking the local server; its exit status (1: something found)."""
    executable = Path(sys.executable).parent / "pip-audit"
    files = [arg for path in requirements for arg in ("-r", str(path))]
    # --strict: a package that cannot be asked about is a failure, not a skip. Our own pip-audit, no shell (B603).
    return subprocess.run(  # nosec B603
        [
            str(executable),
            "--strict",
            "--no-deps",
            "--disable-pip",
            "--vulnerability-service",
            "osv",
            "--osv-url",
            server.url,
            "--progress-spinner",
            "off",
            "--desc",
            "on",
            *files,
        ],
        check=False,
    ).returncode


def offline(args: argparse.Namespace) -> int:
    sources = json.loads((args.copy / "SOURCES.json").read_text(encoding="utf-8"))
    copy = Copy.load(args.copy)
    age = copy_age_days(sources, datetime.now(UTC))
    print(f"The pinned copy ({args.copy}): {len(copy)} OSV records as of {sources['as_of']} ({age} days old). From:")
    for source in sources["sources"]:
        print(f"  - {source}")
    print("What it does not cover:" if sources.get("gaps") else "It names nothing it leaves out.")
    for gap in sources.get("gaps", []):
        print(f"  - {gap}")
    failed = False
    if too_old(sources, datetime.now(UTC)):
        print(f"FAILED: the copy is older than {MAX_AGE_DAYS} days; refresh it (docs/operations.md)")
        failed = True
    with Server(copy) as server, tempfile.TemporaryDirectory() as scratch:
        print(f"== first, a pin the copy knows to be vulnerable ({CANARY}): pip-audit must flag it")
        canary = Path(scratch) / "requirements-canary.txt"
        canary.write_text(CANARY + "\n", encoding="utf-8")
        if pip_audit(server, [canary]) == 0:
            print(f"FAILED: pip-audit did not flag {CANARY}; the audit cannot see, so its silence means nothing")
            failed = True
        else:
            print("  flagged, as it should be: the audit sees through the copy")
        print(
            f"== Python packages ({', '.join(path.name for path in args.requirements)}) against the copy, by pip-audit"
        )
        failed |= pip_audit(server, args.requirements) != 0
    lock = json.loads(args.lock.read_text(encoding="utf-8"))
    packages = list(npm_packages(lock))
    print(f"== front-end packages ({args.lock.name}: {len(packages)} installed, dev-only left out) against the copy")
    found = findings(copy, "npm", packages)
    for line in found:
        print(f"  {line}")
    print(f"  {len(found)} known vulnerabilities" if found else "  No known vulnerabilities found")
    failed |= bool(found)
    print("== dependency audit (offline copy): " + ("FAILED" if failed else "passed"))
    return 1 if failed else 0


def add_django_notes(args: argparse.Namespace) -> int:
    records = django_notes.records_from_releases(args.releases, args.series)
    for record in records:
        write_record(args.copy, record, "PyPI", "django")
    print(f"{len(records)} records for Django {args.series} from {args.releases}")
    return 0


def refresh(args: argparse.Namespace) -> int:
    wanted = {
        "PyPI": pinned_python(args.requirements),
        "npm": {name for name, _ in npm_packages(json.loads(args.lock.read_text(encoding="utf-8")), omit_dev=False)},
    }
    kept: dict[str, list[tuple[dict[str, Any], str]]] = {}
    for ecosystem in ECOSYSTEMS:
        url = args.export.format(ecosystem=ecosystem)
        # OSV's https export, or a test's local file (B310).
        with urllib.request.urlopen(url, timeout=300) as answer:  # nosec B310
            archive = zipfile.ZipFile(io.BytesIO(answer.read()))
        kept[ecosystem] = []
        for member in archive.namelist():
            record = json.loads(archive.read(member))
            names = {
                canonical_name(ecosystem, a["package"]["name"])
                for a in record.get("affected", [])
                if a.get("package", {}).get("ecosystem") == ecosystem
            }
            if names & wanted[ecosystem]:
                kept[ecosystem].append((record, sorted(names & wanted[ecosystem])[0]))
    for ecosystem in ECOSYSTEMS:
        shutil.rmtree(args.copy / ecosystem, ignore_errors=True)
        for record, name in kept[ecosystem]:
            write_record(args.copy, record, ecosystem, name)
    (args.copy / "SOURCES.json").write_text(
        json.dumps(
            {
                "as_of": datetime.now(UTC).strftime("%Y-%m-%d"),
                "sources": [
                    f"OSV's exports, {args.export.format(ecosystem='<PyPI|npm>')}, kept to the pinned packages"
                ],
                "gaps": [],
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(", ".join(f"{len(kept[e])} {e} records" for e in ECOSYSTEMS) + f" kept in {args.copy}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dependency_audit", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    files = argparse.ArgumentParser(add_help=False)
    files.add_argument("--copy", type=Path, default=COPY, help="the copy's folder (default: the one committed)")
    files.add_argument(
        "--requirements", type=Path, nargs="+", default=[ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]
    )
    files.add_argument("--lock", type=Path, default=ROOT / "package-lock.json")
    commands.add_parser("offline", parents=[files]).set_defaults(run=offline)
    notes = commands.add_parser("django-notes")
    notes.add_argument("--copy", type=Path, default=COPY)
    notes.add_argument("releases", type=Path, help="docs/releases of a Django source tree")
    notes.add_argument("--series", required=True, help="e.g. 5.2")
    notes.set_defaults(run=add_django_notes)
    fresh = commands.add_parser("refresh", parents=[files])
    fresh.add_argument("--export", default=EXPORT, help="where each ecosystem's all.zip is ({ecosystem} in it)")
    fresh.set_defaults(run=refresh)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
