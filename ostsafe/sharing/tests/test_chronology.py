"""The family chronology: every app's dated events through one registry, filtered by kind and period, as a page and
a PDF, in a fixed number of queries; a partner's shows only what their consent or decision covers."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from ostsafe.core.households import chronology_sources
from ostsafe.core.kept_pages import forget_family_parts
from ostsafe.monitoring import services as monitoring
from ostsafe.sharing import services
from ostsafe.visits import services as visits

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
LAST_MONTH = TODAY - datetime.timedelta(days=30)


def url(world, **query):
    return reverse("sharing:chronology", args=[world.household.pk])


def record_things(world, on=TODAY, n=1):
    keyworker = world.users["keyworker"]
    for i in range(n):
        day = on - datetime.timedelta(days=i)
        visits.record_home_visit(
            household=world.household,
            visited_on=day,
            recorded_by=keyworker,
            visitors=[keyworker],
            service_users_seen=[world.service_user],
            child_observations=[(world.child, True, "")],
            notes=f"Visit {i}",
        )
        monitoring.record_test_result(
            service_user=world.service_user,
            recorded_by=keyworker,
            taken_on=day,
            substance="cocaine",
            method="urine",
            positive=True,
        )
        monitoring.record_concern(
            household=world.household,
            recorded_by=keyworker,
            source="school",
            category="other",
            description=f"Concern {i}",
            received_on=day,
        )


def test_every_app_contributes_its_events_through_the_registry():
    keys = {source.key for source in chronology_sources()}
    assert {
        "assessment",
        "visits",
        "storage",
        "agreement",
        "plan",
        "appointments",
        "tests",
        "concerns",
        "pharmacy",
        "consent",
        "letters",
        "referrals",
        "prescribing",
    } <= keys


def test_the_chronology_shows_events_across_apps_newest_first(client, world):
    record_things(world, on=LAST_MONTH)
    services.withdraw_consent(consent=world.consent, withdrawn_on=TODAY, withdrawn_by=world.users["keyworker"])
    client.force_login(world.users["keyworker"])
    events = client.get(url(world)).context["events"]
    titles = [e.title for e in events]
    assert any("withdrew consent" in t for t in titles)
    assert any(t == "Home visit" for t in titles)
    assert any("cocaine" in t.lower() for t in titles)
    assert [e.on for e in events] == sorted((e.on for e in events), reverse=True)


def test_the_chronology_filters_by_kind_and_period(client, world):
    record_things(world, on=LAST_MONTH)
    client.force_login(world.users["keyworker"])
    only_visits = client.get(url(world), {"kinds": "visits"}).context["events"]
    assert only_visits and {e.kind for e in only_visits} == {"visits"}
    recent = client.get(
        url(world), {"since-day": TODAY.day, "since-month": TODAY.month, "since-year": TODAY.year}
    ).context["events"]
    assert recent and all(e.on >= TODAY for e in recent)


def test_a_period_that_ends_before_it_starts_is_a_clear_message(client, world):
    client.force_login(world.users["keyworker"])
    response = client.get(
        url(world),
        {
            "since-day": TODAY.day,
            "since-month": TODAY.month,
            "since-year": TODAY.year,
            "until-day": LAST_MONTH.day,
            "until-month": LAST_MONTH.month,
            "until-year": LAST_MONTH.year,
        },
    )
    assert response.status_code == 200
    assert "The end of the period must be the same as or after its start" in response.content.decode()


def test_the_chronology_keeps_a_constant_number_of_queries(client, world):
    record_things(world, n=1)
    client.force_login(world.users["keyworker"])
    client.get(url(world))
    # Each measured with nothing kept for the family (core.kept_pages), as after any change to it: the tab's own reads.
    forget_family_parts()
    with CaptureQueriesContext(connection) as few:
        client.get(url(world))
    few = list(few)  # frozen now: the next request clears the log it reads
    record_things(world, on=LAST_MONTH, n=6)
    forget_family_parts()
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(world))
    many = list(many)  # frozen now: the next request clears the log it reads
    assert len(response.context["events"]) > 18
    assert len(many) == len(few)


def test_a_partner_sees_only_the_kinds_of_event_their_access_covers(client, world):
    record_things(world, on=LAST_MONTH)
    client.force_login(world.users["health_visitor"])
    shared = reverse("sharing:shared_chronology", args=[world.household.pk])
    assert client.get(shared).context["events"] == []  # consent to routine notification covers no record
    services.record_sharing_decision(
        household=world.household,
        service_user=world.service_user,
        recipient=world.household.network.get(professional=world.users["health_visitor"]),
        share=True,
        scopes=["test_results"],
        reason="Test results bear directly on the baby's safety",
        article_6_basis="public_task",
        special_category_condition="safeguarding",
        family_told=True,
        decided_on=TODAY,
        valid_until=TODAY + datetime.timedelta(days=30),
        recorded_by=world.users["manager"],
        approve_now=True,
    )
    kinds = {e.kind for e in client.get(shared).context["events"]}
    assert kinds == {"tests"}


@pytest.mark.slow
def test_the_chronology_pdf_lists_the_events(client, world):
    record_things(world, on=LAST_MONTH)
    client.force_login(world.users["keyworker"])
    response = client.get(reverse("sharing:chronology_pdf", args=[world.household.pk]), {"kinds": "concerns"})
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "Chronology" in text and "Concern 0" in text and "Home visit" not in text


def test_the_chronology_through_the_api_for_the_team_and_for_a_partner(client, world):
    record_things(world, on=LAST_MONTH)
    client.force_login(world.users["keyworker"])
    api = reverse("household-chronology", args=[world.household.pk])
    events = client.get(api, {"kinds": "visits,tests"}).json()
    assert events and {e["kind"] for e in events} == {"visits", "tests"}
    bad = client.get(api, {"since": TODAY.isoformat(), "until": LAST_MONTH.isoformat()})
    assert bad.status_code == 400 and "until" in bad.json()
    client.force_login(world.users["health_visitor"])
    assert client.get(api).status_code == 403
    shared = client.get(reverse("shared-household-chronology", args=[world.household.pk]))
    assert shared.status_code == 200 and shared.json() == []  # routine notification covers no record
