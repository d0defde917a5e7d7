"""Starting, answering and completing whole-family assessments."""

from datetime import date, timedelta

from django.db import transaction

from ostsafe.audit.services import record_change
from ostsafe.core.services import DomainError, apply_changes
from ostsafe.tasks import services as task_services
from ostsafe.visits import services as visit_services

from . import rules
from .models import (
    Answer,
    AnswerKind,
    Assessment,
    AssessmentStatus,
    PreBirthOutcome,
    PreBirthRequest,
    QuestionSet,
    RiskLevelPolicy,
)

# Sensible defaults if an administrator has removed a level's policy row (documented in docs/rules.md).
DEFAULT_POLICY = {"high": (28, 14), "medium": (56, 28), "low": (91, 91)}


def pre_birth_key(household_id: int) -> str:
    return f"assessments.pre_birth:{household_id}"


@transaction.atomic
def start_assessment(*, household, service_user, started_by) -> Assessment:
    """Start an assessment (or a reassessment) on the newest question set. An unfinished one is returned instead."""
    if service_user.household_id != household.pk:
        raise DomainError({"service_user": "Choose someone who lives in this household"})
    draft = household.assessments.filter(status=AssessmentStatus.DRAFT).first()
    if draft:
        return draft
    assessment = apply_changes(
        Assessment(household=household, service_user=service_user, started_by=started_by),
        {"question_set": QuestionSet.objects.order_by("-version").first()},
    )
    record_change(user=started_by, action="assessment.start", household_id=household.pk, detail=f"{assessment.pk}")
    return assessment


def _refuse_if_completed(assessment: Assessment):
    if assessment.is_completed:
        raise DomainError("A completed assessment cannot be changed. Start a reassessment instead")


@transaction.atomic
def save_answers(*, assessment: Assessment, answers: dict[str, str], saved_by) -> Assessment:
    """Save answers so far (draft). Unknown questions and answers outside a question's choices are refused."""
    _refuse_if_completed(assessment)
    questions = {q.key: q for q in assessment.question_set.questions.all()}
    errors = {}
    for key, value in answers.items():
        question = questions.get(key)
        if question is None:
            errors[key] = "This question is not part of this assessment"
        elif value and question.kind != AnswerKind.TEXT and value not in dict(question.choice_pairs()):
            errors[key] = f"Choose one of the answers for: {question.text}"
    if errors:
        raise DomainError(errors)
    existing = {a.question_id: a for a in assessment.answers.all()}
    changed, added = [], []
    for key, value in answers.items():
        answer = existing.get(questions[key].pk)
        if answer is None:
            added.append(Answer(assessment=assessment, question=questions[key], value=value))
        elif answer.value != value:
            answer.value = value
            changed.append(answer)
    Answer.objects.bulk_create(added)
    Answer.objects.bulk_update(changed, ["value"])
    record_change(
        user=saved_by, action="assessment.answer", household_id=assessment.household_id, detail=f"{assessment.pk}"
    )
    return assessment


def answers_of(assessment: Assessment) -> dict[str, str]:
    return {a.question.key: a.value for a in assessment.answers.select_related("question")}


def suggestion_for(assessment: Assessment) -> tuple[str, list[dict]]:
    return rules.suggest_level(assessment.question_set.questions.all(), answers_of(assessment))


@transaction.atomic
def complete_assessment(
    *, assessment: Assessment, practitioner_level: str, rationale: str, completed_by, completed_on: date
) -> Assessment:
    """Complete an assessment: every required question answered, the suggested level stored with its reasons, the
    practitioner's level recorded (a rationale required when it differs), the next review and home-visit frequency
    set from the level. Pregnancy makes a task to request a pre-birth assessment; a household with children and no
    recent home visit gets a "home visit needed" task."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _refuse_if_completed(assessment)
    answers = answers_of(assessment)
    questions = list(assessment.question_set.questions.all())
    unanswered = [q for q in questions if q.required and not answers.get(q.key, "").strip()]
    if unanswered:
        raise DomainError(
            {q.key: f"Answer this question before completing the assessment: {q.text}" for q in unanswered}
        )
    suggested, reasons = rules.suggest_level(questions, answers)
    if practitioner_level != suggested and not rationale.strip():
        raise DomainError(
            {"rationale": "Your level differs from the suggested level: explain why, from what you have seen"}
        )
    policy = RiskLevelPolicy.objects.filter(level=practitioner_level).first()
    review_days, visit_days = (
        (policy.review_after_days, policy.home_visit_every_days) if policy else DEFAULT_POLICY[practitioner_level]
    )
    apply_changes(
        assessment,
        {
            "status": AssessmentStatus.COMPLETED,
            "suggested_level": suggested,
            "suggested_reasons": reasons,
            "practitioner_level": practitioner_level,
            "rationale": rationale,
            "completed_by": completed_by,
            "completed_on": completed_on,
            "next_review_on": completed_on + timedelta(days=review_days),
            "home_visit_every_days": visit_days,
        },
    )
    household = assessment.household
    if answers.get("pregnant") == "yes":
        task_services.create_task(
            title="Consider asking children's social care for a pre-birth assessment",
            detail="Guide: if appropriate, ask Children's Social Care to conduct a pre-birth assessment. "
            "Record the request and its outcome on the Assessment tab.",
            household=household,
            service_user=assessment.service_user,
            assignee=completed_by,
            due_on=completed_on + timedelta(days=7),
            created_by=completed_by,
            rule="assessments.pre_birth",
            dedupe_key=pre_birth_key(household.pk),
        )
    if not household.assessments.completed().exclude(pk=assessment.pk).exists():
        visit_services.require_assessment_stage_visit(
            household=household, assessed_on=completed_on, assessed_by=completed_by
        )
    record_change(
        user=completed_by,
        action="assessment.complete",
        household_id=household.pk,
        detail=f"{assessment.pk} suggested {suggested} decided {practitioner_level}",
    )
    return assessment


@transaction.atomic
def record_pre_birth_request(
    *, household, service_user, requested_on: date, requested_to: str, requested_by, assessment=None
) -> PreBirthRequest:
    """Record that a pre-birth assessment was requested, and from whom. Closes the task that asked for it."""
    request = apply_changes(
        PreBirthRequest(household=household, service_user=service_user, requested_by=requested_by),
        {"requested_on": requested_on, "requested_to": requested_to, "assessment": assessment},
    )
    task_services.close_rule_task(
        dedupe_key=pre_birth_key(household.pk),
        outcome=f"Pre-birth assessment requested from {requested_to} on {requested_on:%-d %B %Y}",
        closed_by=requested_by,
    )
    record_change(user=requested_by, action="pre_birth.request", household_id=household.pk, detail=f"{request.pk}")
    return request


@transaction.atomic
def record_pre_birth_outcome(*, request: PreBirthRequest, outcome: str, outcome_on: date, note: str, recorded_by):
    """Record what children's social care decided."""
    if outcome == PreBirthOutcome.AWAITING:
        raise DomainError({"outcome": "Choose the outcome children's social care gave"})
    if outcome_on < request.requested_on:
        raise DomainError({"outcome_on": "The outcome date must be on or after the date of the request"})
    apply_changes(request, {"outcome": outcome, "outcome_on": outcome_on, "outcome_note": note})
    record_change(
        user=recorded_by, action="pre_birth.outcome", household_id=request.household_id, detail=f"{request.pk}"
    )
    return request
