"""Reads for the managers' compliance dashboard: every measure over the families with children in one aggregate
query, by team in one more, and the families that miss a measure (the list a manager takes into supervision)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Case, F, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value, When

from ostsafe.accounts.selectors import placeable_teams
from ostsafe.assessments import selectors as assessments
from ostsafe.carers import selectors as carers
from ostsafe.core import access, marks
from ostsafe.core.kept import Kept
from ostsafe.core.periods import month_of, months_before
from ostsafe.directory import selectors as directory
from ostsafe.families import selectors as families
from ostsafe.families.models import Household
from ostsafe.sharing import selectors as sharing

from . import family_figures
from .measures import MEASURES, Measure, annotated, measure_counts
from .models import (
    REQUIRED_TRAINING,
    TRAINING_DUE_WITHIN_DAYS,
    CaseSupervision,
    PracticeFigure,
    TrainingKind,
    TrainingNeed,
    TrainingRecord,
)

_NOT_KEPT = object()


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
    households = families.households_with_children(as_of).filter(access.reported_households_q(user))
    if team_id:
        households = households.filter(team_id=team_id)
    if worker_id:
        households = families.keyworked_by(households, worker_id)
    return households


def compliance(households: QuerySet[Household], as_of: date) -> list[Result]:
    """Each measure: how many families meet it, of how many it applies to. One query (the teams' figures)."""
    return overall(compliance_by_team(households, as_of))


def overall(by_team: list[tuple[str, list[Result]]]) -> list[Result]:
    """Each measure over every family: the teams' figures summed, since every family is one team's. The dashboard
    counts the families once, by team, rather than once for the whole and again by team (at 10,000 service users
    each count is 150 ms)."""
    return [
        Result(measure, sum(team[i].met for _, team in by_team), sum(team[i].of for _, team in by_team))
        for i, measure in enumerate(MEASURES)
    ]


def compliance_by_team(households: QuerySet[Household], as_of: date) -> list[tuple[str, list[Result]]]:
    """Each measure, team by team, in one query."""
    return [
        (row["team__name"], [Result(m, row[f"{m.key}__met"], row[f"{m.key}__of"]) for m in MEASURES])
        for row in _counts_by_team(households, as_of)
    ]


def _counts_by_team(households: QuerySet[Household], as_of: date):
    return (
        annotated(households, as_of).values("team_id", "team__name").annotate(**measure_counts()).order_by("team__name")
    )


# Each team's figures for today, kept with its families' change state (core.marks), at most this many a worker.
TEAM_FIGURES_KEPT = 2_000
_team_figures = Kept(TEAM_FIGURES_KEPT)


def kept_compliance_by_team(
    households: QuerySet[Household], as_of: date, *, scope: tuple
) -> list[tuple[str, list[Result]]]:
    """`compliance_by_team`, each team's figures kept until one of its families changes (core.marks: the teams'
    change states in one query). A team this worker has not kept figures for under its present state is looked up in
    the database, where every worker keeps what it counts (management.TeamFigures, one query for all of them); only
    the teams found in neither are counted again, by summing their families' figures kept in the database
    (management.family_figures: one query, and the families that changed worked out again first). `scope` names, as
    plain values, everything `households` was narrowed by (the viewer's reach, the dashboard's filters), so that
    figures kept for one scope are never given for another. Every table the measures read is marked
    (management/tests/test_kept_figures.py)."""
    states, every = marks.changes_by("team")
    keys = {team: ("team figures", scope, team, state, every, as_of) for team, state in states.items()}
    figures = {team: _team_figures.get(key, _NOT_KEPT) for team, key in keys.items()}
    changed = [team for team, kept in figures.items() if kept is _NOT_KEPT]
    if changed:
        measures = family_figures.measures_for(as_of)
        stored = {team: family_figures.team_key(keys[team], measures[1]) for team in changed}
        for team, counts in family_figures.kept_teams(stored).items():
            figures[team] = _from_stored(counts)
            _team_figures.keep(keys[team], figures[team])
        uncounted = [team for team in changed if figures[team] is _NOT_KEPT]
        if uncounted:
            counted = {
                row["team_id"]: (
                    row["team__name"],
                    tuple((row[f"{m.key}__met"], row[f"{m.key}__of"]) for m in MEASURES),
                )
                for row in family_figures.counts_by_team(households.filter(team_id__in=uncounted), as_of, measures)
            }
            for team in uncounted:
                figures[team] = counted.get(team)  # None: none of the team's families is in scope
                _team_figures.keep(keys[team], figures[team])
            family_figures.keep_teams({team: (stored[team], figures[team]) for team in uncounted}, as_of)
    shown = sorted((kept for kept in figures.values() if kept is not None), key=lambda kept: kept[0])
    return [
        (name, [Result(m, met, of) for m, (met, of) in zip(MEASURES, counts, strict=True)]) for name, counts in shown
    ]


def _from_stored(counts) -> tuple[str, tuple[tuple[int, int], ...]] | None:
    """A team's figures as TeamFigures.counts holds them (JSON: lists), as this worker keeps them (tuples)."""
    if counts is None:
        return None
    name, measures = counts
    return name, tuple((met, of) for met, of in measures)


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
    """The first days of the `count` months up to and including `as_of`'s, oldest first."""
    return [*reversed(months_before(as_of, count - 1)), month_of(as_of)]


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


# Supervision and training ---------------------------------------------------------------------------------------------


def supervisions_for_household(household) -> QuerySet[CaseSupervision]:
    return CaseSupervision.objects.filter(household=household).select_related("supervisor", "practitioner")


def supervision_due(user, as_of: date, *, team_id: int | None = None, worker_id: int | None = None):
    """The families with children in reach, each with its decided risk level, its last case supervision and when
    the next is due (never supervised: due now), highest risk first, then the soonest due. Two queries (the families
    with their figures, and their people in treatment)."""
    last = CaseSupervision.objects.filter(household=OuterRef("pk")).order_by("-held_on", "-pk")
    rank = Case(
        When(decided_level="high", then=Value(0)),
        When(decided_level__isnull=True, then=Value(1)),
        When(decided_level="medium", then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    rows = (
        families_in_scope(user, as_of, team_id=team_id, worker_id=worker_id)
        .annotate(
            decided_level=assessments.household_decided_level(),
            last_held=Subquery(last.values("held_on")[:1]),
            due_on=Subquery(last.values("next_due_on")[:1]),
        )
        .annotate(rank=rank)
        .select_related("team")
        .prefetch_related("service_users__keyworker")
        .order_by("rank", F("due_on").asc(nulls_first=True), "name", "pk")
    )
    return rows


@dataclass(frozen=True)
class TrainingStatus:
    kind: str
    label: str
    state: str  # "current", "due" (within TRAINING_DUE_WITHIN_DAYS), "overdue" (expired or never)
    record: TrainingRecord | None


@dataclass(frozen=True)
class PersonTraining:
    person: object
    required: list[TrainingStatus]
    other: list[TrainingRecord]
    needs: list[TrainingNeed]

    @property
    def worst(self) -> str:
        states = {s.state for s in self.required}
        return "overdue" if "overdue" in states else "due" if "due" in states else "current"


def team_training(user, as_of: date) -> list[PersonTraining]:
    """The user's service's practitioners (those who work with the families), each with the training the guide
    makes core (current, due or overdue), their other training, and their open training needs; people with
    something overdue first. Three queries."""
    staff = list(
        get_user_model()
        .objects.filter(access.training_people_q(user, kind=TrainingKind.HIDDEN_HARM))
        .filter(access.home_visitors_q(organisation_id=user.organisation_id))
        .order_by("full_name", "pk")
    )
    ids = [p.pk for p in staff]
    records: dict[int, list[TrainingRecord]] = {}
    for record in TrainingRecord.objects.filter(person_id__in=ids).order_by("-completed_on", "-pk"):
        records.setdefault(record.person_id, []).append(record)
    needs: dict[int, list[TrainingNeed]] = {}
    for need in TrainingNeed.objects.filter(person_id__in=ids, met_by__isnull=True).order_by("identified_on", "pk"):
        needs.setdefault(need.person_id, []).append(need)
    labels = dict(TrainingKind.choices)
    people = []
    for person in staff:
        theirs = records.get(person.pk, [])
        required = []
        for kind in REQUIRED_TRAINING:
            latest = next((r for r in theirs if r.kind == kind), None)
            if latest is None or latest.refresh_by < as_of:
                state = "overdue"
            elif latest.refresh_by <= as_of + timedelta(days=TRAINING_DUE_WITHIN_DAYS):
                state = "due"
            else:
                state = "current"
            required.append(TrainingStatus(kind, labels[kind], state, latest))
        other = [r for r in theirs if r.kind not in REQUIRED_TRAINING]
        people.append(PersonTraining(person, required, other, needs.get(person.pk, [])))
    order = {"overdue": 0, "due": 1, "current": 2}
    return sorted(people, key=lambda p: order[p.worst])


def open_training_needs(person) -> QuerySet[TrainingNeed]:
    return TrainingNeed.objects.filter(person=person, met_by__isnull=True)


@dataclass(frozen=True)
class ServiceInUse:
    service: object
    families: int  # families with someone from it in their network now
    referrals: int  # referrals made to it in the last year
    letters: int  # letters sent to someone of it in the last year
    family_members: int  # family members signposted or referred to it in the last year

    @property
    def contacted(self) -> bool:
        return bool(self.families or self.referrals or self.letters or self.family_members)


def services_in_use(user, as_of: date) -> list[ServiceInUse]:
    """Guide, "Managing practice": the local services (not the strategic groups) and how the manager's families
    work with each: in their networks now, referred to, written to, and family members signposted or referred to it
    in the last year. Five queries."""
    households = Household.objects.filter(access.reported_households_q(user))
    since = as_of - timedelta(days=365)
    in_network = families.families_by_service(households)
    contacts = sharing.contacts_by_service(households, since)
    signposted = carers.offers_by_service(households, since)
    return [
        ServiceInUse(
            service,
            in_network.get(service.pk, 0),
            contacts.get(service.pk, {}).get("referrals", 0),
            contacts.get(service.pk, {}).get("letters", 0),
            signposted.get(service.pk, 0),
        )
        for service in directory.directory(show=directory.SERVICES)
    ]
