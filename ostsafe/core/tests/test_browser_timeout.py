"""WCAG 2.2.1 timing: two minutes before the idle limit a warning offers "Stay signed in"; at the limit the page goes
to sign-in; what was typed in a long form comes back when the form is opened again."""

import re

import pytest

from ostsafe.core.browser import PHONE, assert_no_axe_violations, open_page, sign_in

pytestmark = pytest.mark.browser


def test_timeout_warning_lets_you_stay_and_a_visit_note_survives_the_sign_out(chromium, demo_server):
    page = open_page(chromium, PHONE)
    page.clock.install()
    sign_in(page, demo_server, "keyworker@ostsafe.example")
    page.wait_for_url(re.compile(r"/caseload/"))
    page.get_by_role("table").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/households/\d+/$"))
    form_url = re.sub(r"/$", "/visits/record/", page.url)
    page.goto(form_url)
    note = "Both children seen in the kitchen; box on top of the wardrobe, locked"
    page.locator("textarea").first.fill(note)

    warning = page.get_by_role("alertdialog", name="You will be signed out soon")
    assert not warning.is_visible()
    page.clock.fast_forward("28:05")
    assert warning.is_visible()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Stay signed in"
    assert_no_axe_violations(page)
    with page.expect_response(re.compile(r"/accounts/stay-signed-in/")) as renewed:
        page.keyboard.press("Enter")
    assert renewed.value.status == 204
    assert not warning.is_visible()
    assert page.url == form_url

    # Left alone for the whole idle limit: to sign-in (here the server's session is still alive, so sign-in sends the
    # page straight back), then the form again, with the note put back.
    with page.expect_request(re.compile(r"/accounts/sign-in/\?next=")):
        page.clock.fast_forward("30:05")
    page.wait_for_load_state()
    page.goto(form_url)
    assert page.locator("textarea").first.input_value() == note
    assert page.get_by_text("What you typed before has been put back").is_visible()
    page.context.close()


def test_a_draft_is_never_shown_to_someone_else_signed_in_in_the_same_tab(chromium, demo_server):
    page = open_page(chromium)
    sign_in(page, demo_server, "keyworker@ostsafe.example")
    page.wait_for_url(re.compile(r"/caseload/"))
    page.get_by_role("table").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/households/\d+/$"))
    form_url = re.sub(r"/$", "/visits/record/", page.url)
    page.goto(form_url)
    page.locator("textarea").first.fill("Private note about the family")
    assert page.evaluate("Object.keys(sessionStorage).some((k) => k.startsWith('ostsafe-draft:'))")
    # Signing out clears every draft in the tab.
    page.get_by_role("button", name=re.compile("^Sign out")).click()
    page.wait_for_load_state()
    assert not page.evaluate("Object.keys(sessionStorage).some((k) => k.startsWith('ostsafe-draft:'))")
    page.context.close()
