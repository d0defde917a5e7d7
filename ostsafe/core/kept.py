"""What a worker works out again and again and keeps for the next request: drawn rows' markup (`{% row %}`) and the
caseload's values for each family (core.households, keyed by the family's change number, core.marks).

Only plain data is kept (text, numbers, dates, true or false, nothing, and tuples of these, named tuples too): never
a model instance or anything that could be changed after it was kept, and nothing that is not derived from what
the key names. Each process keeps at most a fixed number of entries, the least recently used going first: derived
values, not state, so app servers stay interchangeable and a restarted worker simply works them out again."""

import datetime
import threading
import weakref
from collections import OrderedDict
from decimal import Decimal

PLAIN = (str, int, float, bool, Decimal, datetime.date, type(None))  # datetime is a date
_EVERY_KEPT: "weakref.WeakSet[Kept]" = weakref.WeakSet()


def forget_everything_kept() -> None:
    """Everything this process keeps, forgotten: for tests, whose rolled-back writes take the change numbers back
    with them, so that a number one test saw can stand for other records in the next (a service's only go up)."""
    for kept in list(_EVERY_KEPT):
        kept.clear()


def typed(value):
    """The value with its type, all the way down: True == 1 and marked-safe text equals the same text unescaped, but
    neither draws the same. Anything but plain data, or a tuple of it (a named tuple too), is refused."""
    if isinstance(value, tuple):
        return type(value), tuple(typed(item) for item in value)
    if isinstance(value, PLAIN):
        return type(value), value
    raise TypeError(f"{type(value).__name__}")


def is_plain(value) -> bool:
    try:
        typed(value)
    except TypeError:
        return False
    return True


class Kept:
    """The least recently used go first once `size` are kept. One lock: a threaded server asks at once."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[tuple, object] = OrderedDict()
        self.lock = threading.Lock()
        _EVERY_KEPT.add(self)

    def get(self, key, default=None):
        with self.lock:
            if key not in self.entries:
                return default
            self.entries.move_to_end(key)
            return self.entries[key]

    def keep(self, key, value) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()

    def __len__(self) -> int:
        return len(self.entries)
