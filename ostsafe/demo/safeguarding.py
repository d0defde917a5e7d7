"""Demo safeguarding activity: assessments, home visits and storage checks, safety boxes and take-home decisions, in
realistic proportions, including some overdue or unsatisfactory, so every list and warning has something to show."""

import random
from datetime import date, timedelta

from ostsafe.accounts.models import Organisation
from ostsafe.assessments import selectors as assessment_selectors
from ostsafe.assessments import services as assessment_services
from ostsafe.assessments.models import QuestionSet
from ostsafe.core.roles import OrganisationType
from ostsafe.families.models import Household, MemberRole, ServiceUser
from ostsafe.plans import services as plan_services
from ostsafe.prescribing import services as prescribing_services
from ostsafe.prescribing.models import Regime
from ostsafe.sharing import services as sharing_services
from ostsafe.sharing.models import Purpose
from ostsafe.storage import services as storage_services
from ostsafe.storage.messages import MUST_SHARE_KEYS
from ostsafe.storage.models import MovementKind
from ostsafe.visits import services as visit_services
from ostsafe.visits.models import StorageVerification

RISK_ANSWERS = [
    {"debt": "yes"},
    {"poor_housing": "yes", "debt": "yes"},
    {"parental_mental_health": "yes"},
    {"domestic_abuse": "yes", "unknown_adults": "yes"},
    {"use_increasing": "yes", "attendance_changed": "yes", "disengaging": "yes"},
    {"child_health_appointments_missed": "yes", "child_routine_age_appropriate": "no"},
]


def calm_answers(question_set) -> dict[str, str]:
    answers = {}
    for q in question_set.questions.all():
        if q.kind == "text":
            answers[q.key] = "Discussed with the family at the assessment visit."
        else:
            answers[q.key] = next(v for v, _ in q.choice_pairs() if v not in q.risk_rules)
    return answers


class SafeguardingDemo:
    def __init__(self, rng: random.Random, today: date, progress):
        self.rng = rng
        self.today = today
        self.progress = progress
        self.question_set = QuestionSet.objects.order_by("-version").first()

    def build(self):
        self._stock()
        households = list(
            Household.objects.filter(members__role=MemberRole.CHILD)
            .distinct()
            .prefetch_related("service_users__keyworker", "service_users__prescriptions")
            .order_by("pk")
        )
        for n, household in enumerate(households, start=1):
            self._family(household)
            if n % 10 == 0 or n == len(households):
                self.progress(f"Safeguarding records: {n}/{len(households)} families with children")
        self._boxes_for_contact_only()

    def _stock(self):
        for site in Organisation.objects.filter(
            type__in=[
                OrganisationType.TREATMENT_SERVICE,
                OrganisationType.NEEDLE_EXCHANGE,
                OrganisationType.COMMUNITY_PHARMACY,
            ]
        ):
            staff = site.users.order_by("pk").first()
            quantity = {"treatment_service": 60, "needle_exchange": 25}.get(site.type, 6)
            storage_services.record_box_movement(
                site=site,
                kind=MovementKind.RECEIVED,
                quantity=quantity,
                on=self.today - timedelta(days=200),
                recorded_by=staff,
            )

    def _family(self, household):
        service_users = list(household.service_users.all())
        first = service_users[0]
        keyworker = first.keyworker
        roll = self.rng.random()
        if roll < 0.12:
            return  # not yet assessed: shows as a gap on the Assessment tab
        assessed_on = self.today - timedelta(days=self.rng.randint(5, 150))
        answers = calm_answers(self.question_set)
        if self.rng.random() < 0.6:
            answers |= self.rng.choice(RISK_ANSWERS)
        if self.rng.random() < 0.06:
            answers["pregnant"] = "yes"
        # A practitioner starts from what the record already shows (another OST user, an unknown adult...).
        facts = assessment_selectors.record_facts(household, self.today)
        answers |= {key: "yes" for key, fact in facts.items() if fact.value == "yes"}
        assessment = assessment_services.start_assessment(household=household, service_user=first, started_by=keyworker)
        assessment_services.save_answers(assessment=assessment, answers=answers, saved_by=keyworker)
        suggested, _ = assessment_services.suggestion_for(assessment)
        level, rationale = suggested, ""
        if self.rng.random() < 0.15:
            level = "high" if suggested != "high" else "medium"
            rationale = (
                "Raised: what I saw at the visit worries me more than the answers show."
                if level == "high"
                else "Lowered: strong protective grandmother living in, seen at every visit."
            )
        assessment_services.complete_assessment(
            assessment=assessment,
            practitioner_level=level,
            rationale=rationale,
            completed_by=keyworker,
            completed_on=assessed_on,
        )
        if self.rng.random() < 0.2:
            return  # assessed, but the assessment-stage home visit has not happened: "home visit needed"
        visited_on = min(self.today, assessed_on + timedelta(days=self.rng.randint(0, 20)))
        children = list(visit_services.children_to_observe(household, visited_on))
        visit = visit_services.record_home_visit(
            household=household,
            visited_on=visited_on,
            recorded_by=keyworker,
            visitors=[keyworker],
            service_users_seen=service_users,
            child_observations=[self._observation(c) for c in children],
            notes="Home warm and tidy; children's routine discussed.",
        )
        for service_user in service_users:
            self._storage_check(visit, service_user, keyworker)
            self._box_and_messages(service_user, keyworker, visited_on)
            self._agreement(household, service_user, keyworker, visited_on)
            self._take_home_decision(service_user)
        self._plan(household, keyworker, visited_on)

    def _agreement(self, household, service_user, keyworker, on):
        if self.rng.random() < 0.25:
            return
        agreement = plan_services.draft_agreement(
            household=household,
            service_user=service_user,
            drafted_by=keyworker,
            drafted_on=on,
            expectations="Medicine kept in the locked box, the box kept on a high shelf out of sight, from today; "
            "because the children are at home and a small amount can kill a child.",
        )
        roll = self.rng.random()
        if roll < 0.75:
            plan_services.sign_agreement_on_screen(
                agreement=agreement,
                signed_name=service_user.full_name,
                confirmed=True,
                signed_on=on,
                recorded_by=keyworker,
            )
            for involvement in household.network.filter(professional__isnull=False).exclude(professional=keyworker):
                sharing_services.record_consent(
                    household=household,
                    service_user=agreement.service_user,
                    recipient=involvement,
                    purpose=Purpose.AGREEMENT,
                    recorded_by=keyworker,
                    decided_on=on,
                    decision="given" if self.rng.random() < 0.9 else "refused",
                )
        elif roll < 0.85:
            plan_services.record_agreement_not_forthcoming(
                agreement=agreement,
                reason="Says the storage is fine and there is nothing to sign.",
                recorded_by=keyworker,
                on=on,
            )

    def _plan(self, household, keyworker, on):
        if self.rng.random() < 0.4:
            return
        plan = plan_services.start_safety_plan(household=household, created_by=keyworker, created_on=on)
        actions = [
            ("Keep the medicine in the locked box, with the key kept on you", "Children cannot open it", "Parent"),
            ("Take the medicine in the bathroom with the door shut", "Children must not see it taken", "Parent"),
            ("Wash out and bin empty bottles the same day", "Toddlers pick up bottles", "Parent"),
            ("Visit fortnightly to see the storage and the children", "Evidence, not optimism", "Keyworker"),
        ]
        for expectation, why, owner in self.rng.sample(actions, k=self.rng.randint(2, 3)):
            action = plan_services.add_plan_action(
                plan=plan,
                expectation=expectation,
                why=why,
                owner=owner,
                added_by=keyworker,
                as_of=on,
                due_on=on + timedelta(days=self.rng.choice([14, 28, 42])),
            )
            if self.rng.random() < 0.3:
                # Deadlines that keep moving: the plan shows "deadline moved N times".
                for _ in range(self.rng.randint(1, 3)):
                    plan_services.change_plan_action(
                        action=action,
                        changed_by=keyworker,
                        on=on,
                        reason="Not done yet; family asked for more time",
                        due_on=action.due_on + timedelta(days=14),
                    )
        if self.rng.random() < 0.5:
            plan_services.review_plan(
                plan=plan,
                reviewed_by=keyworker,
                reviewed_on=min(self.today, on + timedelta(days=21)),
                understood_and_agreed=self.rng.random() < 0.8,
                notes="Went through every action together.",
                progress={a.pk: (self.rng.choice(["open", "done"]), "") for a in plan.actions.all()},
            )
        if self.rng.random() < 0.35:
            adults = [
                {
                    "name": su.full_name,
                    "service_user": su,
                    "member": None,
                    "invited": True,
                    "attended": self.rng.random() < 0.8,
                    "views": "Wants help with the mornings.",
                }
                for su in household.service_users.all()
            ]
            adults += [
                {
                    "name": m.display_name,
                    "service_user": None,
                    "member": m,
                    "invited": self.rng.random() < 0.6,
                    "attended": False,
                    "views": "",
                }
                for m in household.members.current()
                .exclude(role="child")
                .filter(lives_here=True, service_user__isnull=True)
            ]
            plan_services.record_meeting(
                household=household,
                kind="core_group",
                held_on=min(self.today, on + timedelta(days=7)),
                recorded_by=keyworker,
                adults=adults,
                actions_agreed="Health visitor to call weekly; review storage at next visit.",
            )

    def _storage_check(self, visit, service_user, keyworker):
        # About one check in seven only claimed, and one in seven seen but not satisfactory.
        self.checks_made = getattr(self, "checks_made", 0) + 1
        roll = {1: 0.1, 4: 0.2}.get(self.checks_made % 7, 0.9)
        common = {
            "location": "Locked box on top of the bedroom wardrobe",
            "locked_box_in_use": True,
            "box_locked": True,
            "other_substances_safe": True,
            "empty_bottles_disposed": True,
        }
        if roll < 0.15:
            fields = common | {
                "verification": StorageVerification.CLAIMED,
                "location": "Kitchen cupboard, she says",
                "out_of_sight_and_reach": True,
                "satisfied": False,
                "advice_given": "Asked to see the storage at the next visit.",
            }
        elif roll < 0.25:
            fields = common | {
                "verification": StorageVerification.SEEN,
                "location": "Bedside table",
                "out_of_sight_and_reach": False,
                "box_locked": False,
                "satisfied": False,
                "advice_given": "Bottle was on the bedside table within a toddler's reach. Advised "
                "keeping it locked in the box, up high, every time.",
            }
        else:
            fields = common | {
                "verification": StorageVerification.SEEN,
                "out_of_sight_and_reach": True,
                "satisfied": True,
                "compliment_given": True,
            }
        visit_services.record_storage_check(visit=visit, service_user=service_user, checked_by=keyworker, **fields)

    def _box_and_messages(self, service_user, keyworker, on):
        if self.rng.random() < 0.75:
            storage_services.issue_safety_box(
                service_user=service_user,
                site=keyworker.organisation,
                issued_on=on,
                issued_by=keyworker,
                acknowledgement_signed=True,
            )
        if self.rng.random() < 0.8:
            storage_services.record_must_share_discussion(
                service_user=service_user,
                discussed_on=on,
                discussed_by=keyworker,
                points=MUST_SHARE_KEYS if self.rng.random() < 0.85 else MUST_SHARE_KEYS[:3],
            )
            storage_services.record_leaflet_given(service_user=service_user, given_on=on, given_by=keyworker)

    def _take_home_decision(self, service_user):
        current = next((p for p in service_user.prescriptions.all() if p.end_date is None), None)
        if current is None or current.regime != Regime.TAKE_HOME:
            return
        # Lengthening take-home doses for a parent: the checks are evaluated and, where one is not met, the
        # prescriber records why.
        prescribing_services.change_prescription(
            prescription=current,
            changed_by=current.prescriber,
            take_home_days=(current.take_home_days or 2) + 1,
            override_reason="Works shifts; daily collection would cost the job. Reviewed with the keyworker.",
        )

    def _boxes_for_contact_only(self):
        """The needle exchange issues a few boxes to clients who see children but do not live with them."""
        exchange = Organisation.objects.filter(type=OrganisationType.NEEDLE_EXCHANGE).first()
        worker = exchange.users.order_by("pk").first()
        contact_only = ServiceUser.objects.filter(child_contacts__isnull=False).distinct().order_by("pk")
        for service_user in list(contact_only)[::3]:
            storage_services.issue_safety_box(
                service_user=service_user,
                site=exchange,
                issued_on=self.today - timedelta(days=self.rng.randint(1, 90)),
                issued_by=worker,
                acknowledgement_signed=True,
            )

    def _observation(self, child):
        if self.rng.random() < 0.85:
            return child, True, ""
        return child, False, "At nursery during the visit; seeing them at the next visit, after school hours."
