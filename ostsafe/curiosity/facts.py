"""What the warning-sign rules read about a family, loaded for many families at once.

`load(households, as_of, policy)` asks each app's selectors once for the whole batch (about twenty queries, whatever
the number of families), so the nightly sweep reads the region in chunks and one family's evaluation after a change is
the same code with a batch of one. The rules then work on these facts in memory and never query, except on the rare
path that needs a count between two dates of one family (`contacts_between`).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from ostsafe.assessments import selectors as assessments
from ostsafe.families import selectors as families
from ostsafe.families.models import Household, MemberRole
from ostsafe.monitoring import selectors as monitoring
from ostsafe.pharmacy import selectors as pharmacy
from ostsafe.pharmacy.models import PharmacyPolicy
from ostsafe.plans import selectors as plans
from ostsafe.prescribing import selectors as prescribing
from ostsafe.sharing import selectors as sharing
from ostsafe.sharing.models import PartnerReportKind
from ostsafe.visits import selectors as visits

from .models import Observation


@dataclass
class FamilyFacts:
    household: Household
    service_users: list = field(default_factory=list)  # in treatment
    members: list = field(default_factory=list)  # recorded in the household on the day
    appointments: list = field(default_factory=list)  # with an outcome, oldest first, over the widest window
    last_attended_on: date | None = None
    last_visit_on: date | None = None
    tests: list = field(default_factory=list)
    prescribed: dict = field(default_factory=dict)  # {service user id: {"methadone", ...}}
    missed_runs: list = field(default_factory=list)
    doses_recorded: bool = False  # any dispensing record in the disengagement window
    partner_reports: list = field(default_factory=list)  # newest first, every kind
    concerns: list = field(default_factory=list)
    pharmacy_concerns: list = field(default_factory=list)
    child_health_reporter: bool = False
    occasions: list = field(default_factory=list)  # (date, what) reviews and meetings
    actions_not_carried_out: list = field(default_factory=list)
    actions_deferred: list = field(default_factory=list)
    noticed_at_reviews: list = field(default_factory=list)
    assessments: list = field(default_factory=list)  # completed, oldest first
    observations: list = field(default_factory=list)  # oldest first

    @property
    def children(self) -> list:
        return sorted(
            (m for m in self.members if m.role == MemberRole.CHILD and m.lives_here),
            key=lambda m: (m.date_of_birth or date.min, m.pk),
        )

    @property
    def unknown_adults(self) -> list:
        return [m for m in self.members if m.role == MemberRole.UNKNOWN_ADULT]

    @property
    def on_ost_elsewhere(self) -> list:
        return [m for m in self.members if m.ost_elsewhere and m.lives_here]

    def name_of(self, service_user_id: int) -> str:
        return next((su.full_name for su in self.service_users if su.pk == service_user_id), "")

    def reports(self, kinds, since: date) -> list:
        return [r for r in self.partner_reports if r.kind in kinds and r.happened_on >= since]

    def contacts_between(self, since: date, until: date) -> int:
        """Attended appointments and completed home visits between the dates (two queries; a rare path)."""
        return monitoring.attended_between(self.household, since, until) + visits.completed_visits_between(
            self.household, since, until
        )


def windows(policy) -> dict[str, int]:
    """How far back each kind of record is read, in days before the day evaluated: the widest any rule needs."""
    attendance = policy.attendance_recent_days + policy.attendance_baseline_days
    before_review = 2 * policy.compliance_before_review_days + policy.attendance_baseline_days
    return {
        "appointments": max(attendance, before_review, policy.disengagement_window_days),
        "tests": policy.attendance_recent_days + policy.attendance_baseline_days,
        "reports": max(policy.concern_window_days, policy.child_event_window_days, policy.compliance_window_days + 7),
    }


def load(households, as_of: date, policy) -> list[FamilyFacts]:
    households = list(households)
    ids = [h.pk for h in households]
    days = windows(policy)
    back = lambda n: as_of - timedelta(days=n)  # noqa: E731 - read as "n days back"
    review_weeks = timedelta(days=policy.compliance_before_review_days)
    sources = {
        "service_users": families.service_users_in_treatment(ids),
        "members": families.members_now(ids, as_of),
        "appointments": monitoring.appointment_outcomes(ids, back(days["appointments"]), as_of),
        "last_attended_on": monitoring.last_attended_on(ids, as_of),
        "last_visit_on": visits.last_completed_visit_on(ids),
        "tests": monitoring.tests_between(ids, back(days["tests"]), as_of),
        "missed_runs": pharmacy.missed_runs_since(
            ids, back(policy.disengagement_window_days), PharmacyPolicy.current().missed_doses_for_review
        ),
        # Every kind of partner report: each rule picks its own.
        "partner_reports": sharing.partner_reports_since(ids, PartnerReportKind.values, back(days["reports"])),
        "concerns": monitoring.concerns_since(ids, back(policy.concern_window_days)),
        "pharmacy_concerns": pharmacy.pharmacy_concerns_since(ids, back(policy.concern_window_days)),
        "occasions": plans.reviews_and_meetings(ids, as_of - review_weeks, as_of + review_weeks),
        "actions_not_carried_out": plans.actions_not_carried_out(ids, back(policy.compliance_action_overdue_days)),
        "actions_deferred": plans.actions_deferred(ids, policy.compliance_deferrals),
        "noticed_at_reviews": plans.compliance_noticed_at_reviews(ids, back(policy.compliance_window_days)),
        "assessments": assessments.completed_by_household(ids),
        "observations": _observations(ids, back(policy.compliance_window_days)),
    }
    dosed = pharmacy.households_with_doses_since(ids, back(policy.disengagement_window_days))
    prescribed = prescribing.prescribed_substances(ids, as_of)
    reporters = sharing.child_health_reporters(ids)
    facts = []
    for household in households:
        family = FamilyFacts(
            household=household, child_health_reporter=household.pk in reporters, doses_recorded=household.pk in dosed
        )
        for name, by_household in sources.items():
            value = by_household.get(household.pk)
            if value is not None:
                setattr(family, name, value)
        family.prescribed = {su.pk: prescribed.get(su.pk, set()) for su in family.service_users}
        facts.append(family)
    return facts


def _observations(household_ids, since: date) -> dict[int, list[Observation]]:
    found: dict[int, list[Observation]] = {}
    observations = Observation.objects.filter(household_id__in=household_ids, noticed_on__gte=since)
    for observation in observations.select_related("service_user").order_by("noticed_on", "pk"):
        found.setdefault(observation.household_id, []).append(observation)
    return found
