"""The container image and compose file name what exists. bin/check-container builds and starts them where a Docker
engine runs (CI starts one); these checks run everywhere, in a second."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]


def test_compose_runs_web_worker_scheduler_and_postgresql_from_one_image():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "web", "worker", "schedule"}
    assert [services[name]["command"] for name in ("web", "worker", "schedule")] == [["web"], ["worker"], ["schedule"]]
    for name in ("worker", "schedule"):
        assert services[name]["environment"] == services["web"]["environment"]  # the same settings everywhere
    assert services["web"]["environment"]["DATABASE_URL"].endswith("@db:5432/ostsafe")
    assert "healthcheck" in services["db"]


def test_the_entry_point_knows_every_command_the_compose_file_gives():
    entrypoint = (ROOT / "bin" / "docker-entrypoint").read_text()
    for command in ("web)", "worker)", "schedule)"):
        assert command in entrypoint
    assert "manage.py db_worker" in entrypoint and "manage.py run_schedule" in entrypoint


def test_the_dockerfile_copies_only_files_that_exist_and_checks_health():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["bin/docker-entrypoint"]' in dockerfile and "/health/" in dockerfile
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile, flags=re.MULTILINE):
        for name in source.split():
            assert name == "." or (ROOT / name).exists(), name


def _pinned(name: str) -> set[str]:
    lines = (ROOT / name).read_text().splitlines()
    return {_canonical(line.split("==")[0]) for line in lines if line and not line.startswith(("#", "-"))}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_package_the_service_imports_is_in_the_image_and_the_tests_tools_are_not():
    """The image installs requirements.txt only: a module of the service (tests and the browser tests' helper
    aside) that imports a package pinned only in requirements-dev.txt would fail in production, on its path only."""
    import ast
    import sys
    from importlib.metadata import packages_distributions

    distributions = packages_distributions()
    runtime, dev = _pinned("requirements.txt"), _pinned("requirements-dev.txt")
    assert not runtime & dev
    support = {"conftest.py", "browser.py"}
    needed: dict[str, set[str]] = {}
    for path in (ROOT / "ostsafe").rglob("*.py"):
        if "tests" in path.parts or path.name in support:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top == "ostsafe" or top in sys.stdlib_module_names:
                    continue
                for distribution in distributions[top]:
                    needed.setdefault(_canonical(distribution), set()).add(str(path.relative_to(ROOT)))
    assert "django" in needed and "weasyprint" in needed  # the walk found the service's imports
    missing = {name: sorted(paths)[:3] for name, paths in needed.items() if name not in runtime}
    assert not missing, f"imported by the service but not in requirements.txt: {missing}"
    assert not {"pytest", "playwright", "mypy", "ruff", "hypothesis", "schemathesis"} & runtime
