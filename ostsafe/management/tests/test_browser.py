"""A team manager reads the practice dashboard on a phone and drills down to the families that miss a practice."""

import re

import pytest

from ostsafe.core.browser import PHONE, assert_no_axe_violations, open_page, sign_in

pytestmark = pytest.mark.browser


def test_manager_drills_down_from_a_practice_to_the_families_missing_it(chromium, demo_server):
    page = open_page(chromium, PHONE)
    sign_in(page, demo_server, "manager@ostsafe.example")
    page.goto(f"{demo_server.url}/dashboard/")
    assert page.get_by_role("heading", name=re.compile("^Practice dashboard")).is_visible()
    # On a phone the chart gives way to its table (the same figures); on a wide screen it is drawn.
    assert page.get_by_role("table").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_axe_violations(page)
    link = page.locator("#measures").get_by_role("link", name=re.compile(r"famil(y|ies)")).first
    missing = int(link.inner_text().split()[0])
    link.click()
    page.wait_for_url(re.compile(r"/dashboard/[a-z_]+/"))
    assert page.locator("tbody tr").count() == missing
    assert_no_axe_violations(page)
    page.get_by_role("table").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/households/\d+/$"))
    page.context.close()
