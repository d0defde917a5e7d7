"""The benchmark region: every planted warning sign is found by the nightly sweep, and the steady control households
are rarely flagged (the benchmark measures the same at 10,000 service users on PostgreSQL)."""

import pytest
from django.core.management import call_command

from ostsafe.core.validators import today
from ostsafe.curiosity.models import Flag
from ostsafe.curiosity.services import evaluate_all
from ostsafe.curiosity.signs import SIGNS
from ostsafe.demo.region import planted_and_control
from ostsafe.families.models import ServiceUser

pytestmark = pytest.mark.django_db


def test_a_small_region_has_every_planted_sign_found_and_few_false_flags_on_controls(capsys):
    call_command("make_region", "--service-users", "150", "--planted", "2")
    assert "Region built: 150 service users" in capsys.readouterr().out
    assert ServiceUser.objects.count() == 150
    evaluate_all(as_of=today())
    planted, control = planted_and_control()
    assert set(planted) == {sign.key for sign in SIGNS}
    for sign, households in planted.items():
        assert Flag.objects.open().filter(sign=sign, household_id__in=households).count() == len(households), sign
    flagged = Flag.objects.open().filter(household_id__in=control).values("household").distinct().count()
    assert flagged <= 0.05 * len(control)


def test_make_region_is_refused_where_demo_data_is_not_allowed(settings):
    from django.core.management.base import CommandError

    settings.OSTSAFE_ALLOW_DEMO = False
    with pytest.raises(CommandError):
        call_command("make_region", "--service-users", "10")


def test_a_region_has_a_keyworkers_tasks_a_few_open_and_some_overdue():
    from ostsafe.families.models import Household
    from ostsafe.tasks.models import Task, TaskStatus

    call_command("make_region", "--service-users", "150", "--planted", "2")
    households = Household.objects.count()
    open_tasks = Task.objects.filter(status=TaskStatus.OPEN)
    assert Task.objects.count() >= 8 * households  # two years of work, most of it done
    assert households <= open_tasks.count() <= 3 * households
    assert 0 < open_tasks.filter(due_on__lt=today()).count() < open_tasks.count() / 4
    assert not Task.objects.filter(status=TaskStatus.DONE, completed_at__isnull=True).exists()
    assert not open_tasks.exclude(assignee_id__in=ServiceUser.objects.values("keyworker_id")).exists()


def test_a_region_has_what_the_take_home_checks_read_as_a_service_following_the_guide_would():
    from ostsafe.families.models import Household
    from ostsafe.plans.selectors import guidance_agreement_checks
    from ostsafe.storage.selectors import safety_box_checks
    from ostsafe.visits.models import StorageCheck
    from ostsafe.visits.selectors import storage_seen_checks

    call_command("make_region", "--service-users", "150", "--planted", "2")
    with_children = Household.objects.filter(members__role="child").distinct()
    taking_home = list(
        ServiceUser.objects.filter(household__in=with_children, prescriptions__regime="take_home").distinct()
    )
    assert taking_home
    as_of = today()
    for check in (storage_seen_checks, safety_box_checks, guidance_agreement_checks):
        results = check(service_users=taking_home, as_of=as_of)
        assert all(result.met for result in results.values()), check.__name__
    # Every home visit saw the storage of each person in treatment there.
    assert StorageCheck.objects.count() == sum(
        household.home_visits.count() * household.service_users.count() for household in with_children
    )
