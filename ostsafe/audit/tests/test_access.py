import pytest
from django.urls import reverse

from ostsafe.core.testing import ACTORS, AUDIT, allowed, assert_view_access

# The service-wide access log is not about one household: every manager and administrator reaches it (each sees
# only their own service's events, tested in test_audit.py).
ACCESS_LOG_ROLES = {"manager", "manager_other_service", "administrator"}


@pytest.mark.parametrize("actor", ACTORS)
def test_access_log_is_for_managers(client, world, actor):
    assert_view_access(client, world.users[actor], reverse("audit:events"), may=actor in ACCESS_LOG_ROLES)


@pytest.mark.parametrize("actor", ACTORS)
def test_household_access_log_tab_follows_the_role_table(client, world, actor):
    assert_view_access(
        client,
        world.users[actor],
        reverse("audit:household", args=[world.household.pk]),
        may=allowed(actor, AUDIT),
        household_id=world.household.pk,
    )
