"""The keyworker, on a phone, goes from the caseload's warning-sign tag to the family's Warning signs tab, acknowledges
a raised sign with what was done, and records something noticed; every page without accessibility violations."""

import re

import pytest

from ostsafe.core.browser import PHONE, assert_no_axe_violations, open_page, sign_in

pytestmark = pytest.mark.browser


def test_a_keyworker_acknowledges_a_warning_sign_and_records_what_they_noticed(chromium, demo_server):
    page = open_page(chromium, viewport=PHONE)
    try:
        sign_in(page, demo_server)
        page.wait_for_url(re.compile(r"/caseload/"))
        page.get_by_role("link", name=re.compile(r"^Warning signs \d+:")).first.click()
        page.wait_for_url(re.compile(r"/warning-signs/$"))
        tab = page.url
        assert page.get_by_text(re.compile(r"^(Raised|Indicators to consider)$")).first.is_visible()
        assert_no_axe_violations(page)

        page.get_by_role("link", name=re.compile(r"^Acknowledge")).first.click()
        assert_no_axe_violations(page)
        page.get_by_label("Discussed in supervision").check()
        page.get_by_label("Say more").fill("Agreed a joint visit with the health visitor next week.")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(tab)
        assert page.get_by_text("Acknowledged", exact=True).is_visible()
        assert page.get_by_text("Agreed a joint visit with the health visitor next week.").is_visible()

        page.get_by_role("button", name="Record what you noticed").click()
        assert_no_axe_violations(page)
        page.get_by_role("group", name="Who").get_by_role("radio").first.check()  # preselected when there is one
        page.get_by_label("Unexpected agreement with sanctions").check()
        page.get_by_label("What you saw or heard").fill("Agreed at once to daily supervised consumption.")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(tab)
        assert page.get_by_text("Agreed at once to daily supervised consumption.").first.is_visible()
        assert page.get_by_text("Indicators to consider").first.is_visible()
        assert_no_axe_violations(page)
    finally:
        page.context.close()
