"""The access log reads in words, filters to refusals, and lets a manager find a partner turned away at one of their
service's families."""

import pytest
from django.urls import reverse

from ostsafe.audit.models import AccessEvent

pytestmark = pytest.mark.django_db


def test_access_log_says_in_words_what_was_looked_at_and_filters_to_refusals(client, world):
    client.force_login(world.users["keyworker"])
    client.get(reverse("visits:tab", args=[world.household.pk]))
    client.force_login(world.users["social_worker"])  # not in the family's network
    client.get(reverse("sharing:shared", args=[world.household.pk]))
    manager = world.users["manager"]
    client.force_login(manager)
    page = client.get(reverse("audit:events")).content.decode()
    assert f": the {world.household.name}" in page
    assert "Technical detail" in page
    refused = client.get(reverse("audit:events"), {"refused_only": "on"})
    events = list(refused.context["page"].events)
    assert events and all(e.outcome == "refused" for e in events)


def test_person_filter_includes_a_partner_who_was_refused_at_the_services_family(client, world):
    partner = world.users["social_worker"]
    client.force_login(partner)
    client.get(reverse("sharing:shared", args=[world.household.pk]))
    assert AccessEvent.objects.filter(user=partner, household_id=world.household.pk, outcome="refused").exists()
    client.force_login(world.users["manager"])
    form = client.get(reverse("audit:events")).context["form"]
    assert partner in form.fields["user"].queryset
    filtered = client.get(reverse("audit:events"), {"user": partner.pk, "refused_only": "on"})
    assert len(filtered.context["page"].events) >= 1
    # A manager of another service does not see them: the refusal was not at one of their families.
    client.force_login(world.users["manager_other_service"])
    assert partner not in client.get(reverse("audit:events")).context["form"].fields["user"].queryset


def test_a_list_page_is_one_event_found_in_each_listed_familys_log(client, world):
    from django.db import DatabaseError, transaction

    from ostsafe.audit.models import ListedHousehold

    client.force_login(world.users["keyworker"])
    client.get(reverse("families:caseload"))
    [event] = AccessEvent.objects.filter(action="caseload.view")
    client.force_login(world.users["manager"])
    tab = client.get(reverse("audit:household", args=[world.household.pk]))
    assert event in tab.context["page"].events
    page = client.get(reverse("audit:events")).content.decode()
    assert "Listed" in page or "caseload" in page.lower()
    listed = ListedHousehold.objects.get(event=event)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ListedHousehold.objects.filter(pk=listed.pk).update(household_id=999)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ListedHousehold.objects.filter(pk=listed.pk).delete()
