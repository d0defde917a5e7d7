from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from ostsafe.core.households import DONE, NOT_STARTED, STARTED
from ostsafe.families.models import MemberRole
from ostsafe.monitoring import selectors as monitoring_selectors
from ostsafe.pharmacy import selectors as pharmacy_selectors
from ostsafe.prescribing.take_home import CheckResult
from ostsafe.visits import selectors as visit_selectors

from .models import Answer, Assessment, AssessmentStatus, PreBirthRequest, RiskLevel, RiskLevelPolicy, Section


@dataclass(frozen=True)
class RecordFact:
    """What the family's record already says about a question, and the evidence for it."""

    value: str  # "yes" | "no"
    evidence: str


def record_facts(household, as_of: date) -> dict[str, RecordFact]:
    """Answers the record already gives (guide, "Professional curiosity": someone also using OST residing with the
    child; unknown adults staying in the family home; pregnancy), to prefill an assessment and to hold it to.
    Three queries."""
    members = list(
        household.members.current(as_of)
        .select_related("service_user")
        .filter(Q(lives_here=True) | Q(role=MemberRole.UNKNOWN_ADULT))
    )
    in_treatment = list(household.service_users.filter(discharged_on__isnull=True).order_by("pk"))
    linked = {m.service_user_id for m in members if m.service_user_id}
    others_on_ost = [su.full_name for su in in_treatment[1:]] + [
        f"{m.display_name} (prescribed elsewhere)"
        for m in members
        if m.lives_here and m.ost_elsewhere and m.service_user_id not in linked | {su.pk for su in in_treatment}
    ]
    unknown = [m for m in members if m.role == MemberRole.UNKNOWN_ADULT]
    unborn = [m for m in members if m.is_unborn]
    return {
        "another_ost_user": RecordFact(
            "yes" if others_on_ost else "no",
            f"also on OST in this household: {', '.join(others_on_ost)}" if others_on_ost else "no one else on OST",
        ),
        "unknown_adults": RecordFact(
            "yes" if unknown else "no",
            f"an unknown adult reported since {min(m.start_date or as_of for m in unknown):%-d %B %Y}"
            if unknown
            else "no unknown adult reported",
        ),
        "pregnant": RecordFact(
            "yes" if unborn else "no",
            f"an unborn child due {unborn[0].expected_due_date:%-d %B %Y}" if unborn else "no unborn child recorded",
        ),
    }


@dataclass(frozen=True)
class Evidence:
    """What the record holds that bears on a question, shown beside it, with the tab where it is."""

    text: str
    url_name: str


EVIDENCE_WEEKS = 12


def record_evidence(household, as_of: date) -> dict[str, Evidence]:
    """Beside the questions the record can inform, what it holds (guide, "Professional curiosity": look at
    attendance, test results and what others say): the last home visit, missed appointments, positive tests and
    concerns of the last twelve weeks. A fixed number of queries."""
    since = as_of - timedelta(weeks=EVIDENCE_WEEKS)
    ids = [household.pk]
    found: dict[str, Evidence] = {}
    last_visit = visit_selectors.last_completed_visit_on(ids).get(household.pk)
    found["children_seen"] = Evidence(
        f"the last home visit was on {last_visit:%-d %B %Y}" if last_visit else "no home visit recorded yet",
        "visits:tab",
    )
    outcomes = monitoring_selectors.appointment_outcomes(ids, since, as_of).get(household.pk, [])
    missed = sum(1 for row in outcomes if row.outcome == "missed")
    found["attendance_changed"] = Evidence(
        f"{missed} of {len(outcomes)} appointments missed in the last {EVIDENCE_WEEKS} weeks"
        if outcomes
        else f"no appointments recorded in the last {EVIDENCE_WEEKS} weeks",
        "pharmacy:tab",
    )
    positives = [t for t in monitoring_selectors.tests_between(ids, since, as_of).get(household.pk, []) if t.positive]
    found["use_increasing"] = Evidence(
        f"{len(positives)} positive test{'s' if len(positives) != 1 else ''} in the last {EVIDENCE_WEEKS} weeks"
        + (f" ({', '.join(sorted({t.get_substance_display().lower() for t in positives}))})" if positives else ""),
        "pharmacy:tab",
    )
    concerns = len(monitoring_selectors.concerns_since(ids, since).get(household.pk, []))
    concerns += len(pharmacy_selectors.pharmacy_concerns_since(ids, since).get(household.pk, []))
    found["concerns_from_others"] = Evidence(
        f"{concerns} concern{'s' if concerns != 1 else ''} recorded in the last {EVIDENCE_WEEKS} weeks",
        "pharmacy:tab",
    )
    return found


@dataclass(frozen=True)
class SectionProgress:
    key: str
    label: str
    answered: int
    total: int
    required: int
    required_answered: int

    @property
    def status(self) -> str:
        if self.required_answered == self.required and self.answered:
            return "Completed"
        return "In progress" if self.answered else "Not yet started"


def section_progress(assessment: Assessment) -> list[SectionProgress]:
    """Each section of the assessment, in question order, with how many of its questions are answered (the task
    list)."""
    answers = {a.question.key: a.value for a in assessment.answers.select_related("question")}
    sections: dict[str, list] = {}
    for question in assessment.question_set.questions.all():
        sections.setdefault(question.section, []).append(question)
    progress = []
    for key, questions in sections.items():
        answered = [q for q in questions if answers.get(q.key, "").strip()]
        progress.append(
            SectionProgress(
                key=key,
                label=Section(key).label,
                answered=len(answered),
                total=len(questions),
                required=sum(1 for q in questions if q.required),
                required_answered=sum(1 for q in answered if q.required),
            )
        )
    return progress


def contradictions(facts: dict[str, RecordFact], answers: dict[str, str]) -> dict[str, RecordFact]:
    """The answers that say "no" where the record shows "yes": each needs a reason."""
    return {key: fact for key, fact in facts.items() if fact.value == "yes" and answers.get(key) == "no"}


def assessments_for_household(household):
    """Every assessment of the household, newest first, with answers and questions in a fixed number of queries."""
    return (
        Assessment.objects.filter(household=household)
        .select_related("question_set", "started_by", "completed_by", "service_user")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("question")))
        .order_by("-completed_on", "-started_at", "-id")
    )


def latest_completed(household) -> Assessment | None:
    return (
        Assessment.objects.filter(household=household, status=AssessmentStatus.COMPLETED)
        .select_related("completed_by")
        .order_by("-completed_on", "-id")
        .first()
    )


def pre_birth_requests(household):
    return PreBirthRequest.objects.filter(household=household).select_related("requested_by", "service_user")


CHECK_FIELDS = ("household_id", "status", "completed_on", "completed_by", "practitioner_level", "next_review_on")


def current_assessment_checks(*, service_users: list, as_of: date) -> dict[int, CheckResult]:
    """Take-home check: a whole-family assessment that is completed and not overdue for review. One query."""
    label = "A current whole-family risk assessment (not overdue for review)"
    latest: dict[int, Assessment] = {}
    completed = Assessment.objects.filter(
        household_id__in={su.household_id for su in service_users}, status=AssessmentStatus.COMPLETED
    )
    # Only what the check says: a family's assessments carry their weights and reasons too.
    completed = completed.select_related("completed_by").only(
        *CHECK_FIELDS, "completed_by__full_name", "completed_by__email"
    )
    for assessment in completed.order_by("completed_on", "id"):
        latest[assessment.household_id] = assessment
    found = {}
    for service_user in service_users:
        assessment = latest.get(service_user.household_id)
        found[service_user.pk] = _assessment_check(label, assessment, as_of)
    return found


def _assessment_check(label: str, latest: Assessment | None, as_of: date) -> CheckResult:
    if latest is None:
        return CheckResult("current_assessment", label, False, "No completed whole-family assessment")
    evidence = (
        f"Completed {latest.completed_on:%-d %B %Y} by {latest.completed_by}, level "
        f"{latest.get_practitioner_level_display().lower()}, review due {latest.next_review_on:%-d %B %Y}"
    )
    if latest.is_overdue(as_of):
        return CheckResult("current_assessment", label, False, f"Review overdue. {evidence}")
    return CheckResult("current_assessment", label, True, evidence)


def side_by_side(assessment: Assessment, previous: Assessment | None) -> list[dict]:
    """Rows of (question, this answer, previous answer, changed?) for the reassessment comparison."""
    previous_answers = {a.question.key: a.value for a in previous.answers.all()} if previous else {}
    rows = []
    for answer_question in sorted(assessment.answers.all(), key=lambda a: a.question.order):
        question = answer_question.question
        labels = dict(question.choice_pairs())
        before = previous_answers.get(question.key)
        rows.append(
            {
                "section": question.get_section_display(),
                "question": question.text,
                "answer": labels.get(answer_question.value, answer_question.value),
                "previous": labels.get(before, before) if before is not None else None,
                "changed": previous is not None and before != answer_question.value,
            }
        )
    return rows


def risk_level_policies():
    """What each risk level means for practice, lowest review interval first."""
    return RiskLevelPolicy.objects.order_by("review_after_days")


def latest_completed_for_sharing(household, as_of: date) -> Assessment | None:
    """The latest completed assessment, for a partner whose consent or recorded decision covers it, or a referral."""
    return latest_completed(household)


def completed_by_household(household_ids) -> dict[int, list[Assessment]]:
    """Each household's completed assessments, oldest first, with the risk weight kept for each domain (the
    warning-signs engine looks for domains that do not improve). One query."""
    found: dict[int, list[Assessment]] = {}
    assessments = Assessment.objects.filter(household_id__in=household_ids, status=AssessmentStatus.COMPLETED).only(
        "household_id", "completed_on", "domain_weights"
    )
    for assessment in assessments.order_by("completed_on", "pk"):
        found.setdefault(assessment.household_id, []).append(assessment)
    return found


# The caseload: the decided risk level of each family (core.households: a column, a sort key and a filter) ----------

RISK_RANK = {RiskLevel.HIGH: 3, RiskLevel.MEDIUM: 2, RiskLevel.LOW: 1}
NOT_ASSESSED_RANK = 2  # a family nobody has assessed sorts with medium risk: not known to be low


class CaseloadLevel(NamedTuple):
    practitioner_level: str
    completed_on: date


def caseload_levels(rows, as_of: date) -> dict[int, CaseloadLevel | None]:
    """For each caseload row (a service user), their household's decided level from its latest completed assessment
    (None: not assessed). One query."""
    latest: dict[int, CaseloadLevel] = {}
    completed = Assessment.objects.completed().filter(household_id__in={row.household_id for row in rows})
    for household_id, level, completed_on in completed.order_by("household_id", "-completed_on", "-pk").values_list(
        "household_id", "practitioner_level", "completed_on"
    ):
        latest.setdefault(household_id, CaseloadLevel(level, completed_on))
    return {row.pk: latest.get(row.household_id) for row in rows}


def _latest_completed_of_the_row():
    """The caseload row's family's completed assessments, latest first (for subqueries on the row)."""
    return Assessment.objects.completed().filter(household=OuterRef("household")).order_by("-completed_on", "-pk")


def decided_level(household) -> str | None:
    """The family's decided risk level (its latest completed assessment's), or None: not assessed."""
    latest = latest_completed(household)
    return latest.practitioner_level if latest else None


def household_decided_level():
    """The decided risk level of a household row (a subquery on `pk`), None when not assessed."""
    return Subquery(
        Assessment.objects.completed()
        .filter(household=OuterRef("pk"))
        .order_by("-completed_on", "-pk")
        .values("practitioner_level")[:1]
    )


def risk_rank(as_of: date):
    """The family's decided risk as a number to sort by (high first); not assessed sorts with medium."""
    ranked = (
        _latest_completed_of_the_row()
        .annotate(
            rank=Case(
                *[When(practitioner_level=level, then=Value(rank)) for level, rank in RISK_RANK.items()],
                default=Value(NOT_ASSESSED_RANK),
                output_field=IntegerField(),
            )
        )
        .values("rank")[:1]
    )
    return Coalesce(Subquery(ranked, output_field=IntegerField()), Value(NOT_ASSESSED_RANK))


def with_risk(rows, value: str, as_of: date):
    """The caseload narrowed to families whose decided risk is `value`, or who have not been assessed."""
    rows = rows.annotate(decided_level=Subquery(_latest_completed_of_the_row().values("practitioner_level")[:1]))
    if value == "not_assessed":
        return rows.filter(decided_level__isnull=True)
    return rows.filter(decided_level=value)


def checklist_status(household, as_of: date) -> str:
    """The new-family checklist's first step: the whole-family assessment."""
    if Assessment.objects.completed().filter(household=household).exists():
        return DONE
    return STARTED if Assessment.objects.filter(household=household).exists() else NOT_STARTED


def compliance_assessment_current(as_of: date):
    """Managers' dashboard: the family's whole-family assessment is completed and not overdue for review (an
    expression over a household row)."""
    return Exists(
        Assessment.objects.filter(
            household=OuterRef("pk"),
            status=AssessmentStatus.COMPLETED,
            completed_on__lte=as_of,
            next_review_on__gte=as_of,
        )
    )
