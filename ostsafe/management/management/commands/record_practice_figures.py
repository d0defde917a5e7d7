from django.core.management.base import BaseCommand

from ostsafe.core.validators import today
from ostsafe.management.services import backfill_practice_figures, record_practice_figures


class Command(BaseCommand):
    help = (
        "Keep this month's practice figures (the managers' dashboard, by team and by keyworker) as they stand today. "
        "Run daily, after the warning-sign sweep: a month's figures are those of its last day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--backfill",
            type=int,
            default=0,
            metavar="MONTHS",
            help="also count the figures of this many months before this one that were never kept, as of each "
            "month's last day from the records as they are now (once, when a service starts keeping them)",
        )

    def handle(self, *args, backfill, **options):
        day = today()
        past = backfill_practice_figures(months=backfill, as_of=day) if backfill else 0
        kept = record_practice_figures(as_of=day)
        self.stdout.write(
            f"Practice figures kept for {day:%B %Y}: {kept} rows" + (f"; {past} for past months" if past else "")
        )
