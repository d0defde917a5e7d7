"""Demo supervision and training: the team manager's case supervisions of families with children (some overdue,
some with actions and a training need), and the team's training records, some current, some due soon, some never
recorded, with a partner's multi-agency training. Made through the management services."""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model

from ostsafe.core.roles import Role
from ostsafe.families.selectors import households_with_children
from ostsafe.management import services
from ostsafe.management.models import TrainingKind

DISCUSSIONS = [
    (
        "Storage was described as safe at the last two contacts.",
        "Seen once at the first visit; since then only claimed. Nothing seen this quarter.",
        "Appointments kept just before the review; none missed since.",
        "The youngest is at home every day; what would she say about where the bottle is kept?",
        "Unannounced visit to see the storage; ask the health visitor what she has seen.",
    ),
    (
        "Dad has started keeping the box in the car.",
        "Box seen locked at the visit, key kept on him.",
        "No sign: changes agreed have been carried out.",
        "Children's routine is settled; school reports good attendance.",
        "Compliment the change; review at the next plan review.",
    ),
    (
        "A new partner has been staying most nights.",
        "Reported by the school nurse, not yet seen by us.",
        "Eager to tell us about other services; their records do not bear it out.",
        "Who looks after the children when mum is at the pharmacy?",
        "Add the partner to the household; talk to the prescriber about take-home doses.",
    ),
]


class SupervisionDemo:
    def __init__(self, rng: random.Random, today: date, progress):
        self.rng = rng
        self.today = today
        self.progress = progress

    def build(self, manager, health_visitor):
        User = get_user_model()
        families = list(
            households_with_children(self.today)
            .filter(team__organisation_id=manager.organisation_id)
            .prefetch_related("service_users")
            .order_by("pk")
        )
        supervised = 0
        for n, household in enumerate(families[:: max(len(families) // 12, 1)][:12]):
            keyworker = next((su.keyworker for su in household.service_users.all() if su.keyworker_id), None)
            if keyworker is None:
                continue
            discussed, evidence, compliance, child, decisions = DISCUSSIONS[n % len(DISCUSSIONS)]
            held_on = self.today - timedelta(days=self.rng.randint(5, 80))
            actions = []
            if n % 3 == 0:
                actions.append(
                    services.SupervisionAction(decisions.split(";")[0], keyworker, held_on + timedelta(days=7))
                )
            services.record_supervision(
                household=household,
                supervisor=manager,
                practitioner=keyworker,
                held_on=held_on,
                discussed=discussed,
                evidence=evidence,
                disguised_compliance=compliance,
                childs_perspective=child,
                decisions=decisions,
                training_need="Disguised compliance: recognising it at reviews" if n == 2 else "",
                actions=actions,
            )
            supervised += 1
        staff = User.objects.filter(
            organisation_id=manager.organisation_id, role__in=[Role.KEYWORKER, Role.PRESCRIBER, Role.TEAM_MANAGER]
        ).order_by("pk")
        records = 0
        for i, person in enumerate(staff):
            for kind in (TrainingKind.HIDDEN_HARM, TrainingKind.OST_AND_CHILDREN, TrainingKind.SAFEGUARDING_3):
                if (i + len(kind)) % 5 == 0:
                    continue  # never recorded: overdue
                # Most within three years; one in four refreshed nearly three years ago (due soon) or longer (overdue).
                days_ago = self.rng.choice([90, 300, 500, 700, 1070, 1120])
                services.record_training(
                    person=person,
                    kind=kind,
                    course=f"{TrainingKind(kind).label} (Riverside Safeguarding Children Partnership)",
                    completed_on=self.today - timedelta(days=days_ago),
                    recorded_by=manager,
                )
                records += 1
        services.record_training(
            person=health_visitor,
            kind=TrainingKind.MULTI_AGENCY,
            course="Parental substance use and safe storage: multi-agency workshop",
            completed_on=self.today - timedelta(days=60),
            recorded_by=manager,
        )
        self.progress(f"Supervision and training: {supervised} case supervisions, {records + 1} training records")
