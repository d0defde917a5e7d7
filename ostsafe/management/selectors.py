"""Reads for the managers' compliance dashboard: every measure over the families with children in one aggregate
query, by team in one more, and the families that miss a measure (the list a manager takes into supervision)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from ostsafe.core import access
from ostsafe.families import selectors as families
from ostsafe.families.models import Household

from .measures import MEASURES, Measure


@dataclass(frozen=True)
class Result:
    measure: Measure
    met: int
    of: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.met / self.of) if self.of else None

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


def _annotated(households: QuerySet[Household], as_of: date) -> QuerySet[Household]:
    annotations = {}
    for measure in MEASURES:
        annotations[f"met_{measure.key}"] = measure.met(as_of)
        if measure.applies is not None:
            annotations[f"applies_{measure.key}"] = measure.applies(as_of)
    return households.annotate(**annotations)


def _counts() -> dict:
    counts = {}
    for measure in MEASURES:
        applies = Q(**{f"applies_{measure.key}": True}) if measure.applies is not None else Q()
        counts[f"{measure.key}__met"] = Count("pk", filter=applies & Q(**{f"met_{measure.key}": True}))
        counts[f"{measure.key}__of"] = Count("pk", filter=applies) if measure.applies is not None else Count("pk")
    return counts


def compliance(households: QuerySet[Household], as_of: date) -> list[Result]:
    """Each measure: how many families meet it, of how many it applies to. One query."""
    totals = _annotated(households, as_of).aggregate(**_counts())
    return [Result(m, totals[f"{m.key}__met"], totals[f"{m.key}__of"]) for m in MEASURES]


def compliance_by_team(households: QuerySet[Household], as_of: date) -> list[tuple[str, list[Result]]]:
    """The same, team by team, in one query."""
    rows = _annotated(households, as_of).values("team_id", "team__name").annotate(**_counts()).order_by("team__name")
    return [
        (row["team__name"], [Result(m, row[f"{m.key}__met"], row[f"{m.key}__of"]) for m in MEASURES]) for row in rows
    ]


def families_missing(households: QuerySet[Household], measure: Measure, as_of: date) -> QuerySet[Household]:
    """The families a measure applies to that do not meet it, by name, with their team and people in treatment."""
    rows = _annotated(households, as_of).filter(**{f"met_{measure.key}": False})
    if measure.applies is not None:
        rows = rows.filter(**{f"applies_{measure.key}": True})
    return rows.select_related("team").prefetch_related("service_users__keyworker").order_by("name", "pk")
