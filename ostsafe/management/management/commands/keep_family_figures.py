from django.core.management.base import BaseCommand

from ostsafe.core.validators import today
from ostsafe.management.services import keep_family_figures


class Command(BaseCommand):
    help = (
        "Work out today's dashboard figures for every family with children whose kept figures are not today's, so "
        "that the first dashboard of the day sums kept figures. Run daily, after the warning-sign sweep."
    )

    def handle(self, *args, **options):
        day = today()
        worked_out = keep_family_figures(as_of=day)
        self.stdout.write(f"Dashboard figures for {day:%d %B %Y}: {worked_out} families worked out")
