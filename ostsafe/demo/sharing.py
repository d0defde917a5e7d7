"""Demo consent to share: routine notification to the health visitor or school nurse in most families' networks,
with some refusals (a team discussion held, or still needed) and a withdrawal. The first family with both a health
visitor and a school nurse shows every state at once."""

import random
from datetime import date, timedelta

from ostsafe.core.roles import Role
from ostsafe.families.models import Household, Involvement
from ostsafe.sharing import services as sharing_services
from ostsafe.sharing.models import Decision, DiscussionOutcome, Purpose

EXPLAINED = (
    "Explained that routine notification is not a referral: the health visitor or school nurse is told that the "
    "family is supported by the service, so that everyone can help earlier. Reassured that only what is agreed is "
    "shared, and that consent can be withdrawn at any time."
)
PARTNER_ROLES = (Role.HEALTH_VISITOR, Role.SCHOOL_NURSE)


class SharingDemo:
    def __init__(self, rng: random.Random, today: date, progress):
        self.rng = rng
        self.today = today
        self.progress = progress

    def build(self):
        households = list(
            Household.objects.filter(network__professional__role__in=PARTNER_ROLES)
            .distinct()
            .prefetch_related("service_users__keyworker", "network__professional")
            .order_by("pk")
        )
        showcase = next((h for h in households if len(self._partners(h)) == 2), None)
        for household in households:
            if household == showcase:
                self._every_state(household)
            else:
                self._family(household)
        self.progress(f"Consent to share: {len(households)} families with a health visitor or school nurse")

    def _partners(self, household) -> list[Involvement]:
        return [
            entry
            for entry in household.network.all()
            if entry.professional_id and entry.professional.role in PARTNER_ROLES and entry.end_date is None
        ]

    def _record(self, household, entry, decision, on, purpose=Purpose.ROUTINE_NOTIFICATION):
        service_user = household.service_users.all()[0]
        return sharing_services.record_consent(
            household=household,
            service_user=service_user,
            recipient=entry,
            purpose=purpose,
            decision=decision,
            decided_on=on,
            valid_until=self.today + timedelta(days=self.rng.randint(90, 365)) if decision == Decision.GIVEN else None,
            explained_how=EXPLAINED,
            recorded_by=service_user.keyworker,
        )

    def _discuss(self, household, consent, on, outcome=DiscussionOutcome.OTHER_INTERVENTION):
        manager = household.tasks.get(dedupe_key=sharing_services.team_discussion_key(consent)).assignee
        sharing_services.record_team_discussion(
            consent=consent,
            held_on=on,
            participants="Team manager, keyworker, prescriber",
            other_risks="Take-home doses with young children at home; storage seen and satisfactory at the last visit.",
            outcome=outcome,
            rationale="The refusal alone does not meet the threshold for significant harm; early help offered and "
            "consent to be revisited at the next review.",
            recorded_by=manager,
        )

    def _family(self, household):
        for entry in self._partners(household):
            on = self.today - timedelta(days=self.rng.randint(3, 120))
            roll = self.rng.random()
            if roll < 0.8:
                consent = self._record(household, entry, Decision.GIVEN, on)
                if self.rng.random() < 0.7:
                    self._record(household, entry, Decision.GIVEN, on, purpose=Purpose.UPDATES)
                if roll > 0.76:
                    sharing_services.withdraw_consent(
                        consent=consent,
                        withdrawn_on=min(self.today, on + timedelta(days=20)),
                        withdrawn_by=consent.recorded_by,
                        note="Worried the school will treat the children differently.",
                    )
            else:
                refused = self._record(household, entry, Decision.REFUSED, on)
                if self.rng.random() < 0.5:
                    self._discuss(household, refused, min(self.today, on + timedelta(days=3)))

    def _every_state(self, household):
        """Given (routine notification and updates) to the health visitor; refused to the school nurse, with the team
        discussion held; and an earlier consent that was withdrawn."""
        health_visitor, school_nurse = sorted(
            self._partners(household), key=lambda e: e.professional.role != Role.HEALTH_VISITOR
        )
        on = self.today - timedelta(days=40)
        self._record(household, health_visitor, Decision.GIVEN, on)
        self._record(household, health_visitor, Decision.GIVEN, on, purpose=Purpose.UPDATES)
        refused = self._record(household, school_nurse, Decision.REFUSED, on)
        self._discuss(household, refused, on + timedelta(days=2))
        earlier = self._record(household, school_nurse, Decision.GIVEN, on - timedelta(days=60), Purpose.SAFETY_PLAN)
        earlier = sharing_services.withdraw_consent(
            consent=earlier, withdrawn_on=on, withdrawn_by=earlier.recorded_by, note="Does not want the plan shared."
        )
        self._discuss(household, earlier, on + timedelta(days=2), DiscussionOutcome.NO_FURTHER_ACTION)
