"""Writes of the managers' app: the month's practice figures, kept each night (`manage.py record_practice_figures`)."""

from datetime import date, timedelta

from django.db import transaction

from ostsafe.families import selectors as families

from . import selectors
from .measures import MEASURES
from .models import PracticeFigure


def month_of(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


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


def backfill_practice_figures(*, months: int, as_of: date) -> int:
    """The figures for the `months` months before `as_of`'s, counted again as of each month's last day from the
    records as they are now (for a service starting to keep them: deadlines moved or tasks closed since are seen as
    they are now, not as they were). Months already kept are left as they are."""
    kept = set(PracticeFigure.objects.values_list("month", flat=True).distinct())
    total = 0
    month = month_of(as_of)
    for _ in range(months):
        month = month_of(month - timedelta(days=1))
        if month not in kept:
            total += record_practice_figures(as_of=month_end(month))
    return total
