"""Reads for the managers' compliance dashboard: every measure over the families with children in one aggregate
query, by team in one more, and the families that miss a measure (the list a manager takes into supervision)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet, Sum

from ostsafe.accounts.selectors import placeable_teams
from ostsafe.core import access
from ostsafe.families import selectors as families
from ostsafe.families.models import Household

from .measures import MEASURES, Measure
from .models import PracticeFigure


@dataclass(frozen=True)
class Result:
    measure: Measure
    met: int
    of: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.met / self.of) if self.of else None

    @property
    def label(self) -> str:
        return self.measure.label

    @property
    def missing(self) -> int:
        return self.of - self.met


def families_in_scope(user, as_of: date, *, team_id: int | None = None, worker_id: int | None = None):
    """The families with children that `user` may see, narrowed to a team or a keyworker."""
    households = families.households_with_children(as_of).filter(access.household_q(user))
    if team_id:
        households = households.filter(team_id=team_id)
    if worker_id:
        households = families.keyworked_by(households, worker_id)
    return households


def annotated(households: QuerySet[Household], as_of: date) -> QuerySet[Household]:
    annotations = {}
    for measure in MEASURES:
        annotations[f"met_{measure.key}"] = measure.met(as_of)
        if measure.applies is not None:
            annotations[f"applies_{measure.key}"] = measure.applies(as_of)
    return households.annotate(**annotations)


def measure_counts(*, distinct: bool = False) -> dict:
    """Each measure's met and of, as aggregates over annotated households (`distinct` where a join repeats them)."""
    counts = {}
    for measure in MEASURES:
        applies = Q(**{f"applies_{measure.key}": True}) if measure.applies is not None else Q()
        met = applies & Q(**{f"met_{measure.key}": True})
        counts[f"{measure.key}__met"] = Count("pk", filter=met, distinct=distinct)
        counts[f"{measure.key}__of"] = (
            Count("pk", filter=applies, distinct=distinct)
            if measure.applies is not None
            else Count("pk", distinct=distinct)
        )
    return counts


def compliance(households: QuerySet[Household], as_of: date) -> list[Result]:
    """Each measure: how many families meet it, of how many it applies to. One query."""
    totals = annotated(households, as_of).aggregate(**measure_counts())
    return [Result(m, totals[f"{m.key}__met"], totals[f"{m.key}__of"]) for m in MEASURES]


def compliance_by_team(households: QuerySet[Household], as_of: date) -> list[tuple[str, list[Result]]]:
    """The same, team by team, in one query."""
    rows = (
        annotated(households, as_of).values("team_id", "team__name").annotate(**measure_counts()).order_by("team__name")
    )
    return [
        (row["team__name"], [Result(m, row[f"{m.key}__met"], row[f"{m.key}__of"]) for m in MEASURES]) for row in rows
    ]


def families_missing(households: QuerySet[Household], measure: Measure, as_of: date) -> QuerySet[Household]:
    """The families a measure applies to that do not meet it, by name, with their team and people in treatment."""
    rows = annotated(households, as_of).filter(**{f"met_{measure.key}": False})
    if measure.applies is not None:
        rows = rows.filter(**{f"applies_{measure.key}": True})
    return rows.select_related("team").prefetch_related("service_users__keyworker").order_by("name", "pk")


@dataclass(frozen=True)
class Trend:
    """One measure over the months: a Result for each month (None where no figures were kept)."""

    measure: Measure
    months: list[Result | None]


def kept_months(as_of: date, *, count: int = 12) -> list[date]:
    """The first days of the `count` months up to `as_of`'s, oldest first."""
    months = [as_of.replace(day=1)]
    while len(months) < count:
        months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    return months


def trend(user, months: list[date], *, team_id: int | None = None, worker_id: int | None = None) -> list[Trend]:
    """Each measure's figures, month by month, as kept at the end of each month (the current month as of the last
    night), summed over the teams `user` may see (or one team, or one keyworker's families). One query."""
    figures = PracticeFigure.objects.filter(team__in=placeable_teams(user), month__gte=months[0], month__lte=months[-1])
    figures = figures.filter(keyworker_id=worker_id) if worker_id else figures.filter(keyworker__isnull=True)
    if team_id:
        figures = figures.filter(team_id=team_id)
    sums = {
        (row["measure"], row["month"]): (row["met"], row["of"])
        for row in figures.values("measure", "month").annotate(met=Sum("met"), of=Sum("of"))
    }
    return [
        Trend(
            measure,
            [Result(measure, *sums[(measure.key, m)]) if (measure.key, m) in sums else None for m in months],
        )
        for measure in MEASURES
    ]
