"""Demo warning signs: the records behind the signs the rest of the demo does not already hold, planted through the
services in families of the demo keyworker's caseload where it can, so that every one of the guide's nine signs shows
on the demo with its evidence. The nightly sweep (run by the builder afterwards) raises them."""

import random
from datetime import date, timedelta

from ostsafe.accounts.models import User
from ostsafe.core.roles import Role
from ostsafe.curiosity import services as curiosity_services
from ostsafe.families.models import Household
from ostsafe.families.selectors import children_living_here
from ostsafe.monitoring import services as monitoring_services
from ostsafe.monitoring.models import Appointment, AppointmentOutcome
from ostsafe.sharing import services as sharing_services
from ostsafe.sharing.models import Consent, Decision


class WarningSignsDemo:
    def __init__(self, rng: random.Random, today: date, progress):
        self.rng = rng
        self.today = today
        self.progress = progress

    def build(self, keyworker: User):
        caseload = list(
            Household.objects.filter(service_users__keyworker=keyworker, service_users__discharged_on__isnull=True)
            .distinct()
            .order_by("pk")
        )
        with_children = [h for h in caseload if children_living_here(h, self.today)]
        shared = set(
            Consent.objects.filter(
                decision=Decision.GIVEN,
                withdrawn_at__isnull=True,
                recipient__professional__role=Role.HEALTH_VISITOR,
                household__in=with_children,
            ).values_list("household_id", flat=True)
        )
        seen_by_health_visitor = [h for h in with_children if h.pk in shared]
        others = [h for h in with_children if h.pk not in shared] or caseload
        if len(seen_by_health_visitor) >= 2:
            self._child_health(seen_by_health_visitor[0], seen_by_health_visitor[1])
            self._contact_not_borne_out(seen_by_health_visitor[0], keyworker)
        if len(others) >= 3:
            self._concern(others[0], keyworker)
            self._attendance_fell(others[1], keyworker)
            self._sudden_compliance(others[2], keyworker)
        self.progress("Warning signs: records planted for every sign in the demo keyworker's caseload")

    def _health_visitor(self, household) -> User:
        consent = Consent.objects.filter(
            household=household, decision=Decision.GIVEN, recipient__professional__role=Role.HEALTH_VISITOR
        ).select_related("recipient__professional")
        return consent.first().recipient.professional

    def _child_health(self, missed_immunisation, routine):
        """Signs 7 and 8, as the health visitor reports them."""
        for household, kind, details in (
            (missed_immunisation, "missed_immunisation", "One-year immunisations missed twice; no reply to letters."),
            (routine, "routine_not_age_appropriate", "Toddler still in a cot all day; no set mealtimes or bedtime."),
        ):
            sharing_services.record_partner_report(
                household=household,
                reported_by=self._health_visitor(household),
                kind=kind,
                child=children_living_here(household, self.today)[0],
                happened_on=self.today - timedelta(days=self.rng.randint(5, 20)),
                details=details,
            )

    def _contact_not_borne_out(self, household, keyworker):
        """Sign 9: the service user says they saw the health visitor; the health visitor reported a missed contact."""
        service_user = household.service_users.filter(discharged_on__isnull=True).order_by("pk").first()
        said_on = self.today - timedelta(days=12)
        curiosity_services.record_observation(
            household=household,
            service_user=service_user,
            kind="reported_contact",
            noticed_on=self.today - timedelta(days=8),
            note="Said at keywork that the health visitor had been round last week and all was fine.",
            professional=Role.HEALTH_VISITOR,
            contact_on=said_on,
            professional_says="not_checked",
            recorded_by=keyworker,
        )
        sharing_services.record_partner_report(
            household=household,
            reported_by=self._health_visitor(household),
            kind="missed_health_contact",
            child=children_living_here(household, self.today)[0],
            happened_on=said_on,
            details="No one answered the door for the planned review.",
        )

    def _concern(self, household, keyworker):
        """Sign 4: a concern from the school."""
        monitoring_services.record_concern(
            household=household,
            recorded_by=keyworker,
            source="school",
            category="child_welfare",
            description="Eldest arriving late and hungry most days this month; uniform unwashed.",
            received_on=self.today - timedelta(days=self.rng.randint(3, 20)),
        )

    def _attendance_fell(self, household, keyworker):
        """Sign 1: a service user who attended every keywork session for months, then missed most lately."""
        service_user = household.service_users.filter(discharged_on__isnull=True).order_by("pk").first()
        past = Appointment.objects.filter(service_user=service_user, on__lt=self.today).exclude(outcome="")
        past.update(outcome=AppointmentOutcome.ATTENDED)
        for days_ago in (5, 19, 33):
            on = self.today - timedelta(days=days_ago)
            if not Appointment.objects.filter(service_user=service_user, kind="prescriber_review", on=on).exists():
                monitoring_services.record_appointment(
                    service_user=service_user,
                    kind="prescriber_review",
                    on=on,
                    outcome=AppointmentOutcome.DID_NOT_ATTEND,
                    recorded_by=keyworker,
                )

    def _sudden_compliance(self, household, keyworker):
        """Sign 9: noticed by the keyworker."""
        curiosity_services.record_observation(
            household=household,
            service_user=household.service_users.filter(discharged_on__isnull=True).order_by("pk").first(),
            kind="agreement_with_sanctions",
            noticed_on=self.today - timedelta(days=6),
            note="Agreed at once to return to daily supervised consumption, which they had fought for months.",
            recorded_by=keyworker,
        )
