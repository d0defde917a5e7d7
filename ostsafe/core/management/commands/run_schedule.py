import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from ostsafe.core import schedule

# The long-running scheduler writes through logging, so a container's log is JSON lines like the other processes'
# (DJANGO_LOG_FORMAT=json); `--once` (cron) prints what each job did.
logger = logging.getLogger("ostsafe.schedule")

# After enqueueing, wait this long before enqueueing again for jobs still not started (the worker may be busy).
REQUEUE_SECONDS = 600


class Command(BaseCommand):
    help = (
        "Watch the clock and enqueue the daily jobs (core.schedule) for the worker when they are due; each runs once "
        "a day however many schedulers run. --once runs what is due now in this process and stops (for cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--every", type=int, default=30, help="Seconds between looks at the clock")

    def handle(self, *args, once=False, every=30, **options):
        if once:
            for run in schedule.run_due():
                self.stdout.write(f"{run.job}: {run.outcome}")
            return
        enqueued_at = -float("inf")  # never: the monotonic clock starts at boot, and a machine may have just booted
        while True:
            close_old_connections()  # a long-running process: a connection past its age is replaced
            due = schedule.due_jobs()
            if due and time.monotonic() - enqueued_at > REQUEUE_SECONDS:
                schedule.run_due_jobs.enqueue()
                enqueued_at = time.monotonic()
                logger.info("Enqueued the daily jobs due: %s", ", ".join(job.name for job in due))
            time.sleep(every)
