"""The keyworker's first day, in a real browser: sign in, open the caseload, add a child, see it listed.

Runs against a server process with the demo service loaded (see ostsafe.core.browser)."""

import re

import pytest

from ostsafe.core.browser import assert_no_axe_violations, sign_in

pytestmark = pytest.mark.browser


def test_keyworker_adds_a_child_and_sees_it_listed(page, demo_server):
    sign_in(page, demo_server)
    page.wait_for_url(re.compile(r"/caseload/"))
    assert page.get_by_role("heading", name="My caseload").is_visible()

    page.get_by_role("table").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/households/\d+/$"))
    page.get_by_role("button", name="Add a child").click()

    page.get_by_label("First name").fill("Primrose")
    page.get_by_label("Last name").fill("Testchild")
    birth = page.get_by_role("group", name="Date of birth")
    birth.get_by_label("Day").fill("14")
    birth.get_by_label("Month").fill("2")
    birth.get_by_label("Year").fill("2022")
    page.get_by_label("School or nursery").fill("Riverside Nursery")
    page.get_by_label("Child in need").check()
    page.get_by_role("button", name="Save").click()

    page.wait_for_url(re.compile(r"/households/\d+/$"))
    assert page.get_by_text("Person added to the household").is_visible()
    row = page.get_by_role("row").filter(has_text="Primrose Testchild")
    assert row.is_visible()
    assert "Riverside Nursery" in row.inner_text() and "Child in need" in row.inner_text()


def test_form_errors_follow_the_govuk_pattern_in_the_browser(page, demo_server):
    sign_in(page, demo_server)
    page.get_by_role("table").get_by_role("link").first.click()
    page.get_by_role("button", name="Add a child").click()
    page.get_by_role("group", name="Date of birth").get_by_label("Year").fill("2999")
    page.get_by_role("group", name="Date of birth").get_by_label("Day").fill("1")
    page.get_by_role("group", name="Date of birth").get_by_label("Month").fill("1")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert page.title().startswith("Error:")
    summary.get_by_role("link", name=re.compile("Date of birth must be today or in the past")).click()
    assert page.evaluate("document.activeElement.id") == "id_date_of_birth-day"
    assert_no_axe_violations(page)


def test_sign_in_caseload_and_household_pages_have_no_axe_violations(page, demo_server):
    page.goto(f"{demo_server.url}/accounts/sign-in/")
    assert_no_axe_violations(page)
    sign_in(page, demo_server)
    page.wait_for_url(re.compile(r"/caseload/"))
    assert_no_axe_violations(page)
    page.get_by_role("table").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/households/\d+/$"))
    assert_no_axe_violations(page)


def test_pages_work_without_javascript(chromium, demo_server):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, demo_server)
    page.wait_for_url(re.compile(r"/caseload/"))
    page.get_by_label("Children").select_option("living")
    page.get_by_role("button", name="Apply").click()
    assert "children=living" in page.url
    assert page.get_by_role("table").is_visible()
    context.close()


def test_the_caseload_opens_on_what_needs_attention_first(page, demo_server):
    """Overdue work first, then high risk; each row says its risk and what is due next."""
    sign_in(page, demo_server)
    page.wait_for_url(re.compile(r"/caseload/"))
    assert page.get_by_role("radio", name="What needs attention first").is_checked()
    headers = page.get_by_role("table").locator("thead th").all_inner_texts()
    risk_at, due_at = headers.index("Risk"), headers.index("Next due")
    rows = page.get_by_role("table").locator("tbody tr")
    cells = [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]
    overdue = [" overdue" in row[due_at] for row in cells]
    assert any(overdue), "the demo keyworker has overdue work"
    assert overdue == sorted(overdue, reverse=True), "every family with overdue work comes before the rest"
    high = [row[risk_at].startswith("High") for row, late in zip(cells, overdue, strict=True) if not late]
    assert high == sorted(high, reverse=True), "then high risk"
    assert all(row[risk_at].split("\n")[0] in {"High", "Medium", "Low", "Not assessed"} for row in cells)
    assert_no_axe_violations(page)
    page.get_by_role("radio", name="Name", exact=True).check()
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"sort=name"))
    assert page.get_by_role("radio", name="Name", exact=True).is_checked()


def test_a_family_page_prints_the_record_without_the_service_around_it(page, demo_server):
    sign_in(page, demo_server)
    page.wait_for_url(re.compile(r"/caseload/"))
    page.get_by_role("table").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/households/\d+/$"))
    assert page.get_by_role("link", name="API documentation (for IT teams)").count() == 1  # the footer, not the menu
    assert page.get_by_role("navigation", name="Menu").get_by_role("link", name="API").count() == 0
    page.emulate_media(media="print")
    assert not page.locator(".govuk-service-navigation").is_visible()
    assert not page.locator(".moj-sub-navigation").is_visible()
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.get_by_text("At a glance").count() == 1  # the summary prints (its heading is for screen readers)
    assert page.locator(".ostsafe-at-a-glance").is_visible()
    page.emulate_media(media="screen")
