"""The daily jobs (core.schedule): each at its time, once a day however many schedulers run, failures kept."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from ostsafe.core import schedule
from ostsafe.core.models import JobRun

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _at(hour, minute, day=datetime.date(2026, 12, 2)):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def test_jobs_run_when_their_time_has_come_and_only_once_a_day(world):
    assert schedule.run_due(_at(6, 0)) == []
    early = schedule.run_due(_at(6, 20))
    assert [r.job for r in early] == ["warning signs"]
    later = schedule.run_due(_at(9, 0))  # a scheduler that was down at 06:30 catches up the same day
    assert [r.job for r in later] == [j.name for j in schedule.jobs()][1:]
    assert all(r.outcome == JobRun.Outcome.DONE for r in [*early, *later])
    assert schedule.run_due(_at(10, 0)) == []  # a second scheduler, or the same one again: nothing twice
    assert [r.job for r in schedule.run_due(_at(6, 20, datetime.date(2026, 12, 3)))] == ["warning signs"]


def test_a_failing_job_is_recorded_with_its_error_and_the_next_still_runs(world, monkeypatch):
    real = schedule.call_command

    def failing(command, *args, **kwargs):
        if command == "chase_notifications":
            raise RuntimeError("the mail server refused the connection")
        return real(command, *args, **kwargs)

    monkeypatch.setattr(schedule, "call_command", failing)
    runs = {r.job: r for r in schedule.run_due(_at(8, 0))}
    failed = runs["letters and referrals chased"]
    assert failed.outcome == JobRun.Outcome.FAILED and "the mail server refused" in failed.output
    assert runs["reminder digest"].outcome == JobRun.Outcome.DONE


def test_the_reminder_digest_links_to_the_services_address(world, settings):
    from ostsafe.tasks import services as task_services

    settings.OSTSAFE_SITE_URL = "https://ostsafe.example.org"
    task_services.create_task(
        title="Due", household=world.household, assignee=world.users["keyworker"], due_on=datetime.date(2026, 12, 2)
    )
    mail.outbox.clear()
    schedule.run_due(_at(7, 5))
    assert any("https://ostsafe.example.org/tasks/" in m.body for m in mail.outbox)


def test_administrators_see_the_runs_but_cannot_make_or_change_them(admin_client, world):
    schedule.run_due(_at(6, 20))
    page = admin_client.get("/admin/core/jobrun/")
    assert page.status_code == 200 and "warning signs" in page.content.decode()
    assert admin_client.get("/admin/core/jobrun/add/").status_code == 403


def test_the_scheduler_enqueues_the_due_jobs_as_one_task_for_the_worker(world, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert schedule.due_jobs(_at(6, 0)) == []
    assert [j.name for j in schedule.due_jobs(_at(6, 50))] == [j.name for j in schedule.jobs()][:4]
    schedule.run_due_jobs.enqueue()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "ostsafe.core.schedule.run_due_jobs" and queued.status == "READY"


def test_the_long_running_scheduler_logs_what_it_enqueued_as_a_json_line(world, settings, monkeypatch, caplog):
    import json

    from django.core.management import call_command

    from ostsafe.core.logs import JsonFormatter
    from ostsafe.core.management.commands import run_schedule

    class Stopped(Exception):
        pass

    def stop(seconds):
        raise Stopped

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    due_jobs = schedule.due_jobs
    monkeypatch.setattr(run_schedule.schedule, "due_jobs", lambda: due_jobs(_at(6, 50)))
    monkeypatch.setattr(run_schedule.time, "sleep", stop)
    # A machine booted a minute ago: the first look at the clock enqueues all the same (it once waited ten minutes).
    monkeypatch.setattr(run_schedule.time, "monotonic", lambda: 60.0)
    # The loop's housekeeping would close the test's own connection (it is inside the test's transaction).
    monkeypatch.setattr(run_schedule, "close_old_connections", lambda: None)
    with caplog.at_level("INFO", logger="ostsafe.schedule"), pytest.raises(Stopped):
        call_command("run_schedule")
    [record] = [r for r in caplog.records if r.name == "ostsafe.schedule"]
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "INFO" and line["message"].startswith("Enqueued the daily jobs due: warning signs")
