"""An import killed midway (SIGKILL, in its own process) leaves only whole batches, and a re-run completes it."""

import os
import re
import signal
import subprocess
import sys

import pytest
from django.conf import settings

from ostsafe.core.browser import fresh_database_url

pytestmark = pytest.mark.slow


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        **kwargs,
    )


def count_records(env) -> int:
    out = manage(
        env,
        "shell",
        "-c",
        "from ostsafe.pharmacy.models import DispensingRecord; print(DispensingRecord.objects.count())",
    )
    return int(out.stdout.strip().splitlines()[-1])


def test_killed_import_leaves_whole_batches_and_the_rerun_completes(tmp_path):
    env = os.environ | {"DATABASE_URL": fresh_database_url(tmp_path, "import_kill"), "PYTHONUNBUFFERED": "1"}
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")
    # The demo has six months of dispensing already: start this import from an empty table.
    manage(env, "shell", "-c", "from ostsafe.pharmacy.models import DispensingRecord as R; R.objects.all().delete()")
    csv_path = tmp_path / "dispensing.csv"
    manage(env, "make_dispensing_csv", str(csv_path), "--days", "45")

    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_dispensing", str(csv_path), "--batch-size", "200"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    for line in process.stdout:
        if line.startswith("committed batch 3:"):
            break
    process.send_signal(signal.SIGKILL)
    rest = process.stdout.read()
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    committed = re.findall(r"committed batch \d+: \d+ rows, (\d+) created", line + rest)
    stored = count_records(env)
    # Every committed batch is there, whole; nothing of the batch that was running when it died.
    assert stored == int(committed[-1])

    rerun = manage(env, "import_dispensing", str(csv_path), "--batch-size", "200").stdout
    created, unchanged = map(int, re.search(r"Created (\d+), unchanged (\d+)", rerun).groups())
    assert unchanged == stored
    assert count_records(env) == stored + created
    assert "rejected 0" in rerun
