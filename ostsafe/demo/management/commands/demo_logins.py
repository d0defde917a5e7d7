from django.core.management.base import BaseCommand

from ostsafe.demo.builder import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "Print one demo login per role."

    def handle(self, *args, **options):
        logins = demo_logins()
        if not logins:
            self.stdout.write("No demo users. Run: manage.py seed_demo")
            return
        self.stdout.write("")
        self.stdout.write("Demo logins (synthetic data only). Password for all: " + DEMO_PASSWORD)
        width = max(len(login.role) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.role:<{width}}  {login.email:<34} {login.name}, {login.organisation}")
        self.stdout.write("")
        self.stdout.write("Open http://127.0.0.1:8000 and sign in.")
