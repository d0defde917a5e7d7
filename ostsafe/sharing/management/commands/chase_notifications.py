from django.core.management.base import BaseCommand

from ostsafe.core.validators import today
from ostsafe.sharing.services import chase_unacknowledged


class Command(BaseCommand):
    help = (
        "Make a task for the keyworker for each letter to a partner not acknowledged within "
        "OSTSAFE_ACKNOWLEDGE_WORKING_DAYS working days. Run daily (cron or a systemd timer)."
    )

    def handle(self, *args, **options):
        made = chase_unacknowledged(as_of=today())
        self.stdout.write(f"{made} letter{'s' if made != 1 else ''} not acknowledged: a task made for each.")
