"""Dates default to today where the thing happened today: every form that records something that happened opens
with today's date in its date boxes (the practitioner changes it only when it was another day)."""

import datetime

import pytest
from django.urls import reverse

from ostsafe.core.forms import GovukDateField

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
# (URL name, who asks, the date fields that record what happened)
FORMS = [
    ("assessments:pre_birth_request", "keyworker", ["requested_on"]),
    ("visits:record", "keyworker", ["visited_on"]),
    ("plans:meeting", "keyworker", ["held_on"]),
    ("monitoring:appointment", "keyworker", ["on"]),
    ("monitoring:test_result", "keyworker", ["taken_on"]),
    ("monitoring:concern", "keyworker", ["received_on"]),
    ("curiosity:observe", "keyworker", ["noticed_on"]),
    ("sharing:consent_add", "keyworker", ["decided_on"]),
    ("sharing:partner_report", "health_visitor", ["happened_on"]),
    ("sharing:decision_add", "keyworker", ["decided_on"]),
    ("sharing:referral_add", "keyworker", ["made_on"]),
]


@pytest.mark.parametrize(("url_name", "actor", "fields"), FORMS)
def test_a_form_recording_what_happened_opens_on_today(client, world, url_name, actor, fields):
    client.force_login(world.users[actor])
    response = client.get(reverse(url_name, args=[world.household.pk]))
    if response.status_code == 302:  # a page that needs something first (a plan before its review)
        pytest.skip(f"{url_name} needs another record first")
    assert response.status_code == 200
    form = response.context["form"]
    for name in fields:
        assert isinstance(form.fields[name], GovukDateField), name
        assert form[name].value() in (TODAY, TODAY.isoformat()), f"{url_name}: {name} is {form[name].value()!r}"


def test_an_optional_date_left_empty_stays_empty(client, world):
    """Editing someone in treatment must not discharge them today: optional dates do not default."""
    client.force_login(world.users["keyworker"])
    url = reverse("families:service_user_edit", args=[world.household.pk, world.service_user.pk])
    form = client.get(url).context["form"]
    assert form["discharged_on"].value() in (None, "", {"day": "", "month": "", "year": ""})
