"""Every families page and API endpoint, for every actor (see ostsafe.core.testing)."""

import pytest
from django.urls import reverse

from ostsafe.audit.models import AccessEvent, Outcome
from ostsafe.core.testing import ACTORS, CASELOAD_ROLES, EDIT, VIEW, allowed, assert_view_access


@pytest.mark.parametrize("actor", sorted(CASELOAD_ROLES))
def test_caseload_lists_the_family_only_to_those_who_may_see_it(client, world, actor):
    client.force_login(world.users[actor])
    response = client.get(reverse("families:caseload"), {"scope": "all"})
    assert (world.service_user.full_name in response.content.decode()) == allowed(actor, VIEW)


@pytest.mark.parametrize("actor", [a for a in ACTORS if not allowed(a, EDIT)])
def test_refused_write_saves_nothing(client, world, actor):
    client.force_login(world.users[actor])
    url = reverse("families:member_add", args=[world.household.pk, "child"])
    response = client.post(
        url,
        {
            "given_name": "Intruder",
            "date_of_birth-day": "1",
            "date_of_birth-month": "1",
            "date_of_birth-year": "2020",
            "child_status": "none",
        },
    )
    assert response.status_code == 403
    assert not world.household.members.filter(given_name="Intruder").exists()


def test_anonymous_visitor_is_sent_to_sign_in(client, world):
    response = client.get(reverse("families:household", args=[world.household.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_reading_a_household_is_audited_with_path_and_address(client, world):
    client.force_login(world.users["keyworker"])
    url = reverse("families:household", args=[world.household.pk])
    client.get(url, REMOTE_ADDR="10.1.2.3")
    event = AccessEvent.objects.filter(user=world.users["keyworker"], household_id=world.household.pk).latest("pk")
    assert (event.outcome, event.path, event.ip_address, event.action) == (
        Outcome.ALLOWED,
        url,
        "10.1.2.3",
        "household.view",
    )


def test_unknown_household_is_a_refused_audited_404(client, world):
    user = world.users["keyworker"]
    client.force_login(user)
    response = client.get(reverse("families:household", args=[999999]))
    assert response.status_code == 404
    assert AccessEvent.objects.filter(user=user, household_id=999999, outcome=Outcome.REFUSED).exists()


# API ---------------------------------------------------------------------------------------------------------------

API_OBJECTS = [
    ("household", lambda w: w.household.pk, {"name": "Renamed household"}),
    ("service-user", lambda w: w.service_user.pk, {"phone": "01632 960000"}),
    ("household-member", lambda w: w.child.pk, {"school_or_nursery": "Riverside Nursery"}),
    ("child-contact", lambda w: w.child_contact.pk, {"overnight_stays": False}),
    ("involvement", lambda w: w.involvement.pk, {"phone": "01632 960001"}),
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("basename", "pk", "change"), API_OBJECTS, ids=[b for b, _, _ in API_OBJECTS])
def test_api_read_and_write_follow_the_role_table(client, world, actor, basename, pk, change):
    url = reverse(f"{basename}-detail", args=[pk(world)])
    assert_view_access(client, world.users[actor], url, may=allowed(actor, VIEW), household_id=world.household.pk)
    response = client.patch(url, change, content_type="application/json")
    if allowed(actor, EDIT):
        assert response.status_code == 200, response.content
    else:
        assert response.status_code in (403, 404)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("basename", [b for b, _, _ in API_OBJECTS])
def test_api_lists_show_the_family_only_to_those_who_may_see_it(client, world, actor, basename):
    client.force_login(world.users[actor])
    response = client.get(reverse(f"{basename}-list"))
    if actor not in CASELOAD_ROLES:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert (response.json()["count"] > 0) == allowed(actor, VIEW)
