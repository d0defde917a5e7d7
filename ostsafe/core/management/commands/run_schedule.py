import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from ostsafe.core import schedule


class Command(BaseCommand):
    help = (
        "Run the daily jobs at their times (core.schedule), each once a day however many of these run; "
        "--once runs what is due now and stops."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--every", type=int, default=30, help="Seconds between looks at the clock")

    def handle(self, *args, once=False, every=30, **options):
        while True:
            close_old_connections()  # a long-running process: a connection past its age is replaced
            for run in schedule.run_due():
                self.stdout.write(f"{run.job}: {run.outcome}")
            if once:
                return
            time.sleep(every)
