"""The demo borough's local map: its services and strategic groups, with named link people (all invented), some in
families' networks and one referral's front door; some never contacted, as a manager would find."""

from datetime import date, timedelta

from ostsafe.carers import services as carer_services
from ostsafe.directory import services as directory_services
from ostsafe.directory.models import LocalService, ServiceKind
from ostsafe.families import services as family_services
from ostsafe.families.models import Household, HouseholdMember, MemberRole

FRONT_DOOR = "Riverside Children's Social Care front door (MASH)"
FAMILY_SUPPORT = "Acorn Family Support"

ENTRIES = [
    {
        "name": FRONT_DOOR,
        "kind": ServiceKind.FRONT_DOOR,
        "what_they_do": "Takes every referral about a child's safety or welfare in the borough and decides within one "
        "working day what happens next.",
        "phone": "01632 960 200",
        "email": "mash@riverside.example",
        "referral_route": "Phone the MASH to discuss, then send the written referral the same day. If a child is in "
        "immediate danger, call 999 first.",
        "hours": "Monday to Thursday 8:45am to 5pm, Friday to 4:30pm",
        "out_of_hours": "Emergency duty team: 01632 960 999 (evenings, weekends and bank holidays)",
        "link_name": "Marcia Bell",
        "link_role": "MASH team manager",
        "link_email": "marcia.bell@riverside.example",
    },
    {
        "name": "Riverside Health Visiting Team",
        "kind": ServiceKind.HEALTH_VISITING,
        "what_they_do": "Health visitors for every family with a child under five: development checks, feeding, "
        "safe sleep and home safety.",
        "phone": "01632 960 310",
        "email": "health.visiting@riverside.example",
        "hours": "Monday to Friday 9am to 5pm",
        "link_name": "Ruth Adeyemi",
        "link_role": "Safeguarding lead health visitor",
    },
    {
        "name": "Riverside School Nursing Team",
        "kind": ServiceKind.SCHOOL_NURSING,
        "what_they_do": "School nurses for children aged 5 to 19, in school and at drop-ins.",
        "phone": "01632 960 320",
        "hours": "Term time, Monday to Friday 8:30am to 4:30pm",
        "link_name": "Tom Hale",
        "link_role": "Lead school nurse",
    },
    {
        "name": FAMILY_SUPPORT,
        "kind": ServiceKind.FAMILY_SUPPORT,
        "what_they_do": "Support for parents, partners and grandparents affected by someone's drug or alcohol use, "
        "in their own right: one-to-one, a weekly group and a helpline.",
        "phone": "01632 960 400",
        "email": "hello@acorn-support.example",
        "referral_route": "Self-referral by phone or email; practitioners can refer with the person's agreement.",
        "hours": "Monday to Friday 10am to 6pm, Wednesday group 7pm",
        "link_name": "Dee Morgan",
        "link_role": "Family support coordinator",
        "link_phone": "07700 900 401",
    },
    {
        "name": "Riverside Kinship Carers Network",
        "kind": ServiceKind.FAMILY_SUPPORT,
        "what_they_do": "Advice and peer support for grandparents and relatives bringing up a child.",
        "phone": "01632 960 410",
        "link_name": "Alan Price",
        "link_role": "Volunteer coordinator",
    },
    {
        "name": "Riverside Needle Exchange",
        "kind": ServiceKind.NEEDLE_EXCHANGE,
        "what_they_do": "Clean equipment, naloxone, safety boxes and advice on storing medicine at home.",
        "phone": "01632 960 500",
        "address": "14 Quay Street, Riverside",
        "hours": "Monday to Saturday 10am to 4pm",
    },
    {
        "name": "Riverside Domestic Abuse Service",
        "kind": ServiceKind.OTHER_SERVICE,
        "what_they_do": "Independent domestic violence advisers, refuge and a children's worker.",
        "phone": "01632 960 600",
        "out_of_hours": "National helpline 0808 2000 247",
    },
    {
        "name": "Riverside Safeguarding Children Partnership",
        "kind": ServiceKind.SAFEGUARDING_PARTNERSHIP,
        "what_they_do": "The borough's safeguarding partners (council, health, police) and the agencies that work "
        "with them: multi-agency procedures, training and case reviews.",
        "email": "rscp@riverside.example",
        "website": "https://rscp.riverside.example",
        "link_name": "Joan Whitfield",
        "link_role": "Partnership business manager",
    },
    {
        "name": "Health and Wellbeing Board",
        "kind": ServiceKind.HEALTH_AND_WELLBEING_BOARD,
        "what_they_do": "Sets the borough's joint health and wellbeing strategy; receives the drug and alcohol "
        "needs assessment.",
        "email": "hwb@riverside.example",
        "link_name": "Cllr Nadia Rahman",
        "link_role": "Chair",
    },
]
SUBGROUPS = [
    {
        "name": "Neglect and Hidden Harm subgroup",
        "kind": ServiceKind.PARTNERSHIP_SUBGROUP,
        "what_they_do": "Children affected by parental drug and alcohol use, mental ill health and domestic abuse.",
        "email": "rscp@riverside.example",
        "link_name": "Joan Whitfield",
        "link_role": "Partnership business manager",
    },
    {
        "name": "Learning and Improvement subgroup",
        "kind": ServiceKind.PARTNERSHIP_SUBGROUP,
        "what_they_do": "Child safeguarding practice reviews and what the partnership learns from them.",
        "email": "rscp@riverside.example",
    },
]


class DirectoryDemo:
    """Uses no random numbers, so the rest of the demo comes out as it always has."""

    def __init__(self, today: date, progress):
        self.today = today
        self.progress = progress

    def build(self, *, manager) -> None:
        self.progress("Local services and groups")
        made = {e["name"]: directory_services.add_local_service(added_by=manager, **e) for e in ENTRIES}
        partnership = made["Riverside Safeguarding Children Partnership"]
        for entry in SUBGROUPS:
            directory_services.add_local_service(added_by=manager, part_of=partnership, **entry)

    def link_families(self) -> None:
        """Guide, "family members should be supported in their own right": the family support service is in the
        network of the first families with children."""
        support = LocalService.objects.get(name=FAMILY_SUPPORT)
        with_children = (
            Household.objects.filter(members__role=MemberRole.CHILD, members__lives_here=True).distinct().order_by("pk")
        )
        for household in with_children[:3]:
            keyworker = household.service_users.order_by("pk").first().keyworker
            family_services.add_involvement(
                household=household,
                added_by=keyworker,
                name="Dee Morgan",
                service=support,
                role_in_family="Family support coordinator",
                responsibility="One-to-one support for the family; the weekly group",
                start_date=self.today,
            )
        # The grandmothers who help with the school run: their own needs, one referred (and taking up support), one
        # signposted (the keyworker has a task to ask how it went).
        kinship = LocalService.objects.get(name="Riverside Kinship Carers Network")
        grandmothers = HouseholdMember.objects.filter(role=MemberRole.EXTENDED_FAMILY).exclude(given_name="")
        for n, member in enumerate(grandmothers.order_by("pk")[:2]):
            keyworker = member.household.service_users.order_by("pk").first().keyworker
            carer = carer_services.record_carer(
                household=member.household,
                member=member,
                cares_for="Takes the children to school and has them after school most days",
                support_needs="Tired and worried about her daughter; would like to meet other grandparents in the "
                "same position, and advice on what to do if she finds medicine left out",
                identified_on=self.today - timedelta(days=40),
                recorded_by=keyworker,
            )
            offer = carer_services.offer_support(
                carer=carer,
                service=support if n == 0 else kinship,
                kind="referred" if n == 0 else "signposted",
                agreed=n == 0,
                offered_on=self.today - timedelta(days=35 if n == 0 else 10),
                offered_by=keyworker,
            )
            if n == 0:
                carer_services.record_support_outcome(
                    offer=offer,
                    outcome="taken_up",
                    outcome_on=self.today - timedelta(days=20),
                    note="Goes to the Wednesday group; has a one-to-one worker",
                    recorded_by=keyworker,
                )
