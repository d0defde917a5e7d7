"""A synthetic demonstration service, generated with Faker (en_GB). Never a real person's details.

NHS numbers are drawn from the 999 range, which the NHS reserves for test data, with a valid check digit.
Proportions follow the guide: about 30% of OST clients live with children.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from faker import Faker

from ostsafe.accounts.models import Organisation, Team, User
from ostsafe.core.roles import OrganisationType, Role
from ostsafe.core.validators import nhs_number_is_valid, today
from ostsafe.curiosity.services import evaluate_all
from ostsafe.demo.directory import DirectoryDemo
from ostsafe.demo.dispensing import DispensingDemo
from ostsafe.demo.partnership import PartnershipDemo
from ostsafe.demo.safeguarding import SafeguardingDemo
from ostsafe.demo.sharing import SharingDemo
from ostsafe.demo.supervision import SupervisionDemo
from ostsafe.demo.warning_signs import WarningSignsDemo
from ostsafe.families import services as family_services
from ostsafe.families.models import ChildStatus, ContactFrequency, MemberRole, NdtmsConsent, Sex
from ostsafe.management.services import backfill_practice_figures, record_practice_figures
from ostsafe.prescribing import services as prescribing_services
from ostsafe.prescribing.models import DoseUnit, Drug, Regime

DEMO_PASSWORD = "demo-safeguarding-2026"
DEMO_DOMAIN = "ostsafe.example"
TREATMENT_SERVICE = "Riverside Drug and Alcohol Service"
SERVICE_USERS = 120
SMALL_TREATMENT_SERVICE = "Eastfield Recovery Service"
SHARE_LIVING_WITH_CHILDREN = 0.30
SHARE_CONTACT_ONLY = 0.10


@dataclass
class DemoLogin:
    role: str
    email: str
    name: str
    organisation: str


@dataclass
class Demo:
    logins: list[DemoLogin] = field(default_factory=list)
    service_users: int = 0


def demo_exists() -> bool:
    return Organisation.objects.filter(name=TREATMENT_SERVICE).exists()


def demo_logins() -> list[DemoLogin]:
    """One login per role: the first demo user of each role."""
    logins = []
    for role in Role:
        user = (
            User.objects.filter(role=role, email__endswith=f"@{DEMO_DOMAIN}")
            .select_related("organisation")
            .order_by("id")
            .first()
        )
        if user:
            logins.append(DemoLogin(role.label, user.email, user.full_name, user.organisation.name))
    return logins


def synthetic_nhs_number(rng: random.Random) -> str:
    while True:
        candidate = "999" + "".join(str(rng.randint(0, 9)) for _ in range(6))
        for check in range(10):
            if nhs_number_is_valid(candidate + str(check)):
                return candidate + str(check)


def _ndtms_consent(nhs_number: str) -> str:
    """Most consent to NDTMS; one in ten declines and one in ten has not been asked yet (from the NHS number, so that
    the demo's random sequence is not disturbed)."""
    return {0: NdtmsConsent.NOT_ASKED, 1: NdtmsConsent.DECLINED}.get(int(nhs_number[-2]) % 10, NdtmsConsent.GIVEN)


class DemoBuilder:
    def __init__(self, *, seed: int = 2018, progress: Callable[[str], None] = print, as_of: date | None = None):
        self.rng = random.Random(seed)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.progress = progress
        self.today = as_of or today()
        self.used_nhs: set[str] = set()
        self.password_hash = make_password(DEMO_PASSWORD)

    def user(self, email_local: str, role: str, organisation: Organisation, team: Team | None = None, title=""):
        user = User.objects.create_user(
            f"{email_local}@{DEMO_DOMAIN}",
            None,
            full_name=f"{self.fake.first_name()} {self.fake.last_name()}",
            role=role,
            organisation=organisation,
            team=team,
            job_title=title,
            phone=self.fake.phone_number(),
            is_staff=role == Role.ADMINISTRATOR,
            # The administrator keeps users, organisations, teams and rule thresholds in Django admin.
            is_superuser=role == Role.ADMINISTRATOR,
        )
        # Hash the shared demo password once: the hasher is deliberately slow.
        user.password = self.password_hash
        user.save(update_fields=["password"])
        return user

    def organisation(self, name: str, type_: str, **fields) -> Organisation:
        return Organisation.objects.create(
            name=name,
            type=type_,
            **fields,
            address=self.fake.address().replace("\n", ", "),
            phone=self.fake.phone_number(),
            email=f"{name.lower().split()[0]}@{DEMO_DOMAIN}",
        )

    def date_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def nhs_number(self) -> str:
        while True:
            number = synthetic_nhs_number(self.rng)
            if number not in self.used_nhs:
                self.used_nhs.add(number)
                return number

    @transaction.atomic
    def build(self) -> Demo:
        self.progress("Creating organisations and people")
        treatment = self.organisation(TREATMENT_SERVICE, OrganisationType.TREATMENT_SERVICE, ndtms_agency_code="N4RVD")
        teams = [Team.objects.create(organisation=treatment, name=n) for n in ("North team", "South team")]
        self.pharmacies = [
            self.organisation(f"{self.fake.last_name()} Pharmacy", OrganisationType.COMMUNITY_PHARMACY)
            for _ in range(3)
        ]
        health = self.organisation("Riverside Community Health NHS Trust", OrganisationType.COMMUNITY_HEALTH)
        hv_team = Team.objects.create(organisation=health, name="Health visiting team")
        sn_team = Team.objects.create(organisation=health, name="School nursing team")
        social_care = self.organisation("Riverside Children's Social Care", OrganisationType.CHILDRENS_SOCIAL_CARE)
        sc_team = Team.objects.create(organisation=social_care, name="Children in need and protection team")
        surgery = self.organisation("Riverside Medical Centre", OrganisationType.GP_PRACTICE)
        exchange = self.organisation("Riverside Needle Exchange", OrganisationType.NEEDLE_EXCHANGE)
        council = self.organisation("Riverside Borough Council", OrganisationType.LOCAL_AUTHORITY)

        self.keyworkers = {team.pk: [] for team in teams}
        for i, team in enumerate(teams):
            for j in range(3):
                local = "keyworker" if (i, j) == (0, 0) else f"keyworker{i * 3 + j + 1}"
                self.keyworkers[team.pk].append(
                    self.user(local, Role.KEYWORKER, treatment, team, "Drug and alcohol specialist practitioner")
                )
        self.prescribers = {
            teams[0].pk: self.user("prescriber", Role.PRESCRIBER, treatment, teams[0], "Non-medical prescriber"),
            teams[1].pk: self.user("prescriber2", Role.PRESCRIBER, treatment, teams[1], "Specialty doctor"),
        }
        self.user("manager", Role.TEAM_MANAGER, treatment, teams[0], "Team manager")
        self.user("admin", Role.ADMINISTRATOR, treatment, None, "Systems administrator")
        for n, pharmacy in enumerate(self.pharmacies):
            self.user("pharmacist" if n == 0 else f"pharmacist{n + 1}", Role.PHARMACIST, pharmacy, None, "Pharmacist")
        self.health_visitor = self.user("health.visitor", Role.HEALTH_VISITOR, health, hv_team, "Health visitor")
        self.school_nurse = self.user("school.nurse", Role.SCHOOL_NURSE, health, sn_team, "School nurse")
        self.social_worker = self.user("social.worker", Role.SOCIAL_WORKER, social_care, sc_team, "Social worker")
        self.gp = self.user("gp", Role.GP_PRACTICE, surgery, None, "General practitioner")
        self.user("harm.reduction", Role.HARM_REDUCTION_WORKER, exchange, None, "Harm-reduction worker")
        self.user("commissioner", Role.COMMISSIONER, council, None, "Public health commissioner")

        demo = Demo()
        plan = self._household_plan()
        demo_keyworker_has_couple = False
        for n, kind in enumerate(plan, start=1):
            team, keyworker = teams[n % 2], None
            if kind == "couple" and not demo_keyworker_has_couple:
                # The demo keyworker's caseload shows a couple both on OST: the guide's warning sign.
                team, keyworker, demo_keyworker_has_couple = teams[0], self.keyworkers[teams[0].pk][0], True
            demo.service_users += self._household(kind, team, keyworker)
            if n % 20 == 0 or n == len(plan):
                self.progress(f"Households: {n}/{len(plan)} ({demo.service_users} service users)")
        local_map = DirectoryDemo(self.today, self.progress)
        local_map.build(manager=User.objects.get(email=f"manager@{DEMO_DOMAIN}"))
        SafeguardingDemo(self.rng, self.today, self.progress).build()
        DispensingDemo(self.rng, self.today, self.progress).build()
        SharingDemo(self.rng, self.today, self.progress).build()
        local_map.link_families()
        PartnershipDemo(self.today, self.progress).build()
        the_keyworker = User.objects.filter(role=Role.KEYWORKER, email__endswith=f"@{DEMO_DOMAIN}").order_by("id")
        WarningSignsDemo(self.rng, self.today, self.progress).build(keyworker=the_keyworker.first())
        # The nightly sweep, once: the warning signs the demo's records hold.
        signs = evaluate_all(as_of=self.today)
        self.progress(f"Warning signs: {signs['raised']} raised across {signs['households']} families")
        # Last, so that the main service's records come out as they always have (one random sequence).
        demo.service_users += self._small_service()
        SupervisionDemo(self.rng, self.today, self.progress).build(
            manager=User.objects.get(email=f"manager@{DEMO_DOMAIN}"), health_visitor=self.health_visitor
        )
        # The managers' dashboard keeps its figures month by month; a new service counts the last year once.
        backfill_practice_figures(months=11, as_of=self.today)
        record_practice_figures(as_of=self.today)
        demo.logins = demo_logins()
        return demo

    def _small_service(self) -> int:
        """A second, small treatment service in the borough: the commissioner's report compares services, and its
        few families show small counts hidden (and what else must be hidden so that they cannot be worked out)."""
        # No NDTMS agency code yet: its extract check says so.
        service = self.organisation(SMALL_TREATMENT_SERVICE, OrganisationType.TREATMENT_SERVICE)
        team = Team.objects.create(organisation=service, name="Eastfield team")
        self.keyworkers[team.pk] = [
            self.user("keyworker.eastfield", Role.KEYWORKER, service, team, "Recovery worker"),
        ]
        self.prescribers[team.pk] = self.user(
            "prescriber.eastfield", Role.PRESCRIBER, service, team, "Non-medical prescriber"
        )
        return sum(self._household(kind, team) for kind in ("children", "children", "contact", "alone", "alone"))

    def _household_plan(self) -> list[str]:
        couples = 2
        singles = SERVICE_USERS - 2 * couples
        with_children = round(SERVICE_USERS * SHARE_LIVING_WITH_CHILDREN) - couples
        contact_only = round(SERVICE_USERS * SHARE_CONTACT_ONLY)
        plan = (
            ["couple"] * couples
            + ["children"] * with_children
            + ["contact"] * contact_only
            + ["alone"] * (singles - with_children - contact_only)
        )
        self.rng.shuffle(plan)
        return plan

    def _household(self, kind: str, team: Team, keyworker: User | None = None) -> int:
        keyworker = keyworker or self.rng.choice(self.keyworkers[team.pk])
        family_name = self.fake.last_name()
        address = {
            "name": f"{family_name} household",
            "address_line_1": self.fake.street_address(),
            "address_line_2": "",
            "town": "Riverside",
            "postcode": self.fake.postcode(),
            "team": team,
        }
        answer = {"couple": "living", "children": "living", "contact": "contact"}.get(kind, "none")
        first = self._service_user(keyworker, family_name, household_fields=address, children_answer=answer)
        household = first.household
        count = 1
        if kind == "couple":
            partner = self._service_user(
                keyworker, family_name, household=household, sex=Sex.MALE, children_answer=answer
            )
            family_services.add_household_member(
                household=household,
                added_by=keyworker,
                role=MemberRole.PARTNER,
                service_user=partner,
                lives_here=True,
                start_date=self.today - timedelta(days=self.rng.randint(400, 3000)),
            )
            count += 1
        if kind in {"couple", "children"}:
            self._children(household, keyworker, family_name)
            self._network(household, keyworker)
            self._other_adults(household, keyworker)
        if kind == "contact":
            self._child_contacts(first, keyworker)
        return count

    def _service_user(
        self, keyworker, family_name, *, household=None, household_fields=None, sex=None, children_answer="none"
    ):
        sex = sex or self.rng.choice([Sex.FEMALE, Sex.FEMALE, Sex.MALE, Sex.MALE, Sex.MALE])
        given = self.fake.first_name_female() if sex == Sex.FEMALE else self.fake.first_name_male()
        since = self.today - timedelta(days=self.rng.randint(30, 2500))
        nhs_number = self.nhs_number()
        service_user = family_services.register_service_user(
            registered_by=keyworker,
            household=household,
            household_fields=household_fields,
            given_name=given,
            family_name=family_name,
            date_of_birth=self.date_between(
                self.today - timedelta(days=365 * 58), self.today - timedelta(days=365 * 21)
            ),
            nhs_number=nhs_number,
            sex=sex,
            children_answer=children_answer,
            ndtms_consent=_ndtms_consent(nhs_number),
            phone=self.fake.phone_number(),
            keyworker=keyworker,
            in_treatment_since=since,
            last_contact_on=self.today - timedelta(days=self.rng.randint(0, 45)),
        )
        self._prescription(service_user, keyworker.team_id, since)
        return service_user

    def _prescription(self, service_user, team_id, since):
        roll = self.rng.random()
        if roll < 0.6:
            drug, unit, dose = Drug.METHADONE_ORAL_SOLUTION, DoseUnit.ML, Decimal(self.rng.randrange(20, 110, 5))
        elif roll < 0.88:
            drug, unit, dose = Drug.BUPRENORPHINE_SUBLINGUAL, DoseUnit.MG, Decimal(self.rng.choice([4, 8, 12, 16, 24]))
        elif roll < 0.95:
            drug, unit, dose = Drug.BUPRENORPHINE_NALOXONE, DoseUnit.MG, Decimal(self.rng.choice([8, 12, 16]))
        else:
            drug, unit, dose = Drug.BUPRENORPHINE_PROLONGED_RELEASE, DoseUnit.MG, Decimal(self.rng.choice([8, 16, 24]))
        if drug == Drug.BUPRENORPHINE_PROLONGED_RELEASE:
            regime, days, pharmacy = Regime.ADMINISTERED, None, None
        else:
            regime = self.rng.choices(
                [Regime.SUPERVISED_DAILY, Regime.DAILY_COLLECTION, Regime.TAKE_HOME], weights=[45, 25, 30]
            )[0]
            days = self.rng.choice([2, 3, 4, 7]) if regime == Regime.TAKE_HOME else None
            pharmacy = self.rng.choice(self.pharmacies)
        prescriber = self.prescribers[team_id]
        prescribing_services.record_prescription(
            service_user=service_user,
            recorded_by=prescriber,
            drug=drug,
            daily_dose=dose,
            dose_unit=unit,
            regime=regime,
            take_home_days=days,
            pharmacy=pharmacy,
            prescriber=prescriber,
            start_date=since,
        )

    def _children(self, household, keyworker, family_name):
        for _ in range(self.rng.choices([1, 2, 3], weights=[50, 35, 15])[0]):
            sex = self.rng.choice([Sex.FEMALE, Sex.MALE])
            born = self.date_between(self.today - timedelta(days=365 * 16), self.today - timedelta(days=20))
            age = (self.today - born).days // 365
            status = self.rng.choices(
                [
                    ChildStatus.NONE,
                    ChildStatus.CHILD_IN_NEED,
                    ChildStatus.CHILD_PROTECTION_PLAN,
                    ChildStatus.LOOKED_AFTER,
                ],
                weights=[70, 17, 10, 3],
            )[0]
            family_services.add_household_member(
                household=household,
                added_by=keyworker,
                role=MemberRole.CHILD,
                given_name=self.fake.first_name_female() if sex == Sex.FEMALE else self.fake.first_name_male(),
                family_name=family_name,
                date_of_birth=born,
                sex=sex,
                lives_here=True,
                start_date=born,
                school_or_nursery=(
                    f"{self.fake.last_name()} {'Nursery' if age < 4 else 'Primary School' if age < 11 else 'Academy'}"
                    if age >= 2
                    else ""
                ),
                gp_practice=f"{self.fake.last_name()} Medical Practice",
                health_visitor_or_school_nurse=(
                    self.health_visitor.full_name if age < 5 else self.school_nurse.full_name
                ),
                child_status=status,
            )

    def _other_adults(self, household, keyworker):
        roll = self.rng.random()
        if roll < 0.25:
            family_services.add_household_member(
                household=household,
                added_by=keyworker,
                role=MemberRole.PARTNER,
                given_name=self.fake.first_name_male(),
                family_name=self.fake.last_name(),
                date_of_birth=self.date_between(
                    self.today - timedelta(days=365 * 50), self.today - timedelta(days=365 * 22)
                ),
                sex=Sex.MALE,
                lives_here=True,
                ost_elsewhere=self.rng.random() < 0.2,
            )
        elif roll < 0.40:
            family_services.add_household_member(
                household=household,
                added_by=keyworker,
                role=MemberRole.EXTENDED_FAMILY,
                given_name=self.fake.first_name_female(),
                family_name=self.fake.last_name(),
                sex=Sex.FEMALE,
                lives_here=False,
                notes="Grandmother; helps with school runs",
            )
        elif roll < 0.50:
            family_services.add_household_member(
                household=household,
                added_by=keyworker,
                role=MemberRole.UNKNOWN_ADULT,
                lives_here=True,
                start_date=self.today - timedelta(days=self.rng.randint(3, 30)),
                notes="School reported an unknown man collecting the children; mother says a friend is staying",
            )

    def _network(self, household, keyworker):
        family_services.add_involvement(
            household=household,
            added_by=keyworker,
            professional=keyworker,
            role_in_family="Keyworker",
            is_lead=True,
            start_date=self.today - timedelta(days=self.rng.randint(10, 400)),
        )
        children = list(household.members.filter(role=MemberRole.CHILD))
        if any(c.age is not None and c.age < 5 for c in children):
            family_services.add_involvement(
                household=household,
                added_by=keyworker,
                professional=self.health_visitor,
                role_in_family="Health visitor",
            )
        if any(c.age is not None and c.age >= 5 for c in children):
            family_services.add_involvement(
                household=household, added_by=keyworker, professional=self.school_nurse, role_in_family="School nurse"
            )
        if any(c.child_status != ChildStatus.NONE for c in children):
            family_services.add_involvement(
                household=household,
                added_by=keyworker,
                professional=self.social_worker,
                role_in_family="Allocated social worker",
            )

    def _child_contacts(self, service_user, keyworker):
        for _ in range(self.rng.choice([1, 1, 2])):
            family_services.add_child_contact(
                service_user=service_user,
                added_by=keyworker,
                given_name=self.fake.first_name(),
                family_name=self.fake.last_name(),
                date_of_birth=self.date_between(
                    self.today - timedelta(days=365 * 15), self.today - timedelta(days=200)
                ),
                relationship=self.rng.choice(["Daughter", "Son", "Grandchild", "Niece", "Nephew"]),
                lives_with=self.rng.choice(
                    ["with their mother", "with grandparents", "with their father", "in foster care"]
                ),
                frequency=self.rng.choice(ContactFrequency.values),
                overnight_stays=self.rng.random() < 0.35,
            )
