"""Writing the access log. Every read of a family's data, and every refused attempt, comes through here."""

import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.db import connection

from ostsafe.core import changes

from .models import AccessEvent, ListedHousehold, Outcome


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address the request came from, trusting exactly OSTSAFE_TRUSTED_PROXY_HOPS proxies in front of the service
    (0 by default: the connection's own address). Each trusted proxy appends the address it saw to X-Forwarded-For, so
    the client is that many entries from the right; anything further left was written by the client and can be
    forged. Never fails: an address that cannot be read is recorded as not known."""
    if request is None:
        return None
    hops = settings.OSTSAFE_TRUSTED_PROXY_HOPS
    remote = request.META.get("REMOTE_ADDR", "")
    if hops <= 0:
        return _address(remote)
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        return None
    return _address(forwarded[-hops])


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
    """One event for one look at a list page, naming every family it showed (ListedHousehold), in one statement on
    PostgreSQL (two elsewhere): the log reads as one look at one list, and each family's own log still finds it."""
    ids = sorted(set(household_ids))
    detail = f"{len(ids)} famil{'y' if len(ids) == 1 else 'ies'} shown"
    event = _event(request, user, None, action, Outcome.ALLOWED, detail)
    if ids and connection.vendor == "postgresql":
        _insert_with_listing(event, ids)
        return event
    event.save(force_insert=True)
    ListedHousehold.objects.bulk_create([ListedHousehold(event=event, household_id=h) for h in ids])
    return event


def _insert_with_listing(event: AccessEvent, ids: list[int]) -> None:
    """Write an unsaved event and its listing in one statement (PostgreSQL): every list page writes one, and as two
    statements in a transaction it was four round trips. The event's columns and values come from its model, as
    save() would write them."""
    quote = connection.ops.quote_name
    fields = [f for f in AccessEvent._meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(event, add=True), connection) for f in fields]
    events, listed = quote(AccessEvent._meta.db_table), quote(ListedHousehold._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            # Table and column names from the models, placeholders for every value.
            f"WITH event AS (INSERT INTO {events} ({', '.join(quote(f.column) for f in fields)}) "  # nosec B608
            f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING id) "
            f"INSERT INTO {listed} (event_id, household_id) SELECT event.id, h FROM event, UNNEST(%s::bigint[]) AS h "
            "RETURNING event_id",
            [*values, ids],
        )
        event.pk = cursor.fetchone()[0]
    event._state.adding, event._state.db = False, connection.alias


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
    """Write the audit event for a change made by a service function (inside its transaction), and tell whoever
    listens for changes to a family (the warning-signs engine) once it commits."""
    _change_event(user, household_id, action, detail).save(force_insert=True)
    changes.household_changed(household_id)


def record_changes(*, user, action: str, household_ids: Iterable[int], detail: str = ""):
    """One change event per household touched by a bulk write (an import batch), in a single query."""
    AccessEvent.objects.bulk_create(_change_event(user, h, action, detail) for h in set(household_ids))


# Rows per INSERT statement of a bulk change's listing: two parameters a row, well inside SQLite's limit.
LISTING_ROWS_PER_STATEMENT = 5000


def record_bulk_change(*, user, action: str, household_ids: Iterable[int], detail: str = ""):
    """One change event for a bulk write (an import batch), naming every household it touched (ListedHousehold): a
    batch across thousands of families is one event and one COPY (multi-row INSERTs elsewhere), no model instance
    per family, and each family's own log still finds it."""
    ids = sorted(set(household_ids))
    event = _change_event(user, None, action, detail)
    event.save(force_insert=True)
    table = connection.ops.quote_name(ListedHousehold._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} (event_id, household_id) FROM STDIN") as copy:
                for household_id in ids:
                    copy.write_row((event.pk, household_id))
            return event
        for start in range(0, len(ids), LISTING_ROWS_PER_STATEMENT):
            chunk = ids[start : start + LISTING_ROWS_PER_STATEMENT]
            cursor.execute(
                # The table name from the model, placeholders for every value.
                f"INSERT INTO {table} (event_id, household_id) VALUES " + ", ".join(["(%s, %s)"] * len(chunk)),  # nosec B608
                [value for household_id in chunk for value in (event.pk, household_id)],
            )
    return event
