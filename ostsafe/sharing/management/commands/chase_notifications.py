from django.core.management.base import BaseCommand

from ostsafe.core.validators import today
from ostsafe.sharing.services import chase_referrals, chase_unacknowledged


class Command(BaseCommand):
    help = (
        "Make a task for each letter to a partner not acknowledged within OSTSAFE_ACKNOWLEDGE_WORKING_DAYS working "
        "days, and for each child protection referral without an acknowledgement and decision after one working day. "
        "Run daily (cron or a systemd timer)."
    )

    def handle(self, *args, **options):
        letters = chase_unacknowledged(as_of=today())
        referrals = chase_referrals(as_of=today())
        self.stdout.write(
            f"{letters} letter{'s' if letters != 1 else ''} not acknowledged and {referrals} "
            f"referral{'s' if referrals != 1 else ''} without a decision: a task made for each."
        )
