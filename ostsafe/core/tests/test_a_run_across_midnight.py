"""A run collected before midnight and tested after it: each test sees TODAY as the day it runs on (conftest.py),
not the day its module was imported, so "tomorrow" in a test is still in the service's future."""

import datetime

from django.utils import timezone

TODAY = datetime.date.today()


def test_a_module_read_yesterday_as_today():
    # As if the module had been imported before midnight: the next test must not see it.
    globals()["TODAY"] = timezone.localdate() - datetime.timedelta(days=1)


def test_the_next_test_sees_the_day_it_runs_on():
    assert timezone.localdate() == TODAY
