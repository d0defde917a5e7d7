"""Writes of the managers' app: the month's practice figures, kept each night (`manage.py record_practice_figures`)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from ostsafe.accounts.models import User
from ostsafe.assessments import selectors as assessments
from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_change
from ostsafe.core import access
from ostsafe.core.periods import month_end, month_of, months_before
from ostsafe.core.services import DomainError, apply_changes
from ostsafe.core.validators import validate_plannable
from ostsafe.families import selectors as families
from ostsafe.tasks import services as tasks

from . import family_figures, selectors
from .measures import MEASURES
from .models import CaseSupervision, PracticeFigure, SupervisionPolicy, TrainingNeed, TrainingRecord


@transaction.atomic
def record_practice_figures(*, as_of: date) -> int:
    """Count every practice over every family with children, by team and by keyworker within the team, as it stands
    on `as_of`, and keep the figures as the month's (rewriting the month's earlier rows). Two aggregate queries
    whatever the number of families. Returns the number of rows kept."""
    households = families.households_with_children(as_of)
    counts = selectors.measure_counts()
    by_team = selectors.annotated(households, as_of).values("team_id").annotate(**counts)
    # A family with two people in treatment keyworked by two workers counts once for each worker.
    by_worker = (
        selectors.annotated(households, as_of)
        .filter(service_users__discharged_on__isnull=True, service_users__keyworker__isnull=False)
        .values("team_id", "service_users__keyworker_id")
        .annotate(**selectors.measure_counts(distinct=True))
    )
    month = month_of(as_of)
    rows: list[PracticeFigure] = []
    for row in [*by_team, *by_worker]:
        for measure in MEASURES:
            rows.append(
                PracticeFigure(
                    month=month,
                    recorded_on=as_of,
                    team_id=row["team_id"],
                    keyworker_id=row.get("service_users__keyworker_id"),
                    measure=measure.key,
                    met=row[f"{measure.key}__met"],
                    of=row[f"{measure.key}__of"],
                )
            )
    PracticeFigure.objects.filter(month=month).delete()
    for figure in rows:
        figure.full_clean(validate_unique=False, validate_constraints=False)
    PracticeFigure.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


@transaction.atomic
def keep_family_figures(*, as_of: date) -> int:
    """Work out for `as_of` every family's dashboard figures not already kept for it (management.family_figures),
    so that the day's first dashboard sums kept rows, and forget the teams' figures kept for the days before.
    Returns how many families were worked out."""
    family_figures.forget_teams_before(as_of)
    return family_figures.bring_up_to_date(families.households_with_children(as_of), as_of)


def backfill_practice_figures(*, months: int, as_of: date) -> int:
    """The figures for the `months` months before `as_of`'s, counted again as of each month's last day from the
    records as they are now (for a service starting to keep them: deadlines moved or tasks closed since are seen as
    they are now, not as they were). Months already kept are left as they are."""
    kept = set(PracticeFigure.objects.values_list("month", flat=True).distinct())
    total = 0
    for month in months_before(as_of, months):
        if month not in kept:
            total += record_practice_figures(as_of=month_end(month))
    return total


@dataclass(frozen=True)
class SupervisionAction:
    """A decision in supervision that someone must carry out: it becomes their task."""

    what: str
    assignee: User
    due_on: date


def _casework_staff(household):
    return get_user_model().objects.filter(access.home_visitors_q(organisation_id=household.team.organisation_id))


@transaction.atomic
def record_supervision(
    *,
    household,
    supervisor,
    practitioner,
    held_on: date,
    discussed: str,
    evidence: str,
    disguised_compliance: str,
    childs_perspective: str,
    decisions: str,
    training_need: str = "",
    actions: list[SupervisionAction] = (),  # type: ignore[assignment]
) -> CaseSupervision:
    """Record a family's case supervision: the discussion with the guide's prompts, the decisions, each action as a
    task for the colleague who carries it out, a training need identified for the practitioner, and when the case
    is next due (from the policy for the family's decided risk level). Fails, saving nothing, if the practitioner or
    an action's assignee is not a caseworker of the family's service."""
    staff = _casework_staff(household)
    if not staff.filter(pk=practitioner.pk).exists():
        raise DomainError({"practitioner": "Choose a keyworker of this family's service"})
    level = assessments.decided_level(household)
    supervision = apply_changes(
        CaseSupervision(),
        {
            "household": household,
            "held_on": held_on,
            "supervisor": supervisor,
            "practitioner": practitioner,
            "discussed": discussed,
            "evidence": evidence,
            "disguised_compliance": disguised_compliance,
            "childs_perspective": childs_perspective,
            "decisions": decisions,
            "training_need": training_need,
            "next_due_on": held_on + timedelta(days=SupervisionPolicy.current().every_days(level)),
        },
    )
    for action in actions:
        if not staff.filter(pk=action.assignee.pk).exists():
            raise DomainError({"actions": "Give each action to a colleague in this family's service"})
        if action.due_on < held_on:
            raise DomainError({"actions": "An action cannot be due before the supervision"})
        try:
            validate_plannable(action.due_on)
        except ValidationError as error:
            raise DomainError({"actions": error.messages}) from None
        tasks.create_task(
            title=f"From supervision: {action.what}"[:200],
            detail=f"Decided in case supervision on {held_on:%-d %B %Y} with {supervisor.full_name}.",
            household=household,
            assignee=action.assignee,
            due_on=action.due_on,
            created_by=supervisor,
            rule="management.supervision_action",
        )
    if training_need.strip():
        apply_changes(
            TrainingNeed(),
            {
                "person": practitioner,
                "need": training_need,
                "identified_on": held_on,
                "supervision": supervision,
                "identified_by": supervisor,
            },
        )
    record_change(
        user=supervisor, action=AuditAction.SUPERVISION_RECORD, household_id=household.pk, detail=str(supervision.pk)
    )
    return supervision


@transaction.atomic
def record_training(
    *,
    person,
    kind: str,
    course: str,
    completed_on: date,
    recorded_by,
    expires_on: date | None = None,
    meets: TrainingNeed | None = None,
) -> TrainingRecord:
    """Record a course someone completed (and, if it does, which of their training needs it meets). Fails if the
    person is beyond the recorder's reach: their own service's staff, or a partner's multi-agency training."""
    if not get_user_model().objects.filter(access.training_people_q(recorded_by, kind=kind), pk=person.pk).exists():
        raise DomainError(
            {
                "person": "You can record this training only for your own service's staff, "
                "or a partner's multi-agency training"
            }
        )
    record = apply_changes(
        TrainingRecord(),
        {
            "person": person,
            "kind": kind,
            "course": course,
            "completed_on": completed_on,
            "expires_on": expires_on,
            "recorded_by": recorded_by,
        },
    )
    if meets is not None:
        if meets.person_id != person.pk or meets.met_by_id:
            raise DomainError({"meets": "That training need is not this person's, or is already met"})
        apply_changes(meets, {"met_by": record})
    record_change(user=recorded_by, action=AuditAction.TRAINING_RECORD, household_id=None, detail=str(record.pk))
    return record


@transaction.atomic
def record_training_need(*, person, need: str, identified_on: date, identified_by) -> TrainingNeed:
    """A training need identified for someone in reach (see record_training)."""
    if not get_user_model().objects.filter(access.training_people_q(identified_by), pk=person.pk).exists():
        raise DomainError({"person": "You can record training needs only for people whose training you keep"})
    found = apply_changes(
        TrainingNeed(),
        {"person": person, "need": need, "identified_on": identified_on, "identified_by": identified_by},
    )
    record_change(user=identified_by, action=AuditAction.TRAINING_RECORD, household_id=None, detail=f"need {found.pk}")
    return found
