"""The health check a load balancer asks: open to anyone, no data, 503 when the database does not answer."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from ostsafe.audit.models import AccessEvent

pytestmark = pytest.mark.django_db


def test_the_health_check_answers_anyone_and_writes_nothing(client):
    response = client.get(reverse("core:health"))
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not AccessEvent.objects.exists()
    assert client.post(reverse("core:health")).status_code == 405


def test_the_health_check_says_unavailable_when_the_database_does_not_answer(client):
    with mock.patch("ostsafe.core.views.connection.cursor", side_effect=OperationalError("server closed")):
        response = client.get(reverse("core:health"))
    assert response.status_code == 503 and response.json()["database"] == "unreachable"
