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


def test_manager_reads_the_trend_and_a_past_month_on_a_phone(chromium, demo_server):
    page = open_page(chromium, PHONE)
    sign_in(page, demo_server, "manager@ostsafe.example")
    page.goto(f"{demo_server.url}/dashboard/")
    trend = page.locator("#trend-table")
    assert trend.locator("tbody tr").count() == 11
    # The drawing is described in words, month by month, for a screen reader.
    assert "%" in trend.locator("svg").first.get_attribute("aria-label")
    page.get_by_label("Figures for").select_option(index=1)
    page.get_by_role("button", name="Apply").click()
    assert page.get_by_text(re.compile("These are the figures kept at the end of")).is_visible()
    assert page.locator("#measures").get_by_role("link").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_axe_violations(page)
    page.context.close()


def test_commissioner_downloads_the_report_as_csv_and_pdf_with_small_counts_hidden(chromium, demo_server):
    from pathlib import Path

    from pypdf import PdfReader

    page = open_page(chromium, accept_downloads=True)
    sign_in(page, demo_server, "commissioner@ostsafe.example")
    assert page.get_by_role("heading", name=re.compile("^Commissioner's report")).is_visible()
    assert page.get_by_text("fewer than 5").first.is_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Quarter", exact=True).select_option(index=1)
    page.get_by_role("button", name="Show").click()
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download the figures (CSV)").click()
    csv = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    assert csv.startswith("Table,Service,Column,Count") and "Eastfield Recovery Service" in csv
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name=re.compile("Download this report")).click()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf_download.value.path()).pages).split())
    assert "Commissioner's report" in text and "Whole-family assessment current" in text
    # Counts only: not one person in treatment is named in either download.
    names = [" ".join(row) for row in demo_server.query("SELECT given_name, family_name FROM families_serviceuser")]
    assert names and not any(name in csv or name in text for name in names)
    page.context.close()
