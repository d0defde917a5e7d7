"""Demo consent to share: routine notification to the health visitor or school nurse in most families' networks,
with some refusals (a team discussion held, or still needed) and a withdrawal. The first family with both a health
visitor and a school nurse shows every state at once: consent given, refused with the team discussion, withdrawn, a
decision to share without consent, an open referral with the social worker in the network, and a reviewed
break-glass grant."""

import random
from datetime import date, timedelta

from django.utils import timezone

from ostsafe.accounts.models import User
from ostsafe.core.roles import Role
from ostsafe.directory.models import LocalService, ServiceKind
from ostsafe.families import services as family_services
from ostsafe.families.models import Household, Involvement, MemberRole
from ostsafe.sharing import services as sharing_services
from ostsafe.sharing.models import (
    Article6Basis,
    BreakGlassGrant,
    Decision,
    DiscussionOutcome,
    Purpose,
    ReferralOutcome,
    ShareScope,
    SpecialCategoryCondition,
)

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
        # One family with a health visitor is left "not yet asked", for a demonstration to start from consent.
        unasked = next(
            (
                h
                for h in households
                if h != showcase and any(e.professional.role == Role.HEALTH_VISITOR for e in self._partners(h))
            ),
            None,
        )
        for household in households:
            if household == showcase:
                self._every_state(household)
            elif household != unasked:
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
        self._without_consent_and_referral(household, school_nurse, on)
        self._gp(household, on)
        self._break_glass(household)

    def _without_consent_and_referral(self, household, school_nurse, on):
        """After the team discussion: a decision to share the safety plan with the school nurse without consent, and
        a child protection referral under section 47, open, with the allocated social worker in the network."""
        manager = User.objects.filter(role=Role.TEAM_MANAGER, organisation=household.team.organisation).first()
        service_user = household.service_users.all()[0]
        sharing_services.record_sharing_decision(
            household=household,
            service_user=service_user,
            recipient=school_nurse,
            share=True,
            scopes=[ShareScope.SUMMARY, ShareScope.SAFETY_PLAN],
            reason="Consent refused; the eldest child has told school about tablets in the kitchen. The school nurse "
            "needs the safety plan to support the child at school.",
            article_6_basis=Article6Basis.PUBLIC_TASK,
            special_category_condition=SpecialCategoryCondition.SAFEGUARDING,
            family_told=True,
            decided_on=on + timedelta(days=3),
            valid_until=self.today + timedelta(days=90),
            recorded_by=manager,
            approve_now=True,
        )
        social_worker = User.objects.filter(role=Role.SOCIAL_WORKER).first()
        if not household.network.filter(professional=social_worker).exists():
            family_services.add_involvement(
                household=household,
                added_by=manager,
                professional=social_worker,
                role_in_family="Allocated social worker",
                responsibility="Section 47 enquiry; chairs the strategy discussion",
            )
        referral = sharing_services.record_referral(
            household=household,
            children=list(household.members.filter(role=MemberRole.CHILD)),
            service=LocalService.objects.get(kind=ServiceKind.FRONT_DOOR),
            concerns="Methadone kept in an unlocked kitchen cupboard; the eldest child described it at school.",
            how_concerns_arose="Storage check at a home visit, and the school nurse's report",
            first_hand="Storage seen at the visit: cupboard unlocked, safety box unused.",
            third_party="School nurse: the child described 'Mum's green medicine'.",
            parents_views="Mother says the box is too small for the bottles.",
            parents_know=True,
            whereabouts="At home and at school",
            referrer_contact=f"{manager.full_name}, {manager.email}",
            made_by=manager,
            made_on=on + timedelta(days=4),
        )
        referral = sharing_services.send_referral(referral=referral, sent_by=manager)
        sharing_services.record_referral_response(
            referral=referral,
            recorded_by=manager,
            acknowledged_on=on + timedelta(days=4),
            acknowledged_by_name="MASH duty social worker",
            decided_on=on + timedelta(days=5),
            outcome=ReferralOutcome.SECTION_47,
            outcome_note="Strategy discussion held; section 47 enquiry under way.",
        )

    def _gp(self, household, on):
        """The family's GP, in the network, with consent to share the safety plan."""
        gp = User.objects.filter(role=Role.GP_PRACTICE).first()
        keyworker = household.service_users.all()[0].keyworker
        entry = family_services.add_involvement(
            household=household,
            added_by=keyworker,
            professional=gp,
            role_in_family="GP",
            responsibility="Physical health; prescribes nothing that interacts with OST without talking to us",
        )
        self._record(household, entry, Decision.GIVEN, on, purpose=Purpose.SAFETY_PLAN)

    def _break_glass(self, household):
        """A keyworker of another team opened the family one evening; the manager has reviewed it."""
        outsider = User.objects.filter(role=Role.KEYWORKER).exclude(team=household.team).order_by("pk").first()
        manager = User.objects.filter(role=Role.TEAM_MANAGER, organisation=household.team.organisation).first()
        grant = sharing_services.grant_break_glass(
            user=outsider,
            household=household,
            reason="Service user came to the evening clinic unwell and asked us to check who is with the children.",
        )
        ended = timezone.now() - timedelta(days=3)
        BreakGlassGrant.objects.filter(pk=grant.pk).update(granted_at=ended - timedelta(hours=4), expires_at=ended)
        grant.refresh_from_db()
        sharing_services.review_break_glass(
            grant=grant, review="appropriate", note="Children's safety checked; right call.", reviewed_by=manager
        )
