"""The access log in pages by keyset: newest first, Older and Newer links, no count over the whole log, and every
filter read by an index range (issue 15: the log stays fast at millions of rows)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ostsafe.audit import selectors
from ostsafe.audit.models import AccessEvent, ListedHousehold, Outcome
from ostsafe.audit.services import record_bulk_change, record_list_access

pytestmark = pytest.mark.django_db


def _events(world, count, household_id=None, outcome=Outcome.ALLOWED):
    events = AccessEvent.objects.bulk_create(
        AccessEvent(
            user=world.users["keyworker"],
            household_id=household_id,
            action="household.view",
            path="/x/",
            outcome=outcome,
        )
        for _ in range(count)
    )
    return [e.pk for e in events]


def _numbers(response):
    return [e.pk for e in response.context["page"].events]


def test_access_log_pages_older_and_newer_by_event_number(client, world):
    _events(world, 120, world.household.pk)
    client.force_login(world.users["manager"])
    visible = list(selectors.events_visible_to(world.users["manager"]).order_by("-pk").values_list("pk", flat=True))
    first = client.get(reverse("audit:events"))
    assert _numbers(first) == visible[:50]
    assert first.context["page"].newer is None and first.context["page"].older == visible[49]
    second = client.get(reverse("audit:events"), {"older": first.context["page"].older})
    assert _numbers(second) == visible[50:100]
    assert "Newer" in second.content.decode() and "Back to the newest events" in second.content.decode()
    back = client.get(reverse("audit:events"), {"newer": second.context["page"].newer})
    assert _numbers(back) == visible[:50]  # the events written since (the log views) are newer still
    assert back.context["page"].newer is not None


def test_the_last_page_of_the_log_has_no_older_link(client, world):
    _events(world, 60, world.household.pk)
    client.force_login(world.users["manager"])
    page = client.get(reverse("audit:events")).context["page"]
    while page.older:
        page = client.get(reverse("audit:events"), {"older": page.older}).context["page"]
    oldest = selectors.events_visible_to(world.users["manager"]).order_by("pk").first()
    assert page.events[-1].pk == oldest.pk


def test_a_cursor_that_is_not_an_event_number_shows_the_newest_page(client, world):
    _events(world, 3, world.household.pk)
    client.force_login(world.users["manager"])
    for bad in ("abc", "-1", "1" * 40, "1.5"):
        response = client.get(reverse("audit:events"), {"older": bad})
        assert response.status_code == 200
        assert response.context["page"].newer is None


def test_household_filter_pages_its_own_events_and_the_lists_that_showed_it(client, world):
    own = _events(world, 30, world.household.pk)
    others = _events(world, 40, None)
    for event_id in others[::2]:  # list pages, half of which showed this family
        ListedHousehold.objects.create(event_id=event_id, household_id=world.household.pk)
    later = _events(world, 30, world.household.pk)
    client.force_login(world.users["manager"])
    expected = list(
        selectors.about_household(AccessEvent.objects.all(), world.household.pk)
        .order_by("-pk")
        .values_list("pk", flat=True)
    )
    assert set(expected) >= {*own, *others[::2], *later}
    page = client.get(reverse("audit:events"), {"household": world.household.pk}).context["page"]
    collected = [e.pk for e in page.events]
    assert collected == expected[:50]
    while page.older:
        page = client.get(reverse("audit:events"), {"household": world.household.pk, "older": page.older}).context[
            "page"
        ]
        collected += [e.pk for e in page.events]
    assert collected == expected
    assert not set(collected) & (set(others) - set(others[::2]))


def test_the_household_tab_of_the_log_pages_the_same_way(client, world):
    _events(world, 70, world.household.pk)
    client.force_login(world.users["manager"])
    page = client.get(reverse("audit:household", args=[world.household.pk])).context["page"]
    assert len(page.events) == 50 and page.older
    older = client.get(reverse("audit:household", args=[world.household.pk]), {"older": page.older}).context["page"]
    assert older.events and all(e.pk < page.older for e in older.events)


def test_refused_only_pages_are_only_refusals(client, world):
    _events(world, 5, world.household.pk, outcome=Outcome.REFUSED)
    _events(world, 80, world.household.pk)
    client.force_login(world.users["manager"])
    events = client.get(reverse("audit:events"), {"refused_only": "on"}).context["page"].events
    assert len(events) >= 5 and all(e.outcome == Outcome.REFUSED for e in events)


def test_a_page_of_the_log_counts_nothing_and_keeps_its_query_count(client, world):
    client.force_login(world.users["manager"])
    _events(world, 5, world.household.pk)
    client.get(reverse("audit:events"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("audit:events"), {"household": world.household.pk})
    few_count = len(few)  # now: the captured list is a slice of a log the next request clears
    _events(world, 200, world.household.pk)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("audit:events"), {"household": world.household.pk})
    assert few_count == len(many) > 0
    assert not any("COUNT(" in q["sql"].upper() for q in many.captured_queries if "audit_accessevent" in q["sql"])


def test_a_bulk_change_is_one_event_naming_every_household(world):
    ids = [world.household.pk, *range(10_000_000, 10_012_000)]  # more than one INSERT statement's worth
    event = record_bulk_change(user=None, action="dispensing.import", household_ids=ids + ids[:5], detail="batch")
    assert AccessEvent.objects.filter(action="dispensing.import").count() == 1
    assert sorted(ListedHousehold.objects.filter(event=event).values_list("household_id", flat=True)) == sorted(ids)


def test_a_list_page_is_one_event_naming_every_family_shown_written_in_one_statement(world, rf):
    request = rf.get("/caseload/?page=2", REMOTE_ADDR="10.1.2.3")
    user = world.users["keyworker"]
    ids = [world.household.pk, world.household.pk + 7, world.household.pk + 3]
    with CaptureQueriesContext(connection) as writes:
        event = record_list_access(request=request, user=user, action="caseload.view", household_ids=ids + ids[:1])
    kept = AccessEvent.objects.get(pk=event.pk)
    assert (kept.user_id, kept.household_id, kept.action, kept.path, kept.method) == (
        user.pk,
        None,
        "caseload.view",
        "/caseload/?page=2",
        "GET",
    )
    assert (kept.ip_address, kept.outcome, kept.detail, kept.at) == (
        "10.1.2.3",
        Outcome.ALLOWED,
        "3 families shown",
        event.at,
    )
    assert sorted(kept.listed.values_list("household_id", flat=True)) == sorted(ids)
    if connection.vendor == "postgresql":
        assert len(writes) == 1  # the event and its listing: one round trip on every list page


def test_a_list_page_showing_no_family_is_still_one_event(world, rf):
    event = record_list_access(
        request=rf.get("/tasks/"), user=world.users["keyworker"], action="tasks.mine", household_ids=[]
    )
    assert AccessEvent.objects.get(pk=event.pk).detail == "0 families shown"
    assert not ListedHousehold.objects.filter(event=event).exists()


def test_an_import_is_one_event_found_on_the_familys_own_log(client, world, tmp_path):
    from ostsafe.pharmacy.imports import import_rows, records_from_dicts
    from ostsafe.pharmacy.tests.test_import import row

    report = import_rows(records_from_dicts([row(world, 1), row(world, 2)]), imported_by=world.users["pharmacist"])
    assert report.created == 2
    event = AccessEvent.objects.get(action="dispensing.import")
    assert list(event.listed.values_list("household_id", flat=True)) == [world.household.pk]
    client.force_login(world.users["manager"])
    tab = client.get(reverse("audit:household", args=[world.household.pk]))
    assert event.pk in _numbers(tab)


def test_a_partners_list_page_is_in_the_log_only_if_it_showed_one_of_the_services_families(client, world):
    from ostsafe.accounts.tests.factories import UserFactory
    from ostsafe.core.roles import Role

    partner = world.users["health_visitor"]
    assert partner.organisation_id != world.users["manager"].organisation_id
    ours = AccessEvent.objects.create(user=partner, action="sharing.list", path="/x/", outcome=Outcome.ALLOWED)
    ListedHousehold.objects.create(event=ours, household_id=world.household.pk)
    theirs = AccessEvent.objects.create(user=partner, action="sharing.list", path="/x/", outcome=Outcome.ALLOWED)
    ListedHousehold.objects.create(event=theirs, household_id=world.household.pk + 10_000)
    stranger = UserFactory(role=Role.HEALTH_VISITOR, organisation=partner.organisation)
    anonymous = AccessEvent.objects.create(user=None, action="api.anonymous", path="/x/", outcome=Outcome.REFUSED)
    client.force_login(world.users["manager"])
    shown = set(_numbers(client.get(reverse("audit:events"))))
    assert ours.pk in shown and theirs.pk not in shown and anonymous.pk not in shown
    assert stranger not in client.get(reverse("audit:events")).context["form"].fields["user"].queryset
