"""Working days in England and Wales: Monday to Friday, less bank holidays (from the kept `holidays` library, not a
hand list). Working Together 2023 counts children's social care's timescales in working days."""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _bank_holidays(year: int) -> frozenset[date]:
    # England's and Wales's bank holidays are the same days ("ENG"; Scotland and Northern Ireland differ).
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The working day `days` working days after `start` (start itself not counted)."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
