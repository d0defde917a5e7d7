"""The commissioner's report: for each treatment service, by quarter, counts only, never a person, and never a count
small enough to point to one (`disclosure`). Guide, "Background": services are commissioned by the local authority;
"Managing practice": strategic priorities and outcomes made compatible.

Every table is protected on its own, and no hidden cell of one can be worked out with another: the families a
practice applies to are published once (in the people table) and given as fixed row totals in each practice's
table; a service whose number of families is hidden there is left out of the practice tables, and their totals are
over the services shown.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Sum

from ostsafe.accounts.models import Organisation
from ostsafe.core import access
from ostsafe.core.periods import month_end
from ostsafe.curiosity import selectors as curiosity
from ostsafe.families import selectors as families
from ostsafe.sharing import selectors as sharing
from ostsafe.storage import selectors as storage

from .disclosure import DisclosurePolicy, Hidden, Published, Table
from .measures import MEASURES
from .models import PracticeFigure

QUARTER_NAMES = {4: "Q1", 7: "Q2", 10: "Q3", 1: "Q4"}  # financial quarters: April to June is Q1


@dataclass(frozen=True)
class Quarter:
    start: date
    end: date

    @property
    def key(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        year = self.start.year if self.start.month >= 4 else self.start.year - 1
        return f"{self.start:%B} to {self.end:%B %Y} ({QUARTER_NAMES[self.start.month]} {year}-{(year + 1) % 100:02d})"

    def counted_on(self, today: date) -> date:
        """The day its figures stand at: its last day, or today while it is under way."""
        return min(self.end, today)


def quarter_of(day: date) -> Quarter:
    first_month = ((day.month - 1) // 3) * 3 + 1
    return Quarter(date(day.year, first_month, 1), month_end(date(day.year, first_month + 2, 1)))


def recent_quarters(today: date, count: int = 5) -> list[Quarter]:
    """This quarter (so far) and the ones before it, newest first."""
    quarters = [quarter_of(today)]
    while len(quarters) < count:
        quarters.append(quarter_of(quarters[-1].start - timedelta(days=1)))
    return quarters


def policy() -> DisclosurePolicy:
    """The service's disclosure setting: hide counts under 5 (the default, as NDTMS public reports), or round every
    count to the nearest 5 (`OSTSAFE_DISCLOSURE_ROUND_TO=5`)."""
    return DisclosurePolicy(round_to=settings.OSTSAFE_DISCLOSURE_ROUND_TO)


@dataclass
class Section:
    title: str
    explanation: str
    published: Published | None  # None: no service has enough families to show
    left_out: list[str]  # services not in this table, and why (said once, in words)
    practice: bool = False  # one of the guide's practices (its share is charted)


@dataclass
class Report:
    quarter: Quarter
    counted_on: date
    services: list[Organisation]
    sections: list[Section]
    figures_from: date | None  # the month whose kept practice figures are shown


def commissioner_report(user, quarter: Quarter, today: date) -> Report:
    """Every table of the report for the services `user` may see reported on, protected for publication. A fixed
    number of queries whatever the number of services or families."""
    services = list(Organisation.objects.filter(access.reported_services_q(user)).order_by("name"))
    names = [s.name for s in services]
    ids = [s.pk for s in services]
    on = quarter.counted_on(today)
    protect = policy().protect
    sections = []

    people = families.people_affected_by_service(on)
    month, by_service = _practice_figures(ids, quarter, today)
    applies = {key: {s: of for s, (met, of) in rows.items()} for key, rows in by_service.items()}
    # The families the practices apply to, as the practice tables count them: from the month's kept figures, or
    # (no figures kept in the quarter, so no practice tables) counted on the day.
    families_with_children = (
        applies.get("assessment_current", {}) if month else families.families_with_children_by_service(on)
    )
    people_table = protect(
        Table(
            names,
            ["Adults in treatment living with or seeing children", "Children affected", "Families with children"],
            [
                [
                    people.get(s, {}).get("adults", 0),
                    people.get(s, {}).get("children", 0),
                    families_with_children.get(s, 0),
                ]
                for s in ids
            ],
            row_totals=False,
        )
    )
    sections.append(
        Section(
            "People",
            f"On {on:%-d %B %Y}. "
            + (f"Families with children as the practice figures counted them, {month:%B %Y}." if month else ""),
            people_table,
            [],
        )
    )

    boxes = storage.boxes_issued_by_service(quarter.start, on)
    letters = sharing.routine_notifications_sent_by_service(quarter.start, on)
    referrals = sharing.referrals_made_by_service(quarter.start, on)
    sections.append(
        Section(
            "In the quarter",
            f"From {quarter.start:%-d %B} to {on:%-d %B %Y}.",
            protect(
                Table(
                    names,
                    ["Safety boxes issued", "Routine notifications sent", "Child protection referrals made"],
                    [[boxes.get(s, 0), letters.get(s, 0), referrals.get(s, 0)] for s in ids],
                    row_totals=False,
                )
            ),
            [],
        )
    )

    signs = curiosity.signs_by_service(quarter.start, on)
    sections.append(
        Section(
            "Warning signs raised in the quarter",
            "Each warning sign the records raised in the quarter, and whether it has been acknowledged with what was "
            "done about it.",
            protect(
                Table(
                    names,
                    ["Acknowledged", "Not yet acknowledged"],
                    [
                        [
                            signs.get(s, {}).get("acknowledged", 0),
                            signs.get(s, {}).get("raised", 0) - signs.get(s, {}).get("acknowledged", 0),
                        ]
                        for s in ids
                    ],
                )
            ),
            [],
        )
    )

    # The practice tables take each service's families from the people table, as published there.
    published_families = {
        s: people_table.cells[i][2] for i, s in enumerate(ids) if isinstance(people_table.cells[i][2], int)
    }
    threshold = policy().threshold
    for measure in MEASURES:
        rows = by_service.get(measure.key, {})
        shown = [
            s
            for s in ids
            if rows.get(s, (0, 0))[1] >= threshold and (measure.applies is not None or s in published_families)
        ]
        published = None
        while shown:
            published = protect(
                Table(
                    [n for s, n in zip(ids, names, strict=True) if s in shown],
                    ["Meeting it", "Missing it"],
                    [[rows[s][0], rows[s][1] - rows[s][0]] for s in shown],
                    fixed_row_totals=measure.applies is None,
                )
            )
            if not published.withheld:
                break
            # A service whose few families give themselves away however the table is hidden: leave out the one with
            # the fewest, rather than withhold every service's figures.
            shown.remove(min(shown, key=lambda s: (rows[s][1], s)))
            published = None
        left_out = [n for s, n in zip(ids, names, strict=True) if s not in shown]
        sections.append(Section(measure.label, f"Guide: “{measure.guide}”.", published, left_out, practice=True))
    return Report(quarter, on, services, sections, month)


def _practice_figures(service_ids, quarter: Quarter, today: date):
    """Each measure's met and of, by service, from the latest month kept within the quarter. One query for the
    month, one for the figures."""
    last_month = quarter.counted_on(today).replace(day=1)
    month = (
        PracticeFigure.objects.filter(month__gte=quarter.start, month__lte=last_month)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    if month is None:
        return None, {}
    rows = (
        PracticeFigure.objects.filter(month=month, keyworker__isnull=True, team__organisation_id__in=service_ids)
        .values("measure", "team__organisation_id")
        .annotate(met=Sum("met"), of=Sum("of"))
    )
    found: dict[str, dict[int, tuple[int, int]]] = {}
    for row in rows:
        found.setdefault(row["measure"], {})[row["team__organisation_id"]] = (row["met"], row["of"])
    return month, found


@dataclass(frozen=True)
class Bar:
    label: str
    percent: int | None  # None where the figures behind it are hidden


def chart_rows(report: Report) -> list[Bar]:
    """Each practice's share over the services shown, from its table's published totals (none where hidden)."""
    bars = []
    for section in (s for s in report.sections if s.practice):
        percent = None
        if section.published is not None:
            met, _, of = section.published.cells[-1]
            if isinstance(met, int) and isinstance(of, int) and of:
                percent = round(100 * met / of)
        bars.append(Bar(section.title, percent))
    return bars


def csv_rows(report: Report):
    """The report as rows for a spreadsheet: section, service, column, value (hidden cells in words)."""
    for section in report.sections:
        if section.published is None:
            continue
        header = section.published.header
        for label, cells in section.published.body():
            for column, value in zip(header, cells, strict=True):
                yield [section.title, label, column, shown(value)]
        for name in section.left_out:
            yield [section.title, name, "", "Not shown: too few families to show without giving a small count away"]


def shown(value) -> str:
    if isinstance(value, Hidden):
        return value.value
    return str(value)
