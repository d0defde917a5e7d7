"""Links a role cannot use are not shown to it: every link on every page of a family's record (and the pages each
role's navigation offers), followed as that role, is not refused."""

import re

import pytest
from django.urls import reverse

from ostsafe.core.households import registered_tabs

pytestmark = pytest.mark.django_db
HREF = re.compile(r'href="(/[^"#?]*)[^"]*"')
SKIP = ("/static/", "/assets/", "/api/", "/accounts/", "/admin/")


@pytest.mark.parametrize("actor", ["keyworker", "prescriber", "manager", "pharmacist", "health_visitor"])
def test_no_page_offers_a_link_its_reader_would_be_refused(client, world, actor):
    user = world.users[actor]
    client.force_login(user)
    pages = [reverse("core:home")]
    pages += [reverse(tab.url_name, args=[world.household.pk]) for tab in registered_tabs()]
    refused, checked = [], 0
    for url in pages:
        response = client.get(url, follow=True)
        if response.status_code != 200:
            continue
        html = response.content.decode()
        for href in sorted(set(HREF.findall(html))):
            if href.startswith(SKIP):
                continue
            checked += 1
            status = client.get(href).status_code
            if status == 403:
                refused.append(f"{url} links to {href}")
    # The pages were read and their links followed (a partner or a pharmacist sees only their own home page).
    assert checked > (20 if actor in {"keyworker", "prescriber", "manager"} else 2), checked
    assert not refused, "\n".join(refused)


def test_pages_show_no_internal_rule_names_or_iso_dates(client, world):
    """Plain words: a task made by a rule says so, never its internal name; dates are in words."""
    from ostsafe.tasks.models import Task

    Task.objects.create(
        title="Follow up storage",
        household=world.household,
        assignee=world.users["keyworker"],
        due_on="2026-01-05",
        rule="visits.storage_follow_up",
    )
    client.force_login(world.users["keyworker"])
    for url in [reverse("tasks:mine"), reverse("tasks:team"), reverse("families:household", args=[world.household.pk])]:
        page = client.get(url).content.decode()
        assert "visits.storage_follow_up" not in page
        assert not re.search(r">[^<]*\b20\d\d-\d\d-\d\d\b[^<]*<", page), url
