"""Something about a family changed: listeners (the warning-signs engine) hear of it after the change commits.

Services already write one audit event per change with the household it touched (`audit.services.record_change`),
which calls `household_changed`; core knows no listener by name, apps register theirs in `AppConfig.ready()`. A
listener that fails is logged, never raised: the change itself has been saved and answered.
"""

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)
_LISTENERS: list[Callable[[int], None]] = []


def register_change_listener(listener: Callable[[int], None]) -> None:
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def household_changed(household_id: int | None) -> None:
    """Call every listener with `household_id` once the current transaction commits (at once outside one)."""
    if household_id is None or not _LISTENERS:
        return
    transaction.on_commit(lambda: _tell(household_id))


def _tell(household_id: int) -> None:
    for listener in _LISTENERS:
        try:
            listener(household_id)
        except Exception:  # noqa: BLE001 - a listener's failure must not undo or fail the saved change
            logger.exception("Change listener %s failed for household %s", listener, household_id)
