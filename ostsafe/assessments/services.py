"""Starting, answering and completing whole-family assessments."""

from datetime import date, timedelta

from django.db import transaction

from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_change
from ostsafe.core.services import DomainError, apply_changes
from ostsafe.core.validators import today
from ostsafe.families import selectors as families
from ostsafe.prescribing import services as prescribing_services
from ostsafe.sharing import services as sharing_services
from ostsafe.tasks import services as task_services
from ostsafe.tasks.models import Task, TaskStatus
from ostsafe.visits import services as visit_services

from . import rules, selectors
from .models import (
    Answer,
    AnswerKind,
    Assessment,
    AssessmentStatus,
    FamilyView,
    PreBirthOutcome,
    PreBirthRequest,
    QuestionSet,
    RiskLevelPolicy,
)

# Sensible defaults if an administrator has removed a level's policy row (documented in docs/rules.md).
DEFAULT_POLICY = {"high": (28, 14), "medium": (56, 28), "low": (91, 91)}
LEVEL_RANK = {"low": 1, "medium": 2, "high": 3}


def pre_birth_key(household_id: int) -> str:
    return f"assessments.pre_birth:{household_id}"


def assessment_needed_key(household_id: int) -> str:
    return f"assessments.needed:{household_id}"


ASSESS_WITHIN_DAYS = 14


@transaction.atomic
def require_assessment(household, as_of: date) -> None:
    """Guide: assess the whole family where children live with or visit a parent in treatment. A family with children
    (living there, or in contact with someone in treatment) and no completed assessment gets one "Assess this family"
    task for its keyworker (a team manager when there is none); the task closes when an assessment is completed."""
    from ostsafe.accounts.selectors import team_manager_for
    from ostsafe.families import selectors as families

    if household.assessments.completed().exists() or not families.has_children(household, as_of):
        return
    in_treatment = household.service_users.filter(discharged_on__isnull=True).select_related("keyworker")
    first = in_treatment.order_by("pk").first()
    if first is None:
        return
    assignee = first.keyworker or team_manager_for(household, None)
    if assignee is None:
        return
    task_services.create_task(
        title="Assess this family",
        detail="Children live here or are in contact, and no whole-family risk assessment has been completed.",
        household=household,
        service_user=first,
        assignee=assignee,
        due_on=as_of + timedelta(days=ASSESS_WITHIN_DAYS),
        rule="assessments.needed",
        dedupe_key=assessment_needed_key(household.pk),
    )


def require_all_assessments(*, as_of: date) -> int:
    """The daily pass of `require_assessment` over every family with no completed assessment. Returns how many such
    families have an open "Assess this family" task afterwards."""
    from ostsafe.families.models import Household

    for household in Household.objects.exclude(assessments__status=AssessmentStatus.COMPLETED).order_by("pk"):
        require_assessment(household, as_of)
    return Task.objects.filter(rule="assessments.needed", status=TaskStatus.OPEN).count()


def require_assessment_after_change(household_id: int) -> None:
    """The change listener (core.changes): a family whose record just changed may now need assessing."""
    from ostsafe.families.models import Household

    household = Household.objects.filter(pk=household_id).first()
    if household is not None:
        require_assessment(household, today())


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
    record_change(
        user=started_by, action=AuditAction.ASSESSMENT_START, household_id=household.pk, detail=f"{assessment.pk}"
    )
    return assessment


def _refuse_if_completed(assessment: Assessment):
    if assessment.is_completed:
        raise DomainError("A completed assessment cannot be changed. Start a reassessment instead")


def _refuse_unexplained_contradictions(assessment: Assessment, answers: dict[str, str], reasons: dict[str, str]):
    """Guide: "work with evidence, not optimism". Answering "no" where the family's record shows "yes" (another OST
    user at home, an unknown adult, a pregnancy) needs a reason, kept with the answer."""
    facts = selectors.record_facts(assessment.household, today())
    errors = {
        key: f"The family's record shows {fact.evidence}. Say why your answer is different, or answer yes"
        for key, fact in selectors.contradictions(facts, answers).items()
        if not (reasons.get(key) or "").strip()
    }
    if errors:
        raise DomainError(errors)


@transaction.atomic
def save_answers(*, assessment: Assessment, answers: dict[str, str], saved_by, reasons=None) -> Assessment:
    """Save answers so far (draft). Unknown questions and answers outside a question's choices are refused, and so
    is an answer that contradicts the family's record without a reason (`reasons`, by question key)."""
    _refuse_if_completed(assessment)
    reasons = {**_saved_reasons(assessment), **{k: v for k, v in (reasons or {}).items() if v is not None}}
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
    unknown_reasons = set(reasons) - set(questions)
    if unknown_reasons:
        raise DomainError(dict.fromkeys(unknown_reasons, "This question is not part of this assessment"))
    _refuse_unexplained_contradictions(assessment, {**answers_of(assessment), **answers}, reasons)
    existing = {a.question_id: a for a in assessment.answers.all()}
    changed, added = [], []
    for key, value in answers.items():
        reason = (reasons.get(key) or "").strip()
        answer = existing.get(questions[key].pk)
        if answer is None:
            added.append(
                Answer(assessment=assessment, question=questions[key], value=value, differs_from_record_because=reason)
            )
        elif (answer.value, answer.differs_from_record_because) != (value, reason):
            answer.value, answer.differs_from_record_because = value, reason
            changed.append(answer)
    for answer in added + changed:
        answer.full_clean(exclude=["assessment", "question"], validate_unique=False)
    Answer.objects.bulk_create(added)
    Answer.objects.bulk_update(changed, ["value", "differs_from_record_because"])
    record_change(
        user=saved_by,
        action=AuditAction.ASSESSMENT_ANSWER,
        household_id=assessment.household_id,
        detail=f"{assessment.pk}",
    )
    return assessment


def answers_of(assessment: Assessment) -> dict[str, str]:
    return {a.question.key: a.value for a in assessment.answers.select_related("question")}


def _saved_reasons(assessment: Assessment) -> dict[str, str]:
    return {
        a.question.key: a.differs_from_record_because
        for a in assessment.answers.select_related("question").exclude(differs_from_record_because="")
    }


def prefilled_answers(assessment: Assessment) -> dict[str, str]:
    """The answers to show on the form: what the record already says, then what has been saved over it."""
    facts = {key: fact.value for key, fact in selectors.record_facts(assessment.household, today()).items()}
    return {**facts, **answers_of(assessment), **{f"{k}__why": v for k, v in _saved_reasons(assessment).items()}}


def suggestion_for(assessment: Assessment) -> tuple[str, list[dict]]:
    return rules.suggest_level(assessment.question_set.questions.all(), answers_of(assessment))


def unanswered_count(assessment: Assessment) -> int:
    """How many required questions are still unanswered: no level is suggested until there are none."""
    answers = answers_of(assessment)
    return sum(1 for q in assessment.question_set.questions.all() if q.required and not answers.get(q.key, "").strip())


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
    # The record may have changed since the answers were saved: hold them to it once more.
    _refuse_unexplained_contradictions(assessment, answers, _saved_reasons(assessment))
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
            "domain_weights": rules.domain_weights(questions, answers),
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
    previous = household.assessments.completed().exclude(pk=assessment.pk).order_by("-completed_on", "-pk").first()
    if previous is None:
        visit_services.require_assessment_stage_visit(
            household=household, assessed_on=completed_on, assessed_by=completed_by
        )
    # The level decided sets how often to visit from now on, not from the next visit.
    visit_services.reschedule_next_visit(
        household=household,
        every_days=visit_days,
        level_label=assessment.get_practitioner_level_display(),
        decided_by=completed_by,
    )
    task_services.close_rule_task(
        dedupe_key=assessment_needed_key(household.pk),
        outcome=f"Assessed {completed_on:%-d %B %Y}",
        closed_by=completed_by,
    )
    if previous is None or previous.practitioner_level != practitioner_level:
        was = f" (was {previous.get_practitioner_level_display().lower()})" if previous is not None else ""
        prescribing_services.ask_for_take_home_review(
            household=household,
            why=f"the whole-family risk level was decided as {assessment.get_practitioner_level_display().lower()}"
            f"{was} on {completed_on:%-d %B %Y}",
            due_on=completed_on,
            asked_by=completed_by,
        )
    if previous is None or LEVEL_RANK[practitioner_level] > LEVEL_RANK.get(previous.practitioner_level, 0):
        # Guide, routine notification: a new or raised risk level is a development partners hear of.
        was = f" (was {previous.practitioner_level})" if previous is not None else ""
        sharing_services.draft_updates(
            household=household,
            service_user=assessment.service_user,
            development=f"the whole-family risk assessment found the risk {practitioner_level}{was}",
            drafted_by=completed_by,
        )
    record_change(
        user=completed_by,
        action=AuditAction.ASSESSMENT_COMPLETE,
        household_id=household.pk,
        detail=f"{assessment.pk} suggested {suggested} decided {practitioner_level}",
    )
    return assessment


@transaction.atomic
def record_pre_birth_request(
    *, household, service_user, requested_on: date, requested_to: str, requested_by, assessment=None
) -> PreBirthRequest:
    """Record that a pre-birth assessment was requested, and from whom. Closes the task that asked for it."""
    if service_user.household_id != household.pk:
        raise DomainError({"service_user": "Choose someone who lives in this household"})
    request = apply_changes(
        PreBirthRequest(household=household, service_user=service_user, requested_by=requested_by),
        {"requested_on": requested_on, "requested_to": requested_to, "assessment": assessment},
    )
    task_services.close_rule_task(
        dedupe_key=pre_birth_key(household.pk),
        outcome=f"Pre-birth assessment requested from {requested_to} on {requested_on:%-d %B %Y}",
        closed_by=requested_by,
    )
    record_change(
        user=requested_by, action=AuditAction.PRE_BIRTH_REQUEST, household_id=household.pk, detail=f"{request.pk}"
    )
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
        user=recorded_by,
        action=AuditAction.PRE_BIRTH_OUTCOME,
        household_id=request.household_id,
        detail=f"{request.pk}",
    )
    return request


@transaction.atomic
def record_family_view(
    *,
    household,
    adult_key: str,
    occasion: str,
    family_life: str,
    what_would_help: str,
    said_on: date,
    recorded_by,
    hopes: str = "",
    fears: str = "",
    assessment=None,
    review=None,
) -> FamilyView:
    """The views of one adult living with the child, in their words, at an assessment, a review, a meeting or a
    visit. `adult_key` names them as `families.selectors.adults_living_with_child` does. Fails (saving nothing) if
    they are not an adult of this family, or the assessment or review is another family's."""
    adults = {adult["key"]: adult for adult in families.adults_living_with_child(household)}
    adult = adults.get(adult_key)
    if adult is None:
        raise DomainError({"adult_key": "Choose an adult who lives with the children"})
    view = apply_changes(
        FamilyView(household=household, recorded_by=recorded_by),
        {
            "whose": adult["name"],
            "service_user": adult["service_user"],
            "member": adult["member"],
            "occasion": occasion,
            "assessment": assessment,
            "review": review,
            "family_life": family_life,
            "what_would_help": what_would_help,
            "hopes": hopes,
            "fears": fears,
            "said_on": said_on,
        },
    )
    record_change(
        user=recorded_by, action=AuditAction.FAMILY_VIEW_RECORD, household_id=household.pk, detail=f"{view.pk}"
    )
    return view
