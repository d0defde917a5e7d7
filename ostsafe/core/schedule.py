"""The daily jobs, in order, with the time each runs (the service's local time). `manage.py run_schedule` watches
the clock and, when a job is due, enqueues one task (`run_due_jobs`, through Django's Tasks API) that runs every due
job in order in the worker; cron or a Kubernetes CronJob can run `manage.py run_schedule --once` instead (README,
docs/operations.md). Each job runs once a day however many schedulers and workers there are (core.models.JobRun)."""

import io
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from .models import JobRun


@dataclass(frozen=True)
class Job:
    name: str
    at: time
    command: str
    arguments: tuple[str, ...] = ()


def jobs() -> list[Job]:
    return [
        Job("warning signs", time(6, 15), "evaluate_warning_signs"),
        Job("records delayed ended", time(6, 30), "close_ended_delays"),
        Job("letters and referrals chased", time(6, 45), "chase_notifications"),
        Job("families to assess", time(6, 50), "require_assessments"),
        Job("practice figures", time(6, 55), "record_practice_figures"),
        Job("dashboard figures", time(6, 57), "keep_family_figures"),
        Job("reminder digest", time(7, 0), "send_reminders", ("--site-url", settings.OSTSAFE_SITE_URL)),
    ]


def _claim(job: Job, day: date) -> JobRun | None:
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job.name, day=day)
    except IntegrityError:
        return None  # already run today, or running elsewhere


def due_jobs(now: datetime | None = None) -> list[Job]:
    """The jobs whose time today has come and that have not been started today."""
    now = timezone.localtime(now or timezone.now())
    started = set(JobRun.objects.filter(day=now.date()).values_list("job", flat=True))
    return [job for job in jobs() if now.time() >= job.at and job.name not in started]


@task()
def run_due_jobs() -> list[str]:
    """The worker's side: every job due now, in order (`run_due`)."""
    return [f"{run.job}: {run.outcome}" for run in run_due()]


def run_due(now: datetime | None = None) -> list[JobRun]:
    """Run every job whose time today has come and that has not run today, in order. A job that fails is recorded
    with its error and the next still runs."""
    now = timezone.localtime(now or timezone.now())
    ran = []
    for job in jobs():
        if now.time() < job.at:
            continue
        run = _claim(job, now.date())
        if run is None:
            continue
        out = io.StringIO()
        try:
            call_command(job.command, *job.arguments, stdout=out, stderr=out)
            run.outcome = JobRun.Outcome.DONE
        except Exception as error:  # noqa: BLE001 - any failure is recorded and shown; the next job still runs
            run.outcome = JobRun.Outcome.FAILED
            out.write(f"\n{type(error).__name__}: {error}")
        run.finished_at = timezone.now()
        run.output = out.getvalue()[-5000:]
        run.save(update_fields=["outcome", "finished_at", "output"])
        ran.append(run)
    return ran
