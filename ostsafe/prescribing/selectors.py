"""Reads of prescriptions, shaped for the pages that show them."""

from dataclasses import dataclass, replace
from datetime import date
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Prefetch

from ostsafe.core import access
from ostsafe.families import selectors as families
from ostsafe.families.models import ServiceUser
from ostsafe.tasks.selectors import TaskRow, my_open_tasks, task_rows

from .models import Prescription, PrescriptionChange, Regime, TakeHomeDecision, TakeHomeReview
from .take_home import TAKE_HOME_REVIEW_RULE, CheckResult, children_involved_ids, evaluate_many


def current_prescriptions(as_of: date | None = None):
    return Prescription.objects.current(as_of).select_related("pharmacy", "prescriber")


def prescriptions_for_display():
    """Prescriptions with their pharmacy, prescriber and history of changes (newest first), in three queries."""
    return (
        Prescription.objects.select_related("pharmacy", "prescriber")
        .prefetch_related(Prefetch("changes", queryset=PrescriptionChange.objects.select_related("changed_by")))
        .order_by("-start_date", "-id")
    )


def take_home_overrides(user, *, limit: int = 200):
    """Take-home doses allowed although a safeguarding check was not met, in the families `user` may see."""
    return (
        TakeHomeDecision.objects.filter(all_checks_met=False)
        .filter(access.household_q(user, prefix="prescription__service_user__household__"))
        .select_related("prescription__service_user__household", "decided_by")
        .prefetch_related(Prefetch("reviews", queryset=TakeHomeReview.objects.select_related("reviewed_by")))[:limit]
    )


def prescriptions_by_service_user(service_users, as_of: date) -> dict:
    """Every prescription of these service users, newest first, with history (the family pages' panel)."""
    found: dict[int, list] = {}
    for prescription in prescriptions_for_display().filter(service_user__in=service_users):
        found.setdefault(prescription.service_user_id, []).append(prescription)
    return found


class Prescribed(NamedTuple):
    regime_label: str


class Unmet(NamedTuple):
    label: str


class TakeHomeChecks(NamedTuple):
    checked: bool
    unmet: tuple[Unmet, ...]


class CaseloadRegime(NamedTuple):
    prescriptions: tuple[Prescribed, ...]
    take_home: tuple[TakeHomeChecks, ...]


def caseload_regime(service_users, as_of: date) -> dict[int, CaseloadRegime]:
    """The caseload's regime column: {service user id: their current prescriptions on `as_of` and, for each
    take-home one, whether its checks were asked and which are not met}. A fixed number of queries."""
    # Only what the column says of each (its pharmacy and prescriber are on the family's pages).
    current = list(
        Prescription.objects.current(as_of)
        .filter(service_user__in=service_users)
        .only("service_user_id", "regime", "take_home_days")
    )
    prescribed: dict[int, list[Prescribed]] = {}
    for prescription in current:
        prescribed.setdefault(prescription.service_user_id, []).append(Prescribed(prescription.regime_label))
    status = take_home_status(list(service_users), as_of, current=current)
    return {
        su.pk: CaseloadRegime(
            tuple(prescribed.get(su.pk, ())),
            tuple(
                TakeHomeChecks(row.checked, tuple(Unmet(check.label) for check in row.unmet))
                for row in status.get(su.pk, [])
            ),
        )
        for su in service_users
    }


def with_take_home_checks_unmet(service_users, value: str, as_of: date):
    """Narrow the caseload to those with a current take-home prescription whose safeguarding checks are not met today
    (the caseload's filter): the checks are read for the take-home clients among them, in a fixed number of
    queries."""
    taking_home = list(
        ServiceUser.objects.filter(pk__in=service_users.values("pk"))
        .filter(Exists(current_prescriptions(as_of).filter(service_user=OuterRef("pk"), regime=Regime.TAKE_HOME)))
        .only("pk", "household_id")
    )
    unmet = {su_id for su_id, rows in take_home_status(taking_home, as_of).items() if any(r.unmet for r in rows)}
    return service_users.filter(pk__in=unmet)


def with_current_regime(service_users, regime: str, as_of: date):
    """Narrow service users to those with a current prescription on this regime (the caseload's filter)."""
    return service_users.filter(Exists(current_prescriptions(as_of).filter(service_user=OuterRef("pk"), regime=regime)))


def prescribed_substances(household_ids, as_of: date) -> dict[int, set[str]]:
    """{service user id: the test substances their current OST prescription accounts for} ("methadone",
    "buprenorphine"), so a positive test for a prescribed drug is not read as illicit use."""
    found: dict[int, set[str]] = {}
    for prescription in Prescription.objects.current(as_of).filter(service_user__household_id__in=household_ids):
        substance = "methadone" if prescription.drug.startswith("methadone") else "buprenorphine"
        found.setdefault(prescription.service_user_id, set()).add(substance)
    return found


@dataclass(frozen=True)
class TakeHomeStatus:
    """A current take-home prescription and its safeguarding checks today (checked only where children are
    involved; `unmet` lists those not met)."""

    service_user: object
    prescription: Prescription
    checked: bool
    unmet: list[CheckResult]
    review: TakeHomeReview | None = None


def take_home_status(service_users: list, as_of: date, *, current=None) -> dict[int, list[TakeHomeStatus]]:
    """{service user id: their current take-home prescriptions with the checks not met today}, for the caseload, the
    family pages and the prescriber's list. A fixed number of queries for any number of service users; `current`,
    their current prescriptions if the caller has already read them, saves one."""
    if current is None:
        prescriptions = list(
            current_prescriptions(as_of).filter(
                service_user__in=[su.pk for su in service_users],
                service_user__discharged_on__isnull=True,
                regime=Regime.TAKE_HOME,
            )
        )
    else:
        in_treatment = {su.pk for su in service_users if su.discharged_on is None}
        prescriptions = [p for p in current if p.regime == Regime.TAKE_HOME and p.service_user_id in in_treatment]
    if not prescriptions:
        return {}
    by_id = {su.pk: su for su in service_users}
    taking_home = [by_id[su_id] for su_id in dict.fromkeys(p.service_user_id for p in prescriptions)]
    involved = children_involved_ids(taking_home, as_of)
    checks = evaluate_many(service_users=[su for su in taking_home if su.pk in involved], as_of=as_of)
    found: dict[int, list[TakeHomeStatus]] = {}
    for prescription in prescriptions:
        su_id = prescription.service_user_id
        unmet = [c for c in checks.get(su_id, []) if not c.met]
        found.setdefault(su_id, []).append(TakeHomeStatus(by_id[su_id], prescription, su_id in involved, unmet))
    return found


def take_home_unmet(user, as_of: date, *, prescriber=None) -> list[TakeHomeStatus]:
    """Current take-home prescriptions, in the families `user` may see, whose safeguarding checks are not met today,
    each with the latest manager's review of the same unmet checks (if any). Optionally only one prescriber's."""
    take_home = current_prescriptions(as_of).filter(regime=Regime.TAKE_HOME)
    if prescriber is not None:
        take_home = take_home.filter(prescriber=prescriber)
    service_users = list(
        ServiceUser.objects.visible_to(user)
        .filter(discharged_on__isnull=True, pk__in=take_home.values("service_user_id"))
        .select_related("household")
        .order_by("family_name", "given_name", "id")
    )
    status = take_home_status(service_users, as_of)
    rows = [
        row
        for su in service_users
        for row in status.get(su.pk, [])
        if row.unmet and (prescriber is None or row.prescription.prescriber_id == prescriber.pk)
    ]
    latest: dict[int, TakeHomeReview] = {}
    reviews = TakeHomeReview.objects.filter(prescription__in=[row.prescription for row in rows], decision__isnull=True)
    for review in reviews.select_related("reviewed_by").order_by("reviewed_at", "id"):
        latest[review.prescription_id] = review
    found = []
    for row in rows:
        seen = latest.get(row.prescription.pk)
        # A review covers the checks it saw not met: another one lapsing since asks for a new review (one met since
        # does not).
        covers = seen is not None and {c.key for c in row.unmet} <= set(seen.unmet_checks)
        found.append(replace(row, review=seen) if covers else row)
    return found


def take_home_summary(household, as_of: date) -> list[TakeHomeStatus]:
    """Take-home status at the top of every tab: each person in treatment with current take-home doses, and which of
    the safeguarding checks are not met today where children are involved (the checks are the ones a take-home
    decision shows). A household read for its overview page gives its people in treatment without asking again."""
    if families.loaded_for_page(household):
        service_users = families.in_treatment_with_children(household, as_of)
    else:
        service_users = list(household.service_users.filter(discharged_on__isnull=True).select_related("household"))
    found = take_home_status(service_users, as_of)
    return [row for su in service_users for row in found.get(su.pk, [])]


# The missed-dose rule is the pharmacy's (pharmacy.services), which sits above this app: its tasks are read by name.
MISSED_DOSES_RULE = "pharmacy.missed_doses"


def prescribing_tasks(user) -> list[TaskRow]:
    """The prescriber's open review tasks (take-home reviews, missed-dose reviews) in families they may see, soonest
    first. One query."""
    return task_rows(my_open_tasks(user).filter(rule__in=[TAKE_HOME_REVIEW_RULE, MISSED_DOSES_RULE]))
