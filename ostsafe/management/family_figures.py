"""The dashboard's figures kept in the database family by family (FamilyFigures), so that a worker that has kept
nothing yet (just started, or every team changed since) sums one kept row a family instead of working every measure
out for every family in reach: at 10,000 service users the measures read each of their tables whole, while the sum
reads one small row a family.

A family's row is counted only as it was worked out at the family's present change number and every family's
(core.marks), on the same day, by the same measures (their SQL, the policies' values in it, as a fingerprint): any
family whose row differs in one of these is worked out again first, and only those. Numbers are read before the
values are worked out, so a change committed in between leaves the row behind its family's number, to be worked
out again on the next request, never ahead of it. Each morning's job works every family out for the day
(`manage.py keep_family_figures`, core.schedule), so the day's first dashboard finds them current."""

import hashlib
from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import BigIntegerField, Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When

from ostsafe.core import marks
from ostsafe.core.kept import typed
from ostsafe.families.models import Household

from .measures import MEASURES, annotated
from .models import FamilyFigures, TeamFigures

BATCH = 1_000  # families worked out, and their rows written, a statement at a time
if len(MEASURES) > 62:
    raise ImproperlyConfigured("Kept dashboard figures hold one bit a measure in a signed 64-bit number: 62 at most")


def measures_for(as_of: date) -> tuple[QuerySet, int]:
    """The measures for `as_of` as a queryset over every family, and their fingerprint (reads the policies)."""
    measured = annotated(Household.objects.all(), as_of)
    return measured, _fingerprint(measured)


def counts_by_team(
    households: QuerySet[Household], as_of: date, measures: tuple[QuerySet, int] | None = None
) -> list[dict]:
    """Each measure's met and of for `households`, team by team (`team_id`, `team__name`, `<key>__met`,
    `<key>__of`), from their kept rows, in one pass over the families: the families whose rows are current come
    grouped by team and by what they meet (a region's 3,460 families are some hundred groups), each of the others by
    itself, to be worked out again and written before it is counted (their change numbers, then two more queries a
    thousand). `measures`: measures_for(as_of), when the caller has it already."""
    measured, fingerprint = measures or measures_for(as_of)
    current = Q(
        kept_figures__as_of=as_of,
        kept_figures__fingerprint=fingerprint,
        kept_figures__version=F("change_number"),
        kept_figures__every=F("every_number"),
    )
    groups = (
        marks.with_change_numbers(households)
        .values(
            "team_id",
            "team__name",
            met=F("kept_figures__met"),
            applies=F("kept_figures__applies"),
            differs=Case(When(current, then=Value(None)), default=F("pk"), output_field=BigIntegerField()),
        )
        .annotate(families=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict] = {}
    teams: dict[int, int] = {}
    for group in groups:
        team = counts.setdefault(group["team_id"], _nothing_counted(group["team_id"], group["team__name"]))
        if group["differs"] is None:
            _count(team, group["met"], group["applies"], group["families"])
        else:
            teams[group["differs"]] = group["team_id"]
    numbers = marks.changes_of(teams) if teams else {}  # read before they are worked out (core.marks)
    for pk, (met, applies) in _work_out(numbers, as_of, measured, fingerprint).items():
        _count(counts[teams[pk]], met, applies, 1)
    return sorted(counts.values(), key=lambda team: (team["team__name"], team["team_id"]))


def team_key(key: tuple, fingerprint: int) -> str:
    """The database's key for figures a worker keeps under `key` (plain values only: core.kept), counted by the
    measures with this fingerprint: the same in every worker, whatever its hash seed."""
    return hashlib.blake2b(repr((typed(key), fingerprint)).encode(), digest_size=16).hexdigest()


def kept_teams(keys: dict[Any, str]) -> dict[Any, object]:
    """The figures kept in the database for these teams under these keys ({team: key}), as TeamFigures.counts has
    them (None: none of the team's families in scope); teams with nothing kept under their key are left out. One
    query."""
    team_of = {key: team for team, key in keys.items()}
    return {
        team_of[key]: counts for key, counts in TeamFigures.objects.filter(key__in=team_of).values_list("key", "counts")
    }


def keep_teams(figures: dict[Any, tuple[str, object]], as_of: date) -> None:
    """Keep each team's figures ({team: (key, counts)}) in the database; a key already kept is left as it is (the
    same key, the same figures). One statement."""
    # Derived rows written as counted, one statement: no form to clean them for, the database checks the key.
    TeamFigures.objects.bulk_create(
        [TeamFigures(key=key, as_of=as_of, team_number=team, counts=counts) for team, (key, counts) in figures.items()],
        ignore_conflicts=True,
    )


def forget_teams_before(as_of: date) -> int:
    """Delete the team figures kept for the days before `as_of` (no key names an earlier day again)."""
    deleted, _ = TeamFigures.objects.filter(as_of__lt=as_of).delete()
    return deleted


def _nothing_counted(team_id: int, name: str) -> dict:
    return {"team_id": team_id, "team__name": name} | {
        f"{m.key}__{part}": 0 for m in MEASURES for part in ("met", "of")
    }


def _count(team: dict, met: int, applies: int, families: int) -> None:
    """Add `families` that meet the measures in `met`, of those in `applies`, to a team's figures."""
    for bit, measure in _bits():
        if measure.applies is None or applies & bit:
            team[f"{measure.key}__of"] += families
            if met & bit:
                team[f"{measure.key}__met"] += families


def bring_up_to_date(households: QuerySet[Household], as_of: date) -> int:
    """Work out again the families in `households` whose kept row is not for `as_of`, at their present change
    numbers, by the present measures; returns how many. Two queries when none is (the policies the measures read, and
    which families differ), and two more for each thousand that are."""
    measured = annotated(Household.objects.all(), as_of)
    fingerprint = _fingerprint(measured)
    current = FamilyFigures.objects.filter(
        household=OuterRef("pk"),
        as_of=as_of,
        fingerprint=fingerprint,
        version=OuterRef("change_number"),
        every=OuterRef("every_number"),
    )
    numbers = {
        pk: (number, every)
        for pk, number, every in marks.with_change_numbers(households.order_by())
        .exclude(Exists(current))
        .values_list("pk", "change_number", "every_number")
    }
    return len(_work_out(numbers, as_of, measured, fingerprint))


def _work_out(
    numbers: dict[int, tuple[int, int]], as_of: date, measured: QuerySet, fingerprint: int
) -> dict[int, tuple[int, int]]:
    """Work out the families in `numbers` (their change number and every family's, read before) by `measured` and
    keep their rows; returns what each meets and what applies to it, as bits."""
    columns = [f"met_{m.key}" for m in MEASURES] + [f"applies_{m.key}" for m in MEASURES if m.applies is not None]
    ids = sorted(numbers)  # two requests writing the same families lock them in the same order
    worked_out: dict[int, tuple[int, int]] = {}
    for start in range(0, len(ids), BATCH):
        rows = []
        for pk, *values in measured.filter(pk__in=ids[start : start + BATCH]).values_list("pk", *columns):
            answers = dict(zip(columns, values, strict=True))
            met = applies = 0
            for bit, measure in _bits():
                if measure.applies is None or answers[f"applies_{measure.key}"]:
                    applies |= bit
                if answers[f"met_{measure.key}"]:
                    met |= bit
            number, every = numbers[pk]
            worked_out[pk] = (met, applies)
            rows.append(
                FamilyFigures(
                    household_id=pk,
                    as_of=as_of,
                    version=number,
                    every=every,
                    fingerprint=fingerprint,
                    met=met,
                    applies=applies,
                )
            )
        # Derived rows written as worked out, one statement: no form to clean them for, the database checks the key.
        FamilyFigures.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["household"],
            update_fields=["as_of", "version", "every", "fingerprint", "met", "applies"],
        )
    return worked_out


def _bits():
    return [(1 << i, measure) for i, measure in enumerate(MEASURES)]


def _fingerprint(measured: QuerySet) -> int:
    """The measures' SQL as a signed 64-bit number: a deploy that changes how a measure is worked out, or a policy's
    value in it, makes every kept row differ. The same in every worker (checked with six hash seeds): a measure whose
    SQL came out in a set's order would have each worker write the rows again for the others."""
    digest = hashlib.blake2b(str(measured.query).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)
