from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ostsafe.accounts"
    label = "accounts"
    verbose_name = "People, organisations and teams"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import note_sign_in_time

        user_logged_in.connect(note_sign_in_time, dispatch_uid="ostsafe.accounts.note_sign_in_time")

        from ostsafe.core.marks import mark_changes

        from .models import User

        # The caseload keeps a family's lead practitioner by name (core.marks): renaming someone moves every family.
        mark_changes(User, household=None, fields=("full_name",))
