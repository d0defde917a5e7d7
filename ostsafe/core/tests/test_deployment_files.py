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
