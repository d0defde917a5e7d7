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

        from .models import Organisation, Team, User

        # The caseload and the family pages keep what they show of people, teams and organisations by name (core.marks):
        # renaming one, or a professional moving organisation, moves every family; a sign-in moves none.
        mark_changes(User, household=None, fields=("full_name", "email", "organisation"))
        mark_changes(Organisation, household=None, fields=("name",))
        mark_changes(Team, household=None, fields=("name", "organisation"))
