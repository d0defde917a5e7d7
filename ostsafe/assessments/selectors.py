from datetime import date

from django.db.models import Prefetch

from ostsafe.prescribing.take_home import CheckResult

from .models import Answer, Assessment, AssessmentStatus, PreBirthRequest


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


def current_assessment_check(*, service_user, as_of: date) -> CheckResult:
    """Take-home check: a whole-family assessment that is completed and not overdue for review."""
    label = "A current whole-family risk assessment (not overdue for review)"
    latest = latest_completed(service_user.household)
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
