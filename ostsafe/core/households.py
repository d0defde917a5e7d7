"""The household page, as every app sees it: which model is the household, and the tabs apps register.

Apps add a tab to the household page by registering it in their AppConfig.ready() (the way take-home checks
register), never by being named in another app's code:

    register_tab(Tab("visits", "Visits", "visits:tab", order=30))
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ostsafe.core import access, marks
from ostsafe.core.kept import Kept, typed
from ostsafe.core.roles import Action


def household_model():
    """The household model (`OSTSAFE_HOUSEHOLD_MODEL`, like AUTH_USER_MODEL), so core names no app."""
    return apps.get_model(settings.OSTSAFE_HOUSEHOLD_MODEL)


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    url_name: str  # reversed with the household's id
    order: int
    action: str = Action.VIEW_HOUSEHOLD  # shown to those who may do this on the household


_TABS: dict[str, Tab] = {}


def register_tab(tab: Tab) -> None:
    """Add a tab to the household page. Registering the same key again replaces it (ready() may run twice)."""
    _TABS[tab.key] = tab


def registered_tabs() -> list[Tab]:
    return sorted(_TABS.values(), key=lambda tab: tab.order)


def tabs_for(user, household, active: str) -> list[dict]:
    """The household's sub-navigation for this user: every registered tab their role may open, in order."""
    return [
        {
            "key": tab.key,
            "label": tab.label,
            "href": reverse(tab.url_name, args=[household.pk]),
            "active": tab.key == active,
        }
        for tab in registered_tabs()
        if access.can(user, tab.action, household)
    ]


# What other apps add to the family pages and the caseload -------------------------------------------------------------
#
# The families app draws the household page, the service user's page and the caseload; what other apps know about a
# family (prescriptions, a home visit needed, and the warning signs and sharing to come) they register here, each
# with a loader that reads what a whole page needs in a fixed number of queries.


@dataclass(frozen=True)
class ServiceUserPanel:
    """A section about one service user, on the household page and on the service user's own page. `load(service_users,
    as_of)` returns {service user id: data}; `template` is drawn with `service_user`, `household` and `data`."""

    key: str
    order: int
    template: str
    load: Callable[[list, date], dict]


@dataclass(frozen=True)
class CaseloadColumn:
    """A column of the caseload. `load(rows, as_of)` returns {service user id: value}, each value plain data (a
    named tuple of text, numbers, dates, true or false, or tuples of these; or None) worked out from that row and
    `as_of` alone, read from tables that mark their family's changes (core.marks): the value is kept until the
    family's change number moves. `template` draws one cell from `value` alone, once for each value, and the cell
    is kept (`{% row %}`, core/templatetags/rows.py)."""

    key: str
    label: str
    order: int
    template: str
    load: Callable[[list, date], dict]


@dataclass(frozen=True)
class CaseloadFlag:
    """A tag on a caseload row that says something needs doing. `load(household_ids)` returns the household ids it
    applies to (a set), or {household id: value} for those it applies to, each value plain data as a caseload
    column's is and kept as a column's is (for the day, until the family changes); `template` draws the tag from
    `household_id` and `value` alone, and it is kept (`{% row %}`)."""

    key: str
    order: int
    template: str
    load: Callable[[list], set | dict]


@dataclass(frozen=True)
class CaseloadFilter:
    """A filter of the caseload: a select named `name`; `apply(queryset, value, as_of)` narrows the service users."""

    name: str
    label: str
    choices: Callable[[], list]
    apply: Callable


@dataclass(frozen=True)
class CaseloadSortKey:
    """One key of the caseload's default order, "what needs attention first": `expression(as_of)` is annotated on each
    service user row as `name` (an expression over the row, e.g. a subquery on `OuterRef("household")`); the keys
    apply in `order`, then the names. Registering one keeps the order in SQL, so it holds across pages."""

    name: str
    order: int
    expression: Callable[[date], object]
    descending: bool = False


@dataclass(frozen=True)
class SummaryItem:
    """One line of the summary at the top of every tab of a family's record (risk first): `load(household, as_of)`
    returns its value (in a fixed number of queries); `template` draws it with `value`."""

    key: str
    label: str
    order: int
    template: str
    load: Callable[[object, date], object]


DONE, STARTED, NOT_STARTED = "Completed", "In progress", "Not yet started"


@dataclass(frozen=True)
class ChecklistStep:
    """One step of the new-family checklist on a family's first tab (guide order: assess, visit and see storage, box
    and leaflet, agreement, consents, safety plan): `status(household, as_of)` is DONE, STARTED or NOT_STARTED (one
    or two queries); `url_name` (reversed with the household's id) is where the step is done."""

    key: str
    order: int
    title: str
    url_name: str
    status: Callable[[object, date], str]


@dataclass(frozen=True)
class HouseholdAlert:
    """A warning at the top of every page of one household (above its tabs), for something that must be done before
    anything else. `load(household)` returns the warnings' texts (none: nothing shown); `url_name`, reversed with the
    household's id, is where it is done."""

    key: str
    order: int
    load: Callable[[object], list]
    url_name: str


@dataclass(frozen=True)
class SharedSection:
    """A part of a family's record that can leave the treatment team: shown to a partner whose consent or recorded
    decision covers `scope`, and attached to a child protection referral. `load(household, as_of)` returns the data
    `template` is drawn with (as `data`, with `household`), or None when there is nothing to show. Templates are plain
    HTML, so the same one serves a page and a PDF."""

    scope: str
    label: str
    order: int
    template: str
    load: Callable[[object, date], object]


_SECTIONS: dict[str, SharedSection] = {}


def register_shared_section(section: SharedSection) -> None:
    _SECTIONS[section.scope] = section


def shared_sections(household, scopes, as_of: date) -> list[dict]:
    """The registered sections whose scope is in `scopes`, with their data (one loader call each)."""
    sections = []
    for section in sorted(_SECTIONS.values(), key=lambda s: s.order):
        if section.scope in scopes:
            sections.append({"section": section, "data": section.load(household, as_of)})
    return sections


@dataclass(frozen=True)
class ChronologyEvent:
    """One dated event in a family's chronology. `kind` is its source's key; `url` (optional) is where it is kept."""

    on: date
    kind: str
    title: str
    detail: str = ""
    by: str = ""
    url: str = ""


@dataclass(frozen=True)
class ChronologySource:
    """What one app contributes to the family chronology: `load(household, since, until)` returns its events between
    the dates (either may be None), in a fixed number of queries. `scope` is the ShareScope a partner needs to see
    them ("" : the treatment team only)."""

    key: str
    label: str
    load: Callable[[object, date | None, date | None], list]
    scope: str = ""


_CHRONOLOGY: dict[str, ChronologySource] = {}


def in_period(queryset, field: str, since: date | None, until: date | None):
    """`queryset` narrowed to `field` between the dates (either may be None)."""
    if since is not None:
        queryset = queryset.filter(**{f"{field}__gte": since})
    if until is not None:
        queryset = queryset.filter(**{f"{field}__lte": until})
    return queryset


def register_chronology_source(source: ChronologySource) -> None:
    _CHRONOLOGY[source.key] = source


def chronology_sources(scopes=None) -> list[ChronologySource]:
    """Every source (`scopes` None), or those a partner with these scopes may see."""
    sources = sorted(_CHRONOLOGY.values(), key=lambda s: s.label)
    return [s for s in sources if scopes is None or (s.scope and s.scope in scopes)]


def chronology(household, *, sources, since: date | None = None, until: date | None = None) -> list[ChronologyEvent]:
    """The household's events from these sources, newest first."""
    events = [event for source in sources for event in source.load(household, since, until)]
    return sorted(events, key=lambda e: (e.on, e.kind, e.title), reverse=True)


_PANELS: dict[str, ServiceUserPanel] = {}
_COLUMNS: dict[str, CaseloadColumn] = {}
_FLAGS: dict[str, CaseloadFlag] = {}
_FILTERS: dict[str, CaseloadFilter] = {}
_ALERTS: dict[str, HouseholdAlert] = {}
_SORT_KEYS: dict[str, CaseloadSortKey] = {}
_SUMMARY: dict[str, SummaryItem] = {}
_CHECKLIST: dict[str, ChecklistStep] = {}


def register_household_alert(alert: HouseholdAlert) -> None:
    _ALERTS[alert.key] = alert


def household_alerts(household) -> list[dict]:
    """Every registered alert that applies to this household now: its text and where to act (one query each)."""
    return [
        {"text": text, "href": reverse(alert.url_name, args=[household.pk])}
        for alert in sorted(_ALERTS.values(), key=lambda a: a.order)
        for text in alert.load(household)
    ]


def register_service_user_panel(panel: ServiceUserPanel) -> None:
    _PANELS[panel.key] = panel


def register_caseload_column(column: CaseloadColumn) -> None:
    _COLUMNS[column.key] = column


def register_caseload_flag(flag: CaseloadFlag) -> None:
    _FLAGS[flag.key] = flag


def register_caseload_filter(caseload_filter: CaseloadFilter) -> None:
    _FILTERS[caseload_filter.name] = caseload_filter


def register_checklist_step(step: ChecklistStep) -> None:
    _CHECKLIST[step.key] = step


def new_family_checklist(household, as_of: date) -> list[dict]:
    """Each registered step with its status and where to do it, in the guide's order."""
    return [
        {
            "title": step.title,
            "status": step.status(household, as_of),
            "href": reverse(step.url_name, args=[household.pk]),
        }
        for step in sorted(_CHECKLIST.values(), key=lambda s: s.order)
    ]


def register_summary_item(item: SummaryItem) -> None:
    _SUMMARY[item.key] = item


def household_summary(household, as_of: date) -> list[tuple[SummaryItem, object]]:
    """The same facts at the top of every tab: each registered item with its value."""
    return [(item, item.load(household, as_of)) for item in sorted(_SUMMARY.values(), key=lambda i: i.order)]


def register_caseload_sort_key(key: CaseloadSortKey) -> None:
    _SORT_KEYS[key.name] = key


def caseload_sort_keys() -> list[CaseloadSortKey]:
    return sorted(_SORT_KEYS.values(), key=lambda k: k.order)


def caseload_filters() -> list[CaseloadFilter]:
    return sorted(_FILTERS.values(), key=lambda f: f.name)


def service_user_panels(service_users: list, as_of: date) -> dict[int, list[tuple[ServiceUserPanel, object]]]:
    """For each service user, every registered panel with its data: one loader call per panel for all of them."""
    panels = sorted(_PANELS.values(), key=lambda p: p.order)
    loaded = [(panel, panel.load(service_users, as_of)) for panel in panels]
    return {su.pk: [(panel, data.get(su.pk)) for panel, data in loaded] for su in service_users}


# Kept values of the caseload, per worker, at most this many rows and families together (1.7 KB each on the region).
CASELOAD_KEPT = 20_000
_caseload_kept = Kept(CASELOAD_KEPT)
_NOT_KEPT = object()


def caseload_values(
    rows: list, as_of: date, *, cells: Callable[[list, date], dict]
) -> tuple[dict, list[tuple[CaseloadColumn, dict]], list[tuple[CaseloadFlag, dict]]]:
    """For these caseload rows: {service user id: the row's own cells} (`cells(rows, as_of)` works them out, plain
    values, for every row given), every registered column with {service user id: value}, and every registered flag with
    {household id: value} for their households (a flag whose loader gives only the ids has the value True).

    What was worked out for a row or a family on an earlier request is kept with the family's change number and
    used while the number stands (core.marks: one query for the page's families); the loaders are asked only for
    the rest, once each for all of them. Kept for the day, the language, and the columns and flags registered."""
    columns = sorted(_COLUMNS.values(), key=lambda c: c.order)
    flags = sorted(_FLAGS.values(), key=lambda f: f.order)
    numbers = marks.changes_of({row.household_id for row in rows})
    context = (as_of, translation.get_language())

    def row_key(row):
        registered = (f"{cells.__module__}.{cells.__qualname__}", *(c.key for c in columns))
        return ("row", registered, row.pk, row.household_id, numbers[row.household_id], context)

    def family_key(household_id):
        return ("flags", tuple(f.key for f in flags), household_id, numbers[household_id], context)

    by_row = {row.pk: _caseload_kept.get(row_key(row), _NOT_KEPT) for row in rows}
    missing = [row for row in rows if by_row[row.pk] is _NOT_KEPT]
    if missing:
        own = cells(missing, as_of)
        loaded = [column.load(missing, as_of) for column in columns]
        for row in missing:
            by_row[row.pk] = _kept(row_key(row), (own[row.pk], *(_given(values, row.pk) for values in loaded)))

    households = list(dict.fromkeys(row.household_id for row in rows))
    by_family = {h: _caseload_kept.get(family_key(h), _NOT_KEPT) for h in households}
    unflagged = [h for h in households if by_family[h] is _NOT_KEPT]
    if unflagged:
        loaded = [_flag_values(flag, unflagged) for flag in flags]
        for h in unflagged:
            by_family[h] = _kept(family_key(h), tuple(_given(values, h) for values in loaded))

    return (
        {pk: kept[0] for pk, kept in by_row.items()},
        [(column, _present({pk: kept[i + 1] for pk, kept in by_row.items()})) for i, column in enumerate(columns)],
        [(flag, _present({h: kept[i] for h, kept in by_family.items()})) for i, flag in enumerate(flags)],
    )


def _flag_values(flag: CaseloadFlag, household_ids: list) -> dict:
    applies = flag.load(household_ids)
    return applies if isinstance(applies, dict) else dict.fromkeys(applies, True)


def _kept(key: tuple, values: tuple) -> tuple:
    try:
        typed(values)
    except TypeError as refused:
        raise TypeError(f"A caseload column or flag gave a {refused}: only plain values are kept") from None
    _caseload_kept.keep(key, values)
    return values


def _given(values: dict, key) -> tuple[bool, object]:
    """Whether the loader gave this row (or family) a value, and the value: a row it leaves out stays out."""
    return (key in values, values.get(key))


def _present(values: dict) -> dict:
    return {key: value for key, (given, value) in values.items() if given}


def forget_caseload_values() -> None:
    _caseload_kept.clear()
