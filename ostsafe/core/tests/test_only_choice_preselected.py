"""Forms that know what the system knows: in a household with one person in treatment, every form that asks who it
is about has them chosen already."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
FORMS = [
    "assessments:start",
    "assessments:pre_birth_request",
    "plans:agreement_draft",
    "sharing:consent_add",
    "monitoring:appointment",
    "monitoring:test_result",
]


@pytest.mark.parametrize("url_name", FORMS)
def test_the_only_service_user_is_already_chosen(client, world, url_name):
    client.force_login(world.users["keyworker"])
    page = client.get(reverse(url_name, args=[world.household.pk])).content.decode()
    value = world.service_user.pk
    chosen = re.search(rf'value="{value}"[^>]*\b(checked|selected)\b', page) or re.search(
        rf'(checked|selected)[^>]*value="{value}"', page
    )
    assert chosen, f"{url_name}: {world.service_user.full_name} is not chosen already"


def test_the_only_child_is_already_chosen_for_a_referral(client, world):
    client.force_login(world.users["keyworker"])
    form = client.get(reverse("sharing:referral_add", args=[world.household.pk])).context["form"]
    assert form.initial["children"] == [world.child.pk]
