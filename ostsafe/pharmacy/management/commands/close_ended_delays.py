from django.core.management.base import BaseCommand

from ostsafe.core.validators import today
from ostsafe.pharmacy.services import close_ended_delays


class Command(BaseCommand):
    help = (
        "Close the 'records delayed' periods that have ended, and run the missed-dose rule again for their doses "
        "(run daily, like send_reminders)."
    )

    def handle(self, *args, **options):
        closed = close_ended_delays(today())
        self.stdout.write(f"Closed {closed} ended delayed period{'s' if closed != 1 else ''}.")
