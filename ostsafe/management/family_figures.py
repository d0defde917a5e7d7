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

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import GreaterThan

from ostsafe.core import marks
from ostsafe.families.models import Household

from .measures import MEASURES, annotated, measure_counts
from .models import FamilyFigures

BATCH = 1_000  # families worked out, and their rows written, a statement at a time
if len(MEASURES) > 62:
    raise ImproperlyConfigured("Kept dashboard figures hold one bit a measure in a signed 64-bit number: 62 at most")


def counts_by_team(households: QuerySet[Household], as_of: date) -> list[dict]:
    """Each measure's met and of for `households`, team by team, from their kept rows: one query when every row is
    current (the sum, with how many rows are), and where some are not, those families worked out again and the sum
    taken again."""
    measured = annotated(Household.objects.all(), as_of)
    fingerprint = _fingerprint(measured)
    counted = _summed_by_team(households, as_of, fingerprint)
    if any(row["families"] != row["current"] for row in counted):
        _bring_up_to_date(households, as_of, measured, fingerprint)
        counted = _summed_by_team(households, as_of, fingerprint)
    return counted


def _summed_by_team(households: QuerySet[Household], as_of: date, fingerprint: int) -> list[dict]:
    current = Q(
        kept_figures__as_of=as_of,
        kept_figures__fingerprint=fingerprint,
        kept_figures__version=F("change_number"),
        kept_figures__every=F("every_number"),
    )
    return list(
        from_kept_rows(marks.with_change_numbers(households))
        .values("team_id", "team__name")
        .annotate(families=Count("pk"), current=Count("pk", filter=current), **measure_counts())
        .order_by("team__name")
    )


def from_kept_rows(households: QuerySet[Household]) -> QuerySet[Household]:
    """`households` annotated as `measures.annotated` annotates them, from their kept rows (a family without one
    meets nothing)."""
    annotations = {}
    for bit, measure in _bits():
        annotations[f"met_{measure.key}"] = GreaterThan(F("kept_figures__met").bitand(bit), 0)
        if measure.applies is not None:
            annotations[f"applies_{measure.key}"] = GreaterThan(F("kept_figures__applies").bitand(bit), 0)
    return households.annotate(**annotations)


def bring_up_to_date(households: QuerySet[Household], as_of: date) -> int:
    """Work out again the families in `households` whose kept row is not for `as_of`, at their present change
    numbers, by the present measures; returns how many. Two queries when none is (the policies the measures read, and
    which families differ), and two more for each thousand that are."""
    measured = annotated(Household.objects.all(), as_of)
    return _bring_up_to_date(households, as_of, measured, _fingerprint(measured))


def _bring_up_to_date(households: QuerySet[Household], as_of: date, measured: QuerySet, fingerprint: int) -> int:
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
    columns = [f"met_{m.key}" for m in MEASURES] + [f"applies_{m.key}" for m in MEASURES if m.applies is not None]
    ids = sorted(numbers)  # two requests writing the same families lock them in the same order
    for start in range(0, len(ids), BATCH):
        rows = []
        for pk, *values in measured.filter(pk__in=ids[start : start + BATCH]).values_list("pk", *columns):
            worked_out = dict(zip(columns, values, strict=True))
            met = applies = 0
            for bit, measure in _bits():
                if measure.applies is None or worked_out[f"applies_{measure.key}"]:
                    applies |= bit
                if worked_out[f"met_{measure.key}"]:
                    met |= bit
            number, every = numbers[pk]
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
    return len(ids)


def _bits():
    return [(1 << i, measure) for i, measure in enumerate(MEASURES)]


def _fingerprint(measured: QuerySet) -> int:
    """The measures' SQL as a signed 64-bit number: a deploy that changes how a measure is worked out, or a policy's
    value in it, makes every kept row differ. The same in every worker (checked with six hash seeds): a measure whose
    SQL came out in a set's order would have each worker write the rows again for the others."""
    digest = hashlib.blake2b(str(measured.query).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)
