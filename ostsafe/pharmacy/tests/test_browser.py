"""A pharmacist at a busy counter records today's doses and raises a concern, with the keyboard, on a phone."""

import re

import pytest

from ostsafe.families.tests.test_browser import assert_no_axe_violations, sign_in

pytestmark = pytest.mark.browser


def test_pharmacist_records_todays_doses_and_a_concern(chromium, demo_server):
    context = chromium.new_context(viewport={"width": 390, "height": 844})  # a phone-sized screen
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, demo_server, "pharmacist@ostsafe.example")
    page.wait_for_url(re.compile(r"/counter/$"))
    assert_no_axe_violations(page)

    card = page.locator(".govuk-summary-card").filter(has=page.get_by_role("button", name=re.compile("^Missed")))
    first = card.first
    name = first.get_by_role("heading").inner_text().split(" born")[0]
    first.get_by_role("button", name=re.compile("^(Supervised|Collected)")).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert f"{name}: recorded" in banner, banner

    second = page.locator(".govuk-summary-card").filter(has=page.get_by_role("button", name=re.compile("^Missed")))
    with page.expect_navigation():
        second.first.get_by_role("button", name=re.compile("^Missed")).click()
    assert ": recorded" in page.locator(".govuk-notification-banner").inner_text()

    page.locator(".govuk-summary-card").first.get_by_role("link", name=re.compile("^Raise a concern")).click()
    page.get_by_label("A child was present at collection").check()
    page.get_by_label("What happened").fill("Toddler was with him at collection and reached for the bottle")
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Send concern").click()
    assert "Concern sent to the keyworker" in page.locator(".govuk-notification-banner").inner_text()
    context.close()
