"""Take-home dose safeguarding checks: a list that other apps extend.

Guide, "OST and risk reduction": "Safeguarding children should be a primary factor in decisions about OST, including
which drug to prescribe and whether to permit take-home doses." When a regime would start (or lengthen) take-home
doses for someone who lives with or has contact with children, every registered check is evaluated and shown with
its evidence. Each app registers its own check in its AppConfig.ready(): assessments (a current whole-family
assessment), visits (storage seen and satisfactory), storage (a safety box issued); the plans work adds the signed
guidance agreement the same way.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date

from ostsafe.families.models import ChildContact, HouseholdMember

from .models import Drug, Regime

# The task a prescriber is given when what is known about a family changes (prescribing.services).
TAKE_HOME_REVIEW_RULE = "prescribing.take_home_review"


@dataclass(frozen=True)
class CheckResult:
    key: str
    label: str
    met: bool
    evidence: str

    def as_dict(self) -> dict:
        return asdict(self)


# A check answers for many people at once, called as check(service_users=[...], as_of=...) and returning
# {service user id: CheckResult}, in a fixed number of queries: the caseload, the prescriber's list and the overrides
# list show the checks for every row, and one person's prescription form asks the same function for one.
Check = Callable[..., dict[int, CheckResult]]
_CHECKS: list[tuple[int, Check]] = []


def register_check(check: Check, *, order: int) -> None:
    """Add a check. Registering the same function twice is a no-op."""
    if all(existing is not check for _, existing in _CHECKS):
        _CHECKS.append((order, check))
        _CHECKS.sort(key=lambda pair: pair[0])


def evaluate(*, service_user, as_of: date) -> list[CheckResult]:
    return evaluate_many(service_users=[service_user], as_of=as_of)[service_user.pk]


def evaluate_many(*, service_users: list, as_of: date) -> dict[int, list[CheckResult]]:
    """Every registered check for each of these service users: one call of each check for all of them."""
    if not service_users:
        return {}
    answers = [check(service_users=service_users, as_of=as_of) for _, check in _CHECKS]
    return {su.pk: [answer[su.pk] for answer in answers] for su in service_users}


def children_involved(service_user, as_of: date) -> bool:
    """Lives with a child, or has contact with one who lives elsewhere (guide: "contact or are living with")."""
    return service_user.pk in children_involved_ids([service_user], as_of)


def children_involved_ids(service_users: list, as_of: date) -> set[int]:
    """The ids of those of these service users who live with a child or have contact with one. Two queries."""
    if not service_users:
        return set()
    if all(hasattr(su, "has_children_living") and hasattr(su, "has_child_contacts") for su in service_users):
        # Caseload rows carry both already (families.selectors.caseload annotates them for the same day).
        return {su.pk for su in service_users if su.has_children_living or su.has_child_contacts}
    households = {su.household_id for su in service_users}
    with_children = set(
        HouseholdMember.objects.current(as_of)
        .children()
        .filter(household_id__in=households, lives_here=True)
        .values_list("household_id", flat=True)
    )
    in_contact = set(
        ChildContact.objects.filter(service_user__in=[su.pk for su in service_users]).values_list(
            "service_user_id", flat=True
        )
    )
    return {su.pk for su in service_users if su.household_id in with_children or su.pk in in_contact}


def raises_take_home_risk(previous, prescription) -> bool:
    """Whether this prescription (new, or changed from `previous`) is a take-home decision: take-home doses start,
    or more days are taken home at once, or a bigger daily dose or another drug goes home. Guide: every path into
    the same risk is the same decision (a dose increase on a take-home prescription is one)."""
    if prescription.regime != Regime.TAKE_HOME:
        return False
    if previous is None or previous.regime != Regime.TAKE_HOME:
        return True
    return (
        (prescription.take_home_days or 0) > (previous.take_home_days or 0)
        or prescription.daily_dose > previous.daily_dose
        or prescription.drug != previous.drug
    )


# Guide: "including which drug to prescribe". Shown beside the checks so the prescriber can weigh the choice.
DRUG_RISK_TO_CHILDREN = [
    (
        Drug.METHADONE_ORAL_SOLUTION,
        "Highest",
        "A liquid: a small amount swallowed can kill a child, and bottles are easy to open and to mistake for a drink.",
    ),
    (
        Drug.BUPRENORPHINE_SUBLINGUAL,
        "High",
        "Tablets are dangerous to children if swallowed or chewed; fewer deaths are reported than with methadone.",
    ),
    (
        Drug.BUPRENORPHINE_NALOXONE,
        "High, slightly lower",
        "Naloxone deters misuse by injection but does not make the tablet safe for a child who swallows it.",
    ),
    (
        Drug.BUPRENORPHINE_PROLONGED_RELEASE,
        "Lowest",
        "Injected by the service weekly or monthly: nothing is kept at home.",
    ),
]
