"""Warning signs in the family chronology (core.households.register_chronology_source): each flag raised, acknowledged
with what was done, and cleared; and what practitioners noticed. The treatment team's only: a partner never sees a
flag, whose evidence they may not be able to see."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ostsafe.core.households import ChronologyEvent, in_period

from .models import Flag, Observation
from .signs import SIGNS_BY_KEY


def _between(field: str, since, until) -> Q:
    return Q(**{f"{field}__gte": since} if since else {}) & Q(**{f"{field}__lte": until} if until else {})


def _local_date(moment):
    return timezone.localtime(moment).date()


def flag_events(household, since, until) -> list[ChronologyEvent]:
    """Two queries: the flags touched in the period, and what was noticed in it."""
    url = reverse("curiosity:tab", args=[household.pk])
    touched = _between("raised_on", since, until)
    touched |= _between("acknowledged_at__date", since, until) | _between("cleared_at__date", since, until)
    found = []
    for flag in (
        Flag.objects.filter(touched, household=household).select_related("raised_by", "acknowledged_by").order_by("pk")
    ):
        title = SIGNS_BY_KEY[flag.sign].title.lower()
        moments = [
            (
                flag.raised_on,
                f"Warning sign raised: {title}",
                flag.reason or "; ".join(item["text"] for item in flag.evidence[:3]),
                flag.raised_by.full_name if flag.raised_by_id else "Found from the record",
            )
        ]
        if flag.acknowledged_at:
            moments.append(
                (
                    _local_date(flag.acknowledged_at),
                    f"Warning sign acknowledged: {title}: {flag.get_action_display().lower()}",
                    flag.action_note,
                    flag.acknowledged_by.full_name if flag.acknowledged_by_id else "",
                )
            )
        if flag.cleared_at:
            moments.append((_local_date(flag.cleared_at), f"Warning sign cleared: {title}", "", ""))
        found += [
            ChronologyEvent(on=on, kind="warning_signs", title=text, detail=detail, by=by, url=url)
            for on, text, detail, by in moments
            if (since is None or on >= since) and (until is None or on <= until)
        ]
    observations = in_period(Observation.objects.filter(household=household), "noticed_on", since, until)
    for seen in observations.select_related("service_user", "recorded_by"):
        found.append(
            ChronologyEvent(
                on=seen.noticed_on,
                kind="warning_signs",
                title=f"Noticed: {seen.get_kind_display().lower()} ({seen.service_user.full_name})",
                detail=seen.note,
                by=seen.recorded_by.full_name,
                url=url,
            )
        )
    return found
