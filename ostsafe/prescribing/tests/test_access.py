import pytest
from django.urls import reverse

from ostsafe.core.testing import ACTORS, PRESCRIBE, VIEW, allowed, assert_view_access


@pytest.mark.parametrize("actor", ACTORS)
def test_prescription_api_reads_with_the_family_and_writes_for_prescribers(client, world, actor):
    url = reverse("prescription-detail", args=[world.prescription.pk])
    assert_view_access(client, world.users[actor], url, may=allowed(actor, VIEW), household_id=world.household.pk)
    response = client.patch(url, {"daily_dose": "65"}, content_type="application/json")
    assert (response.status_code == 200) == allowed(actor, PRESCRIBE), response.content
