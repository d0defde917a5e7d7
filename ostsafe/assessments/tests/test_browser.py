"""A keyworker on a phone works through the assessment's task list: a section at a time, with the keyboard."""

import re

import pytest

from ostsafe.core.browser import PHONE, assert_no_axe_violations, open_page, sign_in

pytestmark = pytest.mark.browser


def test_keyworker_answers_the_assessment_a_section_at_a_time_on_a_phone(chromium, demo_server):
    page = open_page(chromium, PHONE)
    sign_in(page, demo_server)
    page.goto(f"{demo_server.url}/caseload/?children=living")
    page.get_by_role("table").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/households/\d+/$"))
    page.get_by_role("link", name="Assessment", exact=True).click()
    continuing = page.get_by_role("button", name="Continue the assessment in progress")
    if continuing.count():
        continuing.click()
    else:
        page.get_by_role("button", name=re.compile("^Start")).first.click()
        if "/start/" in page.url:
            page.get_by_role("radio").first.check()
            page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/answers/$"))
    assert (
        page.get_by_text("Cannot start yet").is_visible()
        or page.get_by_role("link", name="Decide the risk level").count()
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_axe_violations(page)

    page.get_by_role("link", name="The parents' own hopes and fears").click()
    page.wait_for_url(re.compile(r"/answers/hopes_fears/$"))
    page.get_by_label("What are the parent's hopes for themselves and their children?").fill(
        "To stay well, keep the children"
    )
    page.keyboard.press("Tab")
    page.keyboard.type("That the children are taken away")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save and continue").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Answers saved" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("link", name="Back to the sections").first.click()
    page.wait_for_url(re.compile(r"/answers/$"))
    row = page.locator(".govuk-task-list__item").filter(has_text="The parents' own hopes and fears")
    assert "Completed" in row.inner_text()
    page.context.close()
