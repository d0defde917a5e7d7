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


def open_planned_family(page, demo_server):
    """The demo keyworker's first family with children, on its Plan tab, with a plan started."""
    sign_in(page, demo_server)
    page.goto(f"{demo_server.url}/caseload/?children=living")
    page.get_by_role("table").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/households/\d+/$"))
    page.get_by_role("link", name="Plan", exact=True).click()
    if page.get_by_role("button", name="Start a safety plan").count():
        page.get_by_role("button", name="Start a safety plan").click()
        page.get_by_role("button", name="Start the plan").click()


def test_a_disagreement_recorded_stays_open_on_the_plan_and_comes_up_at_the_review(page, demo_server):
    open_planned_family(page, demo_server)
    page.get_by_role("link", name="Record a disagreement with the family").click()
    assert_no_axe_violations(page)
    page.get_by_label("What do you disagree about?").fill("Whether Nan can have the children overnight")
    page.get_by_role("group", name="Who in the family disagrees?").get_by_role("radio").first.check()
    page.get_by_label("What they say, in their words").fill("She's their nan, she's always had them")
    page.get_by_label("What you think, and why").fill("Nan keeps her own tablets loose in her handbag")
    page.get_by_role("button", name="Record it").click()
    card = page.locator(".govuk-summary-card").filter(has_text="Whether Nan can have the children overnight")
    assert "Open" in card.inner_text() and "She's their nan" in card.inner_text()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Review the plan").click()
    assert page.get_by_text("still open: talk").is_visible()
    assert page.get_by_text("Nan keeps her own tablets loose in her handbag").is_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=re.compile("Record how it was settled")).first.click()
    page.get_by_label("How was it talked through?").fill("Talked with Mum and Nan together at the visit")
    page.get_by_label("What was decided?").fill("Nan keeps her tablets in a locked tin when the children stay")
    page.get_by_role("radio", name="Agreed together").check()
    page.get_by_label("Who decided?").fill("Mum, Nan and the keyworker")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save").click()
    card = page.locator(".govuk-summary-card").filter(has_text="Whether Nan can have the children overnight")
    assert "Nan keeps her tablets in a locked tin" in card.inner_text() and "Settled" in card.inner_text()


def test_the_familys_copy_is_read_for_plain_words_printed_as_a_pdf_and_given(page, demo_server):
    open_planned_family(page, demo_server)
    page.get_by_role("link", name=re.compile("The family's own copy of the plan")).click()
    assert page.get_by_role("heading", name="Your family's safety plan").is_visible()
    assert page.get_by_text(re.compile("reading age of")).first.is_visible()
    assert page.get_by_text("call 999 straight away").is_visible()
    assert_no_axe_violations(page)
    with page.expect_response(re.compile(r"/family-copy/our-plan\.pdf")) as pdf:
        page.evaluate(
            "url => fetch(url).then(r => r.status)",
            page.get_by_role("link", name="Download the copy as a PDF to print").get_attribute("href"),
        )
    assert pdf.value.status == 200 and pdf.value.header_value("content-type") == "application/pdf"
    group = page.get_by_role("group", name="Who did you give it to?")
    group.get_by_role("radio").first.check()
    page.get_by_role("button", name="Record that you gave it").click()
    assert page.get_by_text("Recorded who has the copy and when").is_visible()
