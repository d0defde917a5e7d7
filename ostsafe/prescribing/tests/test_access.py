import pytest
from django.urls import reverse

from ostsafe.core.testing import ACTORS, PRESCRIBE, VIEW, allowed, assert_view_access

PAGES = [
    ("prescribing:add", lambda w: [w.household.pk, w.service_user.pk]),
    ("prescribing:edit", lambda w: [w.household.pk, w.prescription.pk]),
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("name", "args"), PAGES, ids=[n for n, _ in PAGES])
def test_prescription_pages_are_for_prescribers(client, world, actor, name, args):
    assert_view_access(
        client,
        world.users[actor],
        reverse(name, args=args(world)),
        may=allowed(actor, PRESCRIBE),
        household_id=world.household.pk,
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_prescription_api_reads_with_the_family_and_writes_for_prescribers(client, world, actor):
    url = reverse("prescription-detail", args=[world.prescription.pk])
    assert_view_access(client, world.users[actor], url, may=allowed(actor, VIEW), household_id=world.household.pk)
    response = client.patch(url, {"daily_dose": "65"}, content_type="application/json")
    assert (response.status_code == 200) == allowed(actor, PRESCRIBE), response.content


@pytest.mark.parametrize("actor", ACTORS)
def test_take_home_overrides_page_is_for_managers(client, world, actor):
    assert_view_access(
        client,
        world.users[actor],
        reverse("prescribing:overrides"),
        may=actor in {"manager", "manager_other_service", "administrator"},
    )
