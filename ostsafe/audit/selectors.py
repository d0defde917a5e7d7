"""Reads of the access log for managers."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ostsafe.core import access
from ostsafe.core.households import household_model

from .models import AccessEvent, ListedHousehold, Outcome


def events_visible_to(user):
    """Access events a manager may read: every look at their service's households, and every action of their
    own service's staff (including refused attempts on households they could not see)."""
    events = AccessEvent.objects.select_related("user__organisation")
    if access.sees_every_household(user):
        return events
    households = household_model().objects.filter(access.household_q(user)).values("pk")
    listed = ListedHousehold.objects.filter(event=OuterRef("pk"), household_id__in=households)
    return events.filter(
        Q(household_id__in=households) | Q(user__organisation_id=user.organisation_id) | Exists(listed)
    )


def about_household(events, household_id: int):
    """Events about one family: looks at its record, and list pages that showed it."""
    listed = ListedHousehold.objects.filter(event=OuterRef("pk"), household_id=household_id)
    return events.filter(Q(household_id=household_id) | Exists(listed))


def filter_events(
    events,
    *,
    user_id=None,
    household_id=None,
    date_from: date | None = None,
    date_to: date | None = None,
    refused_only: bool = False,
):
    if refused_only:
        events = events.filter(outcome=Outcome.REFUSED)
    if user_id:
        events = events.filter(user_id=user_id)
    if household_id:
        events = about_household(events, household_id)
    tz = timezone.get_current_timezone()
    if date_from:
        events = events.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        events = events.filter(at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz))
    return events


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
    looked at (or was refused at) their service's families lately, such as a partner turned away."""
    since = timezone.now() - timedelta(days=PEOPLE_FROM_OTHER_ORGANISATIONS_DAYS)
    looked = events_visible_to(user).filter(at__gte=since, household_id__isnull=False, user_id__isnull=False)
    people = get_user_model().objects.filter(access.audit_log_people_q(user))
    if access.sees_every_household(user) or not access.has_action(user, access.Action.VIEW_AUDIT):
        return people.order_by("full_name", "pk")
    others = get_user_model().objects.filter(pk__in=looked.values("user_id"))
    return (people | others).distinct().order_by("full_name", "pk")
