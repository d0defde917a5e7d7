"""Months, as the reports count them (Europe/London dates)."""

from datetime import date, timedelta


def month_of(day: date) -> date:
    """The first day of the day's month."""
    return day.replace(day=1)


def month_end(month: date) -> date:
    """The last day of the month `month` falls in."""
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def months_before(day: date, count: int) -> list[date]:
    """The first days of the `count` complete months before the day's, newest first."""
    months = []
    month = month_of(day)
    while len(months) < count:
        month = month_of(month - timedelta(days=1))
        months.append(month)
    return months
