"""Break-glass: offered on the refusal to treatment staff outside the family's reach, with a reason; time-limited;
every page read during it audited as break-glass; reviewed by the managers; never for partners."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ostsafe.audit.models import AccessEvent, Outcome
from ostsafe.sharing import services
from ostsafe.sharing.models import BreakGlassGrant
from ostsafe.tasks.models import Task, TaskStatus

pytestmark = pytest.mark.django_db
REASON = "Service user collapsed at the hub and says her two-year-old is alone at home"


def household_url(world):
    return reverse("families:household", args=[world.household.pk])


def test_the_refusal_offers_break_glass_to_treatment_staff_outside_the_familys_reach(client, world):
    client.force_login(world.users["keyworker_other_team"])
    page = client.get(household_url(world))
    assert page.status_code == 403
    assert reverse("sharing:break_glass", args=[world.household.pk]) in page.content.decode()


@pytest.mark.parametrize("actor", ["health_visitor", "social_worker", "pharmacist", "commissioner"])
def test_partners_and_other_roles_cannot_break_glass(client, world, actor):
    client.force_login(world.users[actor])
    assert "break-glass" not in client.get(household_url(world)).content.decode()
    response = client.post(
        reverse("sharing:break_glass", args=[world.household.pk]), {"reason": REASON, "understood": "on"}
    )
    assert response.status_code == 403
    assert not BreakGlassGrant.objects.exists()


def test_break_glass_needs_a_reason_and_the_confirmation(client, world):
    client.force_login(world.users["keyworker_other_team"])
    url = reverse("sharing:break_glass", args=[world.household.pk])
    page = client.get(url).content.decode()
    assert world.household.name not in page  # the name only once access is granted
    response = client.post(url, {"reason": "urgent"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Say why you need this record now" in text or "Confirm that you understand" in text
    response = client.post(url, {"reason": "urgent", "understood": "on"})
    assert "Say why you need this record now" in response.content.decode()
    assert not BreakGlassGrant.objects.exists()


def test_break_glass_opens_the_record_for_hours_audits_every_read_and_asks_the_managers(client, world, settings):
    settings.OSTSAFE_BREAK_GLASS_HOURS = 4
    user = world.users["keyworker_other_team"]
    client.force_login(user)
    response = client.post(
        reverse("sharing:break_glass", args=[world.household.pk]), {"reason": REASON, "understood": "on"}
    )
    assert response.status_code == 302 and response["Location"] == household_url(world)
    grant = BreakGlassGrant.objects.get()
    assert grant.expires_at - grant.granted_at == datetime.timedelta(hours=4)

    page = client.get(household_url(world))
    assert page.status_code == 200 and "You opened this record with break-glass access" in page.content.decode()
    assert client.get(reverse("visits:tab", args=[world.household.pk])).status_code == 200
    reads = AccessEvent.objects.filter(user=user, household_id=world.household.pk, outcome=Outcome.ALLOWED)
    assert reads.filter(detail="break-glass").count() == 2

    reviews = Task.objects.filter(rule=services.BREAK_GLASS_REVIEW_RULE)
    assert {t.assignee for t in reviews} == {world.users["manager"]}

    BreakGlassGrant.objects.filter(pk=grant.pk).update(
        granted_at=timezone.now() - datetime.timedelta(hours=5), expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert client.get(household_url(world)).status_code == 403


def test_the_usual_reach_is_not_audited_as_break_glass(client, world):
    client.force_login(world.users["keyworker"])
    client.get(household_url(world))
    assert not AccessEvent.objects.filter(detail="break-glass").exists()
    assert client.get(reverse("sharing:break_glass", args=[world.household.pk])).status_code == 403


def test_managers_review_break_glass_on_their_own_page(client, world):
    grant = services.grant_break_glass(
        user=world.users["keyworker_other_team"], household=world.household, reason=REASON
    )
    client.force_login(world.users["manager"])
    listing = client.get(reverse("sharing:break_glass_list")).content.decode()
    assert REASON in listing and "Open" in listing
    url = reverse("sharing:break_glass_review", args=[grant.pk])
    response = client.post(url, {"review": "not_appropriate"})
    assert response.status_code == 200 and "Say why it was not appropriate" in response.content.decode()
    response = client.post(url, {"review": "appropriate", "note": "Child found safe with a neighbour"})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.review == "appropriate" and grant.reviewed_by == world.users["manager"]
    assert not Task.objects.filter(rule=services.BREAK_GLASS_REVIEW_RULE, status=TaskStatus.OPEN).exists()

    client.force_login(world.users["manager_other_service"])
    assert REASON not in client.get(reverse("sharing:break_glass_list")).content.decode()
    assert client.get(url).status_code == 404


def test_nobody_reviews_their_own_break_glass(world):
    grant = services.grant_break_glass(
        user=world.users["manager_other_service"], household=world.household, reason=REASON
    )
    with pytest.raises(Exception, match="Another manager"):
        services.review_break_glass(
            grant=grant, review="appropriate", note="", reviewed_by=world.users["manager_other_service"]
        )


def test_break_glass_through_the_api(client, world):
    client.force_login(world.users["keyworker_other_team"])
    detail = reverse("household-detail", args=[world.household.pk])
    assert client.get(detail).status_code == 403
    body = {"household": world.household.pk, "reason": "short"}
    response = client.post(reverse("break-glass-list"), body, content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(reverse("break-glass-list"), {**body, "reason": REASON}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert client.get(detail).status_code == 200
    assert AccessEvent.objects.filter(detail="break-glass", path=detail).exists()
    grant_id = response.json()["id"]

    client.force_login(world.users["health_visitor"])
    response = client.post(reverse("break-glass-list"), {**body, "reason": REASON}, content_type="application/json")
    assert response.status_code == 403
    client.force_login(world.users["manager"])
    assert [g["id"] for g in client.get(reverse("break-glass-list")).json()["results"]] == [grant_id]
    response = client.post(
        reverse("break-glass-review", args=[grant_id]), {"review": "appropriate"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["review"] == "appropriate"
