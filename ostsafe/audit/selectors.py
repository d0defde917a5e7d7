"""Reads of the access log for managers."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from ostsafe.core import access
from ostsafe.core.households import household_model

from .models import AccessEvent, ListedHousehold, Outcome


def events_visible_to(user, *, about_household: int | None = None):
    """Access events a manager may read: every look at their service's households, and every action of their
    own service's staff (including refused attempts on households they could not see).

    With `about_household` (a page of one family's events), a family in the reader's reach needs no filter: every
    event about it is one they may read, by the rule above. Saying so keeps the planner from checking each of that
    family's events against every listing of every family the service has."""
    events = AccessEvent.objects.select_related("user__organisation")
    if access.sees_every_household(user):
        return events
    households = household_model().objects.filter(access.household_q(user)).values("pk")
    if about_household is not None and households.filter(pk=about_household).exists():
        return events
    # A list page by someone of another organisation that showed one of the reader's families. A scalar subquery,
    # not EXISTS: the planner may turn an EXISTS into a hash of every listing of every family in reach (millions of
    # rows, seconds), where this stays one index lookup for each event that gets this far.
    shown = ListedHousehold.objects.filter(event=OuterRef("pk"), household_id__in=households).values("pk")[:1]
    return events.alias(shown_one_of_ours=Subquery(shown)).filter(
        Q(household_id__in=households)
        | Q(user__organisation_id=user.organisation_id)
        | Q(shown_one_of_ours__isnull=False)
    )


def filter_events(
    events,
    *,
    user_id=None,
    date_from: date | None = None,
    date_to: date | None = None,
    refused_only: bool = False,
):
    """The log narrowed by person, dates and outcome (a household is a page's own question: `page_of_events`)."""
    if refused_only:
        events = events.filter(outcome=Outcome.REFUSED)
    if user_id:
        events = events.filter(user_id=user_id)
    tz = timezone.get_current_timezone()
    if date_from:
        events = events.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        events = events.filter(at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz))
    return events


PAGE_SIZE = 50


@dataclass
class EventPage:
    """One page of the log, newest first. `older` and `newer` are the event numbers the next pages start beyond (None
    when there is nothing that way); there is no page number and no count: the log holds millions of rows."""

    events: list = field(default_factory=list)
    older: int | None = None
    newer: int | None = None


def _newest_numbers(events, *, household_id, older_than, newer_than, size) -> list[int]:
    """Up to `size` + 1 event numbers beyond the cursor, nearest first, each read by an index range: the log in order
    of writing (the primary key), or one family's events (household and number) and the list pages that showed it
    (listing by household and event), merged."""
    order = "pk" if newer_than is not None else "-pk"
    if newer_than is not None:
        events = events.filter(pk__gt=newer_than)
    elif older_than is not None:
        events = events.filter(pk__lt=older_than)
    if household_id is None:
        return list(events.order_by(order).values_list("pk", flat=True)[: size + 1])
    own = events.filter(household_id=household_id).order_by(order).values_list("pk", flat=True)[: size + 1]
    shown = events.filter(listed__household_id=household_id).order_by(order).values_list("pk", flat=True)
    return sorted({*own, *shown[: size + 1]}, reverse=newer_than is None)[: size + 1]


def page_of_events(
    events, *, household_id=None, older_than: int | None = None, newer_than: int | None = None, size=PAGE_SIZE
) -> EventPage:
    """A page of events by keyset (the event number), so any page of any filter costs a few index ranges however
    long the log grows: no OFFSET over millions of rows, no exact count. `household_id` narrows to one family (its own
    events and the list pages that showed it). The events come with `listed_ids` (`with_listed`)."""
    numbers = _newest_numbers(
        events, household_id=household_id, older_than=older_than, newer_than=newer_than, size=size
    )
    more = len(numbers) > size
    numbers = sorted(numbers[:size], reverse=True)
    # The numbers are already the caller's reach: the rows themselves are fetched by primary key alone.
    rows = AccessEvent.objects.select_related("user__organisation").filter(pk__in=numbers).order_by("-pk")
    page = EventPage(events=with_listed(rows))
    if not numbers:
        return page
    if newer_than is not None:
        page.newer = numbers[0] if more else None
        page.older = numbers[-1]
    else:
        page.older = numbers[-1] if more else None
        page.newer = numbers[0] if older_than is not None else None
    return page


def about_household(events, household_id: int):
    """Events about one family: looks at its record, and list pages that showed it (for counting and checks; pages
    use `page_of_events`, which reads the same by index)."""
    listed = ListedHousehold.objects.filter(event=OuterRef("pk"), household_id=household_id)
    return events.filter(Q(household_id=household_id) | Exists(listed))


def household_names(events) -> dict[int, str]:
    """Names of the households on one page of events (and of those the list pages among them showed), in one
    query."""
    ids = {e.household_id for e in events if e.household_id}
    ids |= {h for e in events for h in getattr(e, "listed_ids", [])}
    return dict(household_model().objects.filter(pk__in=ids).values_list("pk", "name"))


def with_listed(events) -> list:
    """The page's events, each with `listed_ids`: the families a list page showed. One query."""
    events = list(events)
    listed: dict[int, list[int]] = {}
    for event_id, household_id in ListedHousehold.objects.filter(event__in=[e.pk for e in events]).values_list(
        "event_id", "household_id"
    ):
        listed.setdefault(event_id, []).append(household_id)
    for event in events:
        event.listed_ids = sorted(listed.get(event.pk, []))
    return events


# How far back the person filter looks for people of other organisations (a partner refused at a family's record).
PEOPLE_FROM_OTHER_ORGANISATIONS_DAYS = 90


def people_in_the_log(user):
    """Whose actions this reader of the access log may filter by: their own organisation's staff, and anyone else who
    looked at (or was refused at) their service's families lately, such as a partner turned away.

    Asked person by person (each of another organisation: an index range of their own events), not by reading every
    event of the last 90 days: the log holds millions of rows, and the page's person list must not cost seconds."""
    people = get_user_model().objects.filter(access.audit_log_people_q(user))
    if access.sees_every_household(user) or not access.has_action(user, access.Action.VIEW_AUDIT):
        return people.order_by("full_name", "pk")
    since = timezone.now() - timedelta(days=PEOPLE_FROM_OTHER_ORGANISATIONS_DAYS)
    households = household_model().objects.filter(access.household_q(user)).values("pk")
    looked = AccessEvent.objects.filter(user=OuterRef("pk"), at__gte=since, household_id__in=households)
    others = list(
        get_user_model()
        .objects.exclude(organisation_id=user.organisation_id)
        .filter(Exists(looked))
        .values_list("pk", flat=True)
    )
    return (people | get_user_model().objects.filter(pk__in=others)).distinct().order_by("full_name", "pk")
