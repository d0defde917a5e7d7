"""Writing the access log. Every read of a family's data, and every refused attempt, comes through here."""

from collections.abc import Iterable

from .models import AccessEvent, Outcome


def client_ip(request) -> str | None:
    # Behind the production proxy the client is the first X-Forwarded-For address.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def _event(request, user, household_id, action, outcome, detail):
    return AccessEvent(
        user=user if user is not None and user.is_authenticated else None,
        household_id=household_id,
        action=action,
        path=request.get_full_path()[:500],
        method=request.method,
        ip_address=client_ip(request),
        outcome=outcome,
        detail=detail[:500],
    )


def record_access(*, request, user, action: str, household_id: int | None, allowed: bool, detail: str = ""):
    """Write one access event: who, which household, what, from where, and whether it was allowed."""
    outcome = Outcome.ALLOWED if allowed else Outcome.REFUSED
    event = _event(request, user, household_id, action, outcome, detail)
    event.save(force_insert=True)
    return event


def record_list_access(*, request, user, action: str, household_ids: Iterable[int]):
    """One event per household shown on a list page, written in a single query."""
    AccessEvent.objects.bulk_create(
        [_event(request, user, household_id, action, Outcome.ALLOWED, "") for household_id in set(household_ids)]
    )


def _change_event(user, household_id, action, detail):
    return AccessEvent(
        user=user if user is not None and user.is_authenticated else None,
        household_id=household_id,
        action=action,
        path="",
        method="WRITE",
        outcome=Outcome.ALLOWED,
        detail=detail[:500],
    )


def record_change(*, user, action: str, household_id: int | None, detail: str = ""):
    """Write the audit event for a change made by a service function (inside its transaction)."""
    _change_event(user, household_id, action, detail).save(force_insert=True)


def record_changes(*, user, action: str, household_ids: Iterable[int], detail: str = ""):
    """One change event per household touched by a bulk write (an import batch), in a single query."""
    AccessEvent.objects.bulk_create(_change_event(user, h, action, detail) for h in set(household_ids))
