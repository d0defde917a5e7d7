from django.core.management.base import BaseCommand

from ostsafe.core.validators import today
from ostsafe.curiosity.services import escalate_unacknowledged, evaluate_all


class Command(BaseCommand):
    help = (
        "The nightly sweep: evaluate every family's warning signs (raising and clearing flags), and send flags not "
        "acknowledged in time to the team manager. Run daily (cron or a systemd timer)."
    )

    def handle(self, *args, **options):
        totals = evaluate_all(as_of=today())
        escalated = escalate_unacknowledged(as_of=today())
        self.stdout.write(
            f"{totals['households']} families evaluated: {totals['raised']} signs raised, {totals['cleared']} cleared; "
            f"{escalated} sent to a manager."
        )
