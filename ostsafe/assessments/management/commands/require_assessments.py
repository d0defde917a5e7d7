from django.core.management.base import BaseCommand

from ostsafe.assessments.services import require_all_assessments
from ostsafe.core.validators import today


class Command(BaseCommand):
    help = (
        'Give every family with children (living there or in contact) and no completed assessment an "Assess this '
        'family" task (run daily; after each change to a family the same rule runs for that family).'
    )

    def handle(self, *args, **options):
        made = require_all_assessments(as_of=today())
        self.stdout.write(f"Families needing an assessment: {made} with an open task")
