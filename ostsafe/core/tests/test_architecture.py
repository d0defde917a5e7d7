"""Structural tests: the access gate cannot be bypassed by a role check written somewhere else."""

import re
from pathlib import Path

from django.conf import settings

SOURCE = Path(settings.BASE_DIR) / "ostsafe"
# Only the gate and the role table may name roles and scopes. Tests, migrations, the demo builder and the test
# harness describe roles as data.
GATE = {"core/access.py", "core/roles.py"}
NOT_CODE = ("/tests/", "/migrations/", "demo/", "core/testing.py")
ROLE_CHECKS = [
    (re.compile(r"\bROLES\b"), "reads the role table"),
    (re.compile(r"\brole_spec\b"), "reads a role's specification"),
    (re.compile(r"\bhousehold_scope\b|\bScope\."), "compares scopes"),
    (re.compile(r"(?<![A-Za-z_])Role\.(?!choices\b)"), "names a role"),
    (re.compile(r"\buser\.role\b"), "compares a user's role"),
    (re.compile(r"\brole__in\s*="), "filters people by role"),
]


def _source_files(suffixes=(".py", ".html")):
    for path in sorted(SOURCE.rglob("*")):
        relative = path.relative_to(SOURCE).as_posix()
        if path.suffix in suffixes and relative not in GATE and not any(part in f"/{relative}" for part in NOT_CODE):
            yield relative, path


def test_no_role_or_scope_is_compared_outside_the_access_gate():
    found = []
    for relative, path in _source_files():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if line.lstrip().startswith(("from ", "import ", "#")):
                continue
            for pattern, what in ROLE_CHECKS:
                if pattern.search(line):
                    found.append(f"{relative}:{number} {what}: {line.strip()}")
    assert found == [], "Ask core.access instead:\n" + "\n".join(found)


LOOSE_AUDIT_ACTION = re.compile(r"""(\b(action|audit_as)\s*=|\baudit_action\s*=)\s*f?["']""")


def test_audit_actions_are_named_constants_not_loose_strings():
    """Every event written to the access log is named in ostsafe.audit.actions (or is a role-table action, or one of
    core.auditing's), so the access log page can say it in words and a typo cannot hide an event."""
    found = [
        f"{relative}:{number}: {line.strip()}"
        for relative, path in _source_files(suffixes=(".py",))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if LOOSE_AUDIT_ACTION.search(line) and "add_argument" not in line
    ]
    assert found == [], "Name the event in ostsafe/audit/actions.py:\n" + "\n".join(found)


def test_every_audit_action_in_use_has_words_for_the_access_log():
    from ostsafe.audit.actions import AuditAction, describe

    assert all(describe(action) != action for action in AuditAction.values)


def test_no_app_imports_another_apps_views():
    """Pages are extended by registering (tabs, panels, caseload columns), never by importing another app's views;
    the layer contract itself is checked by import-linter in `make lint` (pyproject.toml)."""
    import ast

    found = []
    for relative, path in _source_files(suffixes=(".py",)):
        app = relative.split("/")[0]
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                parts = name.split(".")
                if len(parts) >= 3 and parts[0] == "ostsafe" and parts[2] == "views" and parts[1] not in {app, "core"}:
                    found.append(f"{relative}: imports {name}")
    assert found == []
