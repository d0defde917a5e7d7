"""A keyworker drafts a guidance agreement, the service user signs it on screen, and a plan action's deadline is
moved with a reason that stays in view."""

import datetime
import re

import pytest

from ostsafe.core.browser import assert_no_axe_violations, sign_in

pytestmark = pytest.mark.browser


def fill_date(page, group_name, when: datetime.date):
    group = page.get_by_role("group", name=group_name)
    group.get_by_label("Day").fill(str(when.day))
    group.get_by_label("Month").fill(str(when.month))
    group.get_by_label("Year").fill(str(when.year))


def test_agreement_signed_on_screen_and_a_moved_deadline_keeps_its_reason(page, demo_server):
    sign_in(page, demo_server)
    page.goto(f"{demo_server.url}/caseload/?children=living")
    page.get_by_role("table").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/households/\d+/$"))

    page.get_by_role("link", name="Agreement", exact=True).click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Draft a guidance agreement").click()
    page.get_by_role("group", name="Agreement with").get_by_role("radio").first.check()
    page.get_by_label("What is expected, and why").fill(
        "Keep the locked box on the top shelf of the wardrobe from today, because the baby is starting to crawl."
    )
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/agreement/\d+/$"))
    assert page.get_by_text("because the baby is starting to crawl").is_visible()

    page.get_by_role("button", name="Sign on screen").click()
    assert_no_axe_violations(page)
    page.get_by_label("Service user: type your full name").fill("Test Signer")
    page.get_by_label("I have read this agreement, or had it read to me, and I agree to it").check()
    fill_date(page, "Date signed", datetime.date.today())
    page.get_by_role("button", name="Sign", exact=True).click()
    assert page.get_by_text("Agreement signed").first.is_visible()
    # The next step is offered: consent to share it, for several professionals at once.
    page.get_by_role("button", name="Record consent to share it").click()
    assert page.get_by_role("radio", name=re.compile("Share the guidance agreement")).is_checked()
    assert_no_axe_violations(page)
    page.go_back()

    page.get_by_role("link", name="Plan", exact=True).click()
    if page.get_by_role("button", name="Start a safety plan").count():
        page.get_by_role("button", name="Start a safety plan").click()
        page.get_by_role("button", name="Start the plan").click()
    page.get_by_role("button", name="Add an action").click()
    page.get_by_label("What is expected").fill("Medicine kept in the locked box, box on the top shelf")
    page.get_by_label("Why").fill("The baby can now reach low cupboards")
    owners = page.get_by_role("group", name="Who does it")
    assert owners.get_by_role("radio").count() > 2  # the family, its network and the keyworker, to choose from
    assert_no_axe_violations(page)
    owners.get_by_label("Someone else").check()
    page.get_by_label("Someone else: who?").fill("Nan (mum's mother)")
    page.get_by_role("button", name="Save").click()
    assert_no_axe_violations(page)
    assert page.get_by_text("Nan (mum's mother)").first.is_visible()

    card = page.locator(".govuk-summary-card").filter(has_text="Medicine kept in the locked box")
    card.get_by_role("link", name=re.compile("^Change")).click()
    fill_date(page, "By when", datetime.date.today() + datetime.timedelta(days=40))
    page.get_by_label("Why are you changing it?").fill("Box delivery from the needle exchange delayed a week")
    page.get_by_role("button", name="Save").click()

    card = page.locator(".govuk-summary-card").filter(has_text="Medicine kept in the locked box")
    assert "Reason: Box delivery from the needle exchange delayed a week" in card.inner_text()
    assert "deadline moved once" in card.inner_text()
    assert_no_axe_violations(page)
