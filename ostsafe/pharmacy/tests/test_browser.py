"""A pharmacist at a busy counter records today's doses and raises a concern, with the keyboard, on a phone."""

import re

import pytest

from ostsafe.core.browser import PHONE, assert_no_axe_violations, open_page, sign_in

pytestmark = pytest.mark.browser


def test_pharmacist_records_todays_doses_and_a_concern(chromium, demo_server):
    page = open_page(chromium, PHONE)  # a phone-sized screen
    sign_in(page, demo_server, "pharmacist@ostsafe.example")
    page.wait_for_url(re.compile(r"/counter/$"))
    assert_no_axe_violations(page)

    card = page.locator(".govuk-summary-card").filter(has=page.get_by_role("button", name=re.compile("^Missed")))
    first = card.filter(has_not=page.locator(".govuk-warning-text")).first
    name = first.get_by_role("heading").inner_text().split(" born")[0]
    first.get_by_role("button", name=re.compile("^(Supervised|Collected)")).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert f"{name}: recorded" in banner, banner

    second = page.locator(".govuk-summary-card").filter(has=page.get_by_role("button", name=re.compile("^Missed")))
    second = second.filter(has_not=page.locator(".govuk-warning-text"))  # the client who must wait is the next test's
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
    page.context.close()


def test_enter_in_a_box_never_records_and_after_missed_doses_the_prescriber_comes_first(chromium, demo_server):
    page = open_page(chromium, PHONE)
    sign_in(page, demo_server, "pharmacist@ostsafe.example")
    page.wait_for_url(re.compile(r"/counter/$"))
    open_rows = page.locator(".govuk-summary-card").filter(has=page.get_by_role("button", name=re.compile("^Missed")))
    before = open_rows.count()

    # Enter in the note box, then in the quantity box: nothing is recorded, the page does not even submit.
    row = open_rows.filter(has_not=page.locator(".govuk-warning-text")).first
    row.get_by_label(re.compile("^Note")).fill("Came with his sister")
    row.get_by_label(re.compile("^Note")).press("Enter")
    row.get_by_label(re.compile("^Quantity")).press("Enter")
    page.wait_for_timeout(500)
    assert page.locator(".govuk-notification-banner").count() == 0
    assert open_rows.count() == before

    # The demo's client who has just missed three doses in a row: a dose needs the prescriber first.
    warned = open_rows.filter(has=page.locator(".govuk-warning-text")).first
    name = warned.get_by_role("heading").inner_text().split(" born")[0]
    give = warned.get_by_role("button", name=re.compile("^(Supervised|Collected)"))
    with page.expect_navigation():
        give.click()
    assert "speak to the prescriber before giving this dose" in page.locator(".govuk-notification-banner").inner_text()
    warned = page.locator(".govuk-summary-card").filter(has_text=name)
    warned.get_by_label(re.compile("I have spoken to the prescriber")).check()
    assert_no_axe_violations(page)
    with page.expect_navigation():
        warned.get_by_role("button", name=re.compile("^(Supervised|Collected)")).click()
    assert f"{name}: recorded" in page.locator(".govuk-notification-banner").inner_text()
    page.context.close()


def test_pharmacist_finds_a_client_as_they_type_records_and_undoes_with_the_keyboard_at_375_px(chromium, demo_server):
    page = open_page(chromium, PHONE)
    sign_in(page, demo_server, "pharmacist@ostsafe.example")
    page.wait_for_url(re.compile(r"/counter/$"))
    open_rows = page.locator("[data-counter-row]").filter(has=page.get_by_role("button", name=re.compile("^Missed")))
    target = open_rows.filter(has_not=page.locator(".govuk-warning-text")).first
    name = target.get_by_role("heading").inner_text().split(" born")[0]
    # Filter as you type: the family name's first letters, no button pressed, no page load.
    page.get_by_label("Find a client").press_sequentially(name.split()[-1][:4].lower())
    visible = page.locator("[data-counter-row]:visible")
    assert 0 < visible.count() < page.locator("[data-counter-row]").count()
    assert all(name.split()[-1][:4].lower() in visible.nth(i).inner_text().lower() for i in range(visible.count()))
    assert "match" in page.locator("#counter-matches").inner_text()
    # Keyboard only: Tab from the search box to the row's quantity, note, then the dose button; Enter records it.
    row = page.locator("[data-counter-row]:visible").filter(has_text=name)
    row.get_by_role("button", name=re.compile("^(Supervised|Collected)")).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"{name}: recorded" in page.locator(".govuk-notification-banner").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    done = page.locator("section").filter(has=page.get_by_role("heading", name=re.compile("^Done today")))
    undo = done.locator("[data-counter-row]").filter(has_text=name).get_by_role("button", name=re.compile("^Undo"))
    undo.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"{name}: record undone" in page.locator(".govuk-notification-banner").inner_text()
    assert_no_axe_violations(page)
    page.context.close()


def test_keyworker_records_a_missed_appointment_and_the_prescriber_sees_it(chromium, demo_server):
    from datetime import date

    today = date.today()
    page = open_page(chromium)
    sign_in(page, demo_server, "keyworker@ostsafe.example")
    page.wait_for_url(re.compile(r"/caseload/"))
    page.get_by_role("table").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/households/\d+/$"))
    household_url = page.url
    page.get_by_role("link", name="Pharmacy and appointments").click()
    assert page.get_by_role("heading", name="Dispensing, last 4 weeks").is_visible()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Record an appointment").click()
    page.get_by_label("Service user").select_option(index=1)
    page.get_by_label("Prescriber review").check()
    day = page.get_by_role("group", name="Date")
    day.get_by_label("Day").fill(str(today.day))
    day.get_by_label("Month").fill(str(today.month))
    day.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Did not attend").check()
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^(Save|Record)")).click()
    assert "Appointment recorded" in page.locator(".govuk-notification-banner").inner_text()
    row = page.get_by_role("row").filter(has_text="Prescriber review").filter(has_text=f"{today:%-d %b %Y}")
    assert "Did not attend" in row.first.inner_text()
    page.context.close()

    page = open_page(chromium)
    sign_in(page, demo_server, "prescriber@ostsafe.example")
    page.wait_for_url(re.compile(r"/prescribing/"))
    assert page.get_by_role("heading", name=re.compile("^Take-home checks not met today")).is_visible()
    assert_no_axe_violations(page)
    page.goto(household_url)
    page.get_by_role("link", name="Pharmacy and appointments").click()
    row = page.get_by_role("row").filter(has_text="Prescriber review").filter(has_text=f"{today:%-d %b %Y}")
    assert "Did not attend" in row.first.inner_text()
    assert page.get_by_role("button", name="Record an appointment").count() == 0  # prescribers read, keyworkers write
    page.context.close()
