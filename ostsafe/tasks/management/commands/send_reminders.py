from django.core.management.base import BaseCommand

from ostsafe.core.validators import today
from ostsafe.tasks.services import send_reminders


class Command(BaseCommand):
    help = "Email each person one digest of their overdue and soon-due tasks. Run daily (cron or a systemd timer)."

    def add_arguments(self, parser):
        parser.add_argument("--site-url", default="", help="Base address for links, e.g. https://ostsafe.example.org")

    def handle(self, *args, site_url="", **options):
        sent = send_reminders(as_of=today(), site_url=site_url.rstrip("/"))
        self.stdout.write(f"Sent {sent} reminder email{'s' if sent != 1 else ''}.")
