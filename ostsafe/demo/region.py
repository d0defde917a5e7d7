"""A synthetic region for benchmarks (`manage.py make_region`): by default 10,000 service users in about 9,400
households (3,400 of them with children), two years of history — about 2.9 million dispensing records, 600,000
appointments, 500,000 tests, home visits, assessments, safety plans with reviews, consents to the health visitor —
with planted patterns for every warning sign and steady control households beside them.

Synthetic only: Faker en_GB names (seeded), NHS numbers from the 999 range (in order, so a pharmacy feed for the
region can name its clients). The large tables are written with PostgreSQL's COPY
(bulk_create on SQLite, for small regions in tests); the rows are built to the same rules the services enforce.
Which households carry which planted sign is returned (and written to the database as `Household.name` prefixes,
"planted-<sign>" or "control"), so a benchmark can check every planted sign is found and count false flags on the
controls.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from ostsafe.accounts.models import Organisation, Team, User
from ostsafe.assessments.models import Assessment, QuestionSet
from ostsafe.core.roles import OrganisationType, Role
from ostsafe.core.validators import nhs_number_is_valid
from ostsafe.families.models import Household, HouseholdMember, Involvement, MemberRole, ServiceUser
from ostsafe.monitoring.models import Appointment, Concern, TestResult
from ostsafe.pharmacy.models import DispensingRecord
from ostsafe.plans.models import AgreementTemplate, GuidanceAgreement, PlanAction, PlanReview, SafetyPlan
from ostsafe.prescribing.models import Prescription
from ostsafe.sharing.models import Consent, PartnerReport
from ostsafe.storage.models import SafetyBoxIssue
from ostsafe.tasks.models import Task
from ostsafe.visits.models import HomeVisit, StorageCheck

SIGN_KEYS = [
    "attendance_change",
    "substance_use",
    "disengagement",
    "concerns_by_others",
    "another_ost_user",
    "unknown_adults",
    "child_appointments_missed",
    "routine_not_age_appropriate",
    "disguised_compliance",
]
# Signs planted in families with children (the child signs need one; the safety plan behind sign 9 is theirs).
WITH_CHILDREN = {"another_ost_user", "child_appointments_missed", "routine_not_age_appropriate", "disguised_compliance"}
DAYS = 730
CASELOAD = 40
KEYWORKERS_PER_TEAM = 10


@dataclass
class Region:
    households: int = 0
    service_users: int = 0
    planted: dict[str, list[int]] = field(default_factory=dict)  # sign -> household ids
    control: list[int] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


def _copy(model, columns: list[str], rows) -> int:
    """Write rows (tuples in `columns` order, attnames) to the model's table: COPY on PostgreSQL, bulk_create
    elsewhere. Returns the count."""
    count = 0
    if connection.vendor == "postgresql":
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        statement = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    batch = []
    for row in rows:
        batch.append(model(**dict(zip(columns, row, strict=True))))
        count += 1
        if len(batch) == 5000:
            model.objects.bulk_create(batch)
            batch = []
    model.objects.bulk_create(batch)
    return count


class RegionBuilder:
    def __init__(
        self, *, service_users: int = 10_000, planted: int = 30, seed: int = 2026, today: date, progress=print
    ):
        self.rng = random.Random(seed)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.size = service_users
        self.planted_per_sign = planted
        self.today = today
        self.start = today - timedelta(days=DAYS)
        self.now = timezone.now()
        self.progress = progress

    @transaction.atomic
    def build(self) -> Region:
        region = Region()
        self._organisations()
        households = self._households(region)
        self._people(households, region)
        self._history(households, region)
        self._tasks(households, region)
        return region

    # Organisations, teams and staff -------------------------------------------------------------------------------

    def _organisations(self):
        self.service = Organisation.objects.create(
            name="Region treatment service", type=OrganisationType.TREATMENT_SERVICE
        )
        self.health = Organisation.objects.create(
            name="Region community health", type=OrganisationType.COMMUNITY_HEALTH
        )
        self.pharmacies = Organisation.objects.bulk_create(
            [
                Organisation(name=f"Region pharmacy {n}", type=OrganisationType.COMMUNITY_PHARMACY)
                for n in range(max(5, self.size // 50))
            ]
        )
        keyworkers = max(1, -(-self.size // CASELOAD))
        self.teams = Team.objects.bulk_create(
            [
                Team(organisation=self.service, name=f"Region team {n}")
                for n in range(max(1, -(-keyworkers // KEYWORKERS_PER_TEAM)))
            ]
        )
        password = make_password(None)
        staff = []
        for n in range(keyworkers):
            team = self.teams[n // KEYWORKERS_PER_TEAM]
            staff.append(self._user(f"region.keyworker.{n}", Role.KEYWORKER, self.service, team, password))
        for n, team in enumerate(self.teams):
            staff.append(self._user(f"region.manager.{n}", Role.TEAM_MANAGER, self.service, team, password))
            staff.append(self._user(f"region.prescriber.{n}", Role.PRESCRIBER, self.service, team, password))
        health_visitors = max(2, self.size // 300)
        staff += [
            self._user(f"region.health.visitor.{n}", Role.HEALTH_VISITOR, self.health, None, password)
            for n in range(health_visitors)
        ]
        User.objects.bulk_create(staff)
        by_role = {}
        for user in User.objects.filter(email__startswith="region.").order_by("pk"):
            by_role.setdefault(user.role, []).append(user)
        self.keyworkers = by_role[Role.KEYWORKER]
        self.prescribers = {u.team_id: u for u in by_role[Role.PRESCRIBER]}
        self.health_visitors = by_role[Role.HEALTH_VISITOR]

    def _user(self, local, role, organisation, team, password) -> User:
        return User(
            email=f"{local}@region.example",
            password=password,
            full_name=local.replace(".", " ").title(),
            role=role,
            organisation=organisation,
            team=team,
        )

    # Households and who lives there ---------------------------------------------------------------------------------

    def _households(self, region: Region) -> list[dict]:
        """Plan the households: profiles (planted sign or control), with children or not, couples."""
        planned = []
        people = 0
        planted = [key for key in SIGN_KEYS for _ in range(self.planted_per_sign)]
        while people < self.size:
            profile = planted[len(planned)] if len(planned) < len(planted) else "control"
            children = profile in WITH_CHILDREN or self.rng.random() < 0.35
            # Two people in treatment living with a child is itself a warning sign: controls' couples have none.
            couple = profile == "another_ost_user" or (
                profile == "control" and not children and self.rng.random() < 0.1
            )
            planned.append({"profile": profile, "couple": couple, "children": children})
            people += 2 if couple else 1
        self.rng.shuffle(planned)
        keyworker_of = lambda i: self.keyworkers[min(i // CASELOAD, len(self.keyworkers) - 1)]  # noqa: E731
        rows, person = [], 0
        for i, plan in enumerate(planned):
            plan["keyworker"] = keyworker_of(person)
            person += 2 if plan["couple"] else 1
            rows.append(
                Household(
                    name=f"{plan['profile'] if plan['profile'] == 'control' else 'planted-' + plan['profile']} {i}",
                    address_line_1=f"{i + 1} Region Street",
                    town="Region",
                    postcode="ZZ1 1ZZ",
                    team_id=plan["keyworker"].team_id,
                    created_at=self.now,
                )
            )
        for plan, household in zip(planned, Household.objects.bulk_create(rows), strict=True):
            plan["household"] = household
            if plan["profile"] == "control":
                region.control.append(household.pk)
            else:
                region.planted.setdefault(plan["profile"], []).append(household.pk)
        region.households = len(planned)
        self.progress(f"Region: {len(planned)} households planned")
        return planned

    def _people(self, households: list[dict], region: Region):
        service_users, members, involvements, consents_for = [], [], [], []
        nhs_numbers = synthetic_nhs_numbers()
        for n, plan in enumerate(households):
            household = plan["household"]
            for k in range(2 if plan["couple"] else 1):
                service_users.append(
                    ServiceUser(
                        household=household,
                        given_name=self.fake.first_name(),
                        family_name=self.fake.last_name(),
                        nhs_number=next(nhs_numbers),
                        date_of_birth=date(1975 + n % 25, 1 + n % 12, 1 + n % 28),
                        sex="female" if k == 0 and n % 2 else "male",
                        keyworker=plan["keyworker"],
                        in_treatment_since=self.start,
                        created_at=self.now,
                    )
                )
            if plan["children"]:
                for c in range(1 + n % 2):
                    members.append(
                        HouseholdMember(
                            household=household,
                            role=MemberRole.CHILD,
                            given_name=f"Child{c}",
                            family_name=f"Region{n}",
                            date_of_birth=self.today - timedelta(days=200 + (n * 97 + c * 800) % 5000),
                            lives_here=True,
                            start_date=self.start,
                        )
                    )
                involvements.append(
                    Involvement(
                        household=household,
                        professional=self.health_visitors[n % len(self.health_visitors)],
                        role_in_family="Health visitor",
                        start_date=self.start,
                    )
                )
                consents_for.append(plan)
            if plan["profile"] == "unknown_adults":
                members.append(
                    HouseholdMember(
                        household=household,
                        role=MemberRole.UNKNOWN_ADULT,
                        lives_here=False,
                        start_date=self.today - timedelta(days=20),
                        notes="A man seen at the home at two visits; the family would not say who he is.",
                    )
                )
        created = ServiceUser.objects.bulk_create(service_users, batch_size=2000)
        by_household: dict[int, list[ServiceUser]] = {}
        for service_user in created:
            by_household.setdefault(service_user.household_id, []).append(service_user)
        for plan in households:
            plan["service_users"] = by_household[plan["household"].pk]
        HouseholdMember.objects.bulk_create(members, batch_size=2000)
        entries = Involvement.objects.bulk_create(involvements, batch_size=2000)
        Consent.objects.bulk_create(
            [
                Consent(
                    household=plan["household"],
                    service_user=plan["service_users"][0],
                    recipient=entry,
                    purpose="routine_notification",
                    decision="given",
                    decided_on=self.start,
                    valid_from=self.start,
                    explained_how="Routine notification explained: not a referral.",
                    recorded_by=plan["keyworker"],
                    recorded_at=self.now,
                )
                for plan, entry in zip(consents_for, entries, strict=True)
            ],
            batch_size=2000,
        )
        prescriptions = []
        for n, plan in enumerate(households):
            for service_user in plan["service_users"]:
                roll = (n * 7919 + service_user.pk) % 10
                regime, days = ("supervised_daily", None) if roll < 2 else ("daily_collection", None)
                if roll >= 3 and plan["profile"] != "disengagement":  # a run of missed doses is of daily doses
                    regime, days = "take_home", 7
                methadone = roll % 2 == 0
                prescriptions.append(
                    Prescription(
                        service_user=service_user,
                        drug="methadone_oral_solution" if methadone else "buprenorphine_sublingual",
                        daily_dose=Decimal("60") if methadone else Decimal("12"),
                        dose_unit="ml" if methadone else "mg",
                        regime=regime,
                        take_home_days=days,
                        pharmacy=self.pharmacies[n % len(self.pharmacies)],
                        prescriber=self.prescribers[plan["keyworker"].team_id],
                        start_date=self.start,
                        created_at=self.now,
                    )
                )
        for prescription in Prescription.objects.bulk_create(prescriptions, batch_size=2000):
            prescription.service_user.prescription = prescription
        region.service_users = len(created)
        self.progress(f"Region: {len(created)} service users, {len(members)} household members")

    # Two years of history ---------------------------------------------------------------------------------------------

    def _history(self, households: list[dict], region: Region):
        rng, today = self.rng, self.today
        people = [(plan, su) for plan in households for su in plan["service_users"]]
        # Each person's steady attendance: engaged people attend most appointments (controls 0.8 to 0.98).
        rate = {su.pk: rng.uniform(0.8, 0.98) for _, su in people}

        def dispensing():
            for plan, su in people:
                prescription = su.prescription
                run_from = today - timedelta(days=4) if plan["profile"] == "disengagement" else None
                for offset in range(DAYS, 0, -1):
                    on = today - timedelta(days=offset)
                    if prescription.regime == "take_home" and (on - prescription.start_date).days % 7:
                        continue
                    missed = rng.random() < 0.03 or (run_from is not None and on >= run_from)
                    taken = "supervised" if prescription.regime == "supervised_daily" else "collected"
                    quantity = None if missed else prescription.dose_per_collection
                    yield (prescription.pk, on, "missed" if missed else taken, quantity, "", "import", False, self.now)

        region.rows["dispensing"] = _copy(
            DispensingRecord,
            [
                "prescription_id",
                "expected_on",
                "outcome",
                "quantity",
                "note",
                "source",
                "prescriber_consulted",
                "recorded_at",
            ],
            dispensing(),
        )
        self.progress(f"Region: {region.rows['dispensing']} dispensing records")

        def appointments():
            for plan, su in people:
                for offset in range(DAYS - 3, 0, -14):
                    on = today - timedelta(days=offset)
                    attended = rng.random() < rate[su.pk]
                    if plan["profile"] == "attendance_change":
                        attended = offset > 30  # every one before; one of the three in the last six weeks
                    yield (su.pk, "keywork", on, "attended" if attended else "did_not_attend")
                for offset in range(DAYS - 10, 0, -91):
                    yield (su.pk, "prescriber_review", today - timedelta(days=offset), "attended")

        region.rows["appointments"] = _copy(Appointment, ["service_user_id", "kind", "on", "outcome"], appointments())

        def tests():
            for plan, su in people:
                steady_cannabis = (su.pk % 5) == 0  # a fifth use cannabis steadily, every test positive
                for offset in range(DAYS - 5, 0, -30):
                    on = today - timedelta(days=offset)
                    cocaine = plan["profile"] == "substance_use" and offset <= 30
                    yield (su.pk, on, "cocaine", "oral_fluid", cocaine, None, plan["keyworker"].pk)
                    yield (su.pk, on, "cannabis", "oral_fluid", steady_cannabis, None, plan["keyworker"].pk)
                if plan["profile"] == "substance_use":
                    yield (su.pk, today - timedelta(days=3), "cocaine", "oral_fluid", True, None, plan["keyworker"].pk)

        region.rows["tests"] = _copy(
            TestResult,
            ["service_user_id", "taken_on", "substance", "method", "positive", "audit_c_score", "recorded_by_id"],
            tests(),
        )
        self.progress(f"Region: {region.rows['appointments']} appointments, {region.rows['tests']} tests")
        self._family_work(households, region)

    def _family_work(self, households: list[dict], region: Region):
        """Home visits, assessments, safety plans and reviews for families with children; concerns and partner reports
        where planted."""
        today = self.today
        question_set = QuestionSet.objects.order_by("-version").first()
        visits, assessments, plans, concerns, reports = [], [], [], [], []
        for plan in households:
            household, keyworker = plan["household"], plan["keyworker"]
            if plan["children"]:
                for offset in range(DAYS - 20, 0, -90):
                    visits.append(
                        HomeVisit(
                            household=household,
                            status="completed",
                            visited_on=today - timedelta(days=offset),
                            recorded_by=keyworker,
                            created_at=self.now,
                        )
                    )
                for k, offset in enumerate(range(DAYS - 30, 0, -180)):
                    # Controls improve: the weight falls at each reassessment.
                    weights = {"other_problems": max(0, 3 - k), "substance_use": max(0, 2 - k)}
                    assessments.append(
                        Assessment(
                            household=household,
                            service_user=plan["service_users"][0],
                            question_set=question_set,
                            status="completed",
                            started_by=keyworker,
                            completed_by=keyworker,
                            completed_on=today - timedelta(days=offset),
                            suggested_level="medium",
                            practitioner_level="medium",
                            domain_weights=weights,
                            next_review_on=today - timedelta(days=offset - 180),
                        )
                    )
                plans.append(
                    SafetyPlan(
                        household=household,
                        created_by=keyworker,
                        created_on=today - timedelta(days=DAYS - 40),
                        next_review_on=today + timedelta(days=30 + household.pk % 40),
                    )
                )
            if plan["profile"] == "concerns_by_others":
                concerns.append(
                    Concern(
                        household=household,
                        source="school",
                        category="child_welfare",
                        description="Arriving late and hungry most days this month.",
                        received_on=today - timedelta(days=10),
                        recorded_by=keyworker,
                    )
                )
            kind = {
                "child_appointments_missed": "missed_immunisation",
                "routine_not_age_appropriate": "routine_not_age_appropriate",
            }.get(plan["profile"])
            if kind:
                reports.append((plan, kind))
        HomeVisit.objects.bulk_create(visits, batch_size=5000)
        storage = self._safe_storage(households, visits)
        Assessment.objects.bulk_create(assessments, batch_size=5000)
        created = SafetyPlan.objects.bulk_create(plans, batch_size=5000)
        Concern.objects.bulk_create(concerns)
        actions, reviews = [], []
        plan_of = {p.household_id: p for p in created}
        for plan in households:
            safety_plan = plan_of.get(plan["household"].pk)
            if safety_plan is None:
                continue
            overdue = plan["profile"] == "disguised_compliance"
            actions.append(
                PlanAction(
                    plan=safety_plan,
                    expectation="Keep the lockable box locked and out of reach",
                    why="Young children at home",
                    owner="Service user",
                    due_on=today - timedelta(days=30) if overdue else today + timedelta(days=20),
                    status="open",
                    created_on=safety_plan.created_on,
                )
            )
            for offset in range(DAYS - 130, 30, -90):
                reviews.append(
                    PlanReview(
                        plan=safety_plan,
                        reviewed_on=today - timedelta(days=offset),
                        reviewed_by=plan["keyworker"],
                        understood_and_agreed=True,
                        next_review_on=today - timedelta(days=offset - 90),
                    )
                )
        PlanAction.objects.bulk_create(actions, batch_size=5000)
        PlanReview.objects.bulk_create(reviews, batch_size=5000)
        children = {}
        for member in HouseholdMember.objects.filter(
            household_id__in=[p["household"].pk for p, _ in reports], role=MemberRole.CHILD
        ):
            children.setdefault(member.household_id, member)
        PartnerReport.objects.bulk_create(
            [
                PartnerReport(
                    household=plan["household"],
                    child=children[plan["household"].pk],
                    kind=kind,
                    happened_on=today - timedelta(days=15),
                    details="Reported by the health visitor.",
                    reported_by=self.health_visitors[0],
                )
                for plan, kind in reports
            ]
        )
        region.rows.update(
            visits=len(visits), assessments=len(assessments), plans=len(created), reviews=len(reviews), **storage
        )
        self.progress(
            f"Region: {len(visits)} home visits, {len(assessments)} assessments, {len(created)} safety plans, "
            f"{len(reviews)} reviews, {len(concerns)} concerns, {len(reports)} partner reports"
        )

    def _safe_storage(self, households: list[dict], visits: list[HomeVisit]) -> dict[str, int]:
        """What the take-home checks read, as a service that follows the guide has it: storage seen and satisfactory
        at every home visit for each person in treatment there, and for those with take-home doses a lockable box
        issued when treatment began and a guidance agreement signed then and renewed within each year."""
        template = AgreementTemplate.objects.order_by("-version").first()
        visits_of: dict[int, list[HomeVisit]] = {}
        for visit in visits:
            visits_of.setdefault(visit.household_id, []).append(visit)
        checks, boxes, agreements = [], [], []
        for plan in households:
            keyworker = plan["keyworker"]
            for service_user in plan["service_users"]:
                methadone = service_user.prescription.drug == "methadone_oral_solution"
                take_home = service_user.prescription.regime == "take_home"
                for visit in visits_of.get(plan["household"].pk, []):
                    checks.append(
                        StorageCheck(
                            visit=visit,
                            service_user=service_user,
                            checked_on=visit.visited_on,
                            verification="seen",
                            location="Locked box on top of the wardrobe",
                            out_of_sight_and_reach=True,
                            locked_box_in_use=take_home,
                            box_locked=True if take_home else None,
                            other_substances_safe=True,
                            empty_bottles_disposed=True if methadone else None,
                            satisfied=True,
                            checked_by=keyworker,
                        )
                    )
                if not (take_home and plan["children"]):
                    continue
                boxes.append(
                    SafetyBoxIssue(
                        service_user=service_user,
                        site=self.service,
                        issued_on=self.start,
                        issued_by=keyworker,
                        acknowledgement_signed=True,
                    )
                )
                for signed_on in range(0, DAYS, 330):  # renewed before the year is out
                    agreements.append(
                        GuidanceAgreement(
                            household=plan["household"],
                            service_user=service_user,
                            template=template,
                            expectations="Keep the medicine locked in the box, out of the children's sight and reach.",
                            status="signed",
                            drafted_by=keyworker,
                            drafted_on=self.start + timedelta(days=signed_on),
                            signature_method="on_screen",
                            signed_name=service_user.full_name,
                            signed_on=self.start + timedelta(days=signed_on),
                            recorded_by=keyworker,
                        )
                    )
        StorageCheck.objects.bulk_create(checks, batch_size=5000)
        SafetyBoxIssue.objects.bulk_create(boxes, batch_size=5000)
        GuidanceAgreement.objects.bulk_create(agreements, batch_size=5000)
        self.progress(
            f"Region: {len(checks)} storage checks, {len(boxes)} safety boxes, {len(agreements)} signed agreements"
        )
        return {"storage_checks": len(checks), "safety_boxes": len(boxes), "agreements": len(agreements)}

    def _tasks(self, households: list[dict], region: Region):
        """A keyworker's working list as the rules leave it after two years: for a family with children a home visit
        and an assessment review done every quarter and half year (completed, each a little late or early) and the
        next ones open (about one family in eight overdue); for every service user a quarterly keyworker review, the
        next one open. About twelve tasks a household, one or two of them open."""
        today, now = self.today, self.now
        columns = [
            "title",
            "detail",
            "household_id",
            "service_user_id",
            "assignee_id",
            "due_on",
            "status",
            "rule",
            "dedupe_key",
            "created_by_id",
            "created_at",
            "completed_at",
            "completed_by_id",
            "closed_without_record",
            "outcome",
        ]

        def task(household, keyworker, title, rule, service_user_id, due, created, *, key="", completed=None):
            done = completed is not None
            return (
                *(title, "", household.pk, service_user_id, keyworker.pk, due, "done" if done else "open", rule, key),
                *(None, created, completed, keyworker.pk if done else None, False, "Done." if done else ""),
            )

        def rows():
            for plan in households:
                household, keyworker = plan["household"], plan["keyworker"]
                series = [("Review the treatment plan with the service user", "", 90, plan["service_users"][0].pk)]
                if plan["children"]:
                    series += [
                        ("Home visit due", "visits.next_visit", 90, None),
                        ("Review the whole-family assessment", "assessments.needed", 180, None),
                    ]

                for title, rule, every, service_user_id in series:
                    last = today
                    for offset in range(DAYS - every, 0, -every):
                        completed = now - timedelta(days=offset + (household.pk % 7) - 3)
                        last = today - timedelta(days=offset)
                        yield task(
                            *(household, keyworker, title, rule, service_user_id, last),
                            completed - timedelta(days=every),
                            completed=completed,
                        )
                    # The next one: due soon, or (one family in eight) already overdue.
                    if household.pk % 8 == 0:
                        due = today - timedelta(days=5 + household.pk % 20)
                    else:
                        due = today + timedelta(days=1 + household.pk % (every - 10))
                    created = now - timedelta(days=(today - last).days)
                    key = f"{rule}:{household.pk}" if rule else ""
                    yield task(household, keyworker, title, rule, service_user_id, due, created, key=key)

        count = _copy(Task, columns, rows())
        region.rows.update(tasks=count)
        self.progress(f"Region: {count} tasks")


def synthetic_nhs_numbers():
    """NHS numbers 999 000 000x, 999 000 001x, ... in order, each with its check digit (a number whose check digit
    would be 10 is skipped, as the NHS skips it)."""
    for n in range(1_000_000):
        stem = f"999{n:06d}"
        for check in range(10):
            if nhs_number_is_valid(stem + str(check)):
                yield stem + str(check)
                break


def planted_and_control() -> tuple[dict[str, list[int]], list[int]]:
    """Read back which households carry which planted sign, and the controls (from their names)."""
    planted: dict[str, list[int]] = {}
    control = []
    for pk, name in Household.objects.filter(name__regex=r"^(planted-|control )").values_list("pk", "name"):
        if name.startswith("control "):
            control.append(pk)
        else:
            planted.setdefault(name.split()[0].removeprefix("planted-"), []).append(pk)
    return planted, control
