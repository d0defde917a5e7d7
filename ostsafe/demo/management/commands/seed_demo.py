from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ostsafe.demo.builder import DEMO_PASSWORD, DemoBuilder, demo_exists


class Command(BaseCommand):
    help = "Load the synthetic demonstration service (Faker en_GB). Safe to run again: it loads only once."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Say nothing if the demo is already loaded")
        parser.add_argument("--seed", type=int, default=2018)

    def handle(self, *args, if_empty=False, seed=2018, **options):
        if not settings.OSTSAFE_ALLOW_DEMO:
            # The demo's users, administrator included, share the password printed in the README.
            raise CommandError(
                "The demo service is not loaded here: these settings do not allow demo data (its users share a "
                "published password). Set OSTSAFE_ALLOW_DEMO=1 only on a demonstration server with no real data."
            )
        if demo_exists():
            if not if_empty:
                self.stdout.write("The demo service is already loaded; nothing to do.")
            return
        demo = DemoBuilder(seed=seed, progress=lambda line: self.stdout.write(f"  {line}")).build()
        self.stdout.write(self.style.SUCCESS(f"Demo service loaded: {demo.service_users} service users."))
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
