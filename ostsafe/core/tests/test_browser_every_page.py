"""Every main page for every role, on a 375 px screen (WCAG 2.2 reflow): nothing wider than the viewport, and axe
finds no violations. The pages are the ones each role's navigation offers, and for the roles that keep a caseload,
every tab of a family's record and the first family's forms reached from them."""

import re

import pytest

from ostsafe.core.browser import assert_no_axe_violations, open_page, sign_in

pytestmark = pytest.mark.browser
NARROW = {"width": 375, "height": 812}
ROLES = [
    "keyworker",
    "prescriber",
    "manager",
    "admin",
    "pharmacist",
    "health.visitor",
    "school.nurse",
    "social.worker",
    "gp",
    "harm.reduction",
    "commissioner",
]


def overflow(page) -> str:
    """What sticks out past the right edge of the viewport (empty when nothing does)."""
    return page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth <= width) return '';
        const wide = [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > width + 1);
        const outer = wide.filter((e) => !wide.includes(e.parentElement));
        return outer.slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`).join(', ');
    }"""
    )


def check(page, url: str, problems: list):
    page.goto(url)
    if sticking_out := overflow(page):
        problems.append(f"{url}: wider than 375 px ({sticking_out})")
    try:
        assert_no_axe_violations(page)
    except AssertionError as violations:
        problems.append(f"{url}: axe {str(violations)[:400]}")


def nav_urls(page) -> list[str]:
    links = page.locator(".govuk-service-navigation__link")
    return [href for i in range(links.count()) if (href := links.nth(i).get_attribute("href"))]


@pytest.mark.parametrize("role", ROLES)
def test_every_main_page_fits_375_px_and_passes_axe(chromium, demo_server, role):
    page = open_page(chromium, NARROW)
    sign_in(page, demo_server, f"{role}@ostsafe.example")
    page.wait_for_load_state()
    problems: list[str] = []
    home = page.url
    urls = [home] + [f"{demo_server.url}{href}" for href in nav_urls(page)]
    for url in dict.fromkeys(urls):
        check(page, url, problems)
    if role in {"keyworker", "prescriber", "manager"}:
        page.goto(f"{demo_server.url}/caseload/")
        page.get_by_role("table").get_by_role("link").first.click()
        page.wait_for_url(re.compile(r"/households/\d+/$"))
        tabs = page.locator(".moj-sub-navigation__link")
        tab_urls = [tabs.nth(i).get_attribute("href") for i in range(tabs.count())]
        for href in tab_urls:
            check(page, f"{demo_server.url}{href}", problems)
    if role == "manager":  # pages a manager reaches from the dashboard and the directory
        check(page, f"{demo_server.url}/services-we-work-with/", problems)
        page.goto(f"{demo_server.url}/directory/")
        page.get_by_role("table").get_by_role("link").first.click()
        check(page, page.url, problems)
        check(page, f"{demo_server.url}/directory/add/", problems)
    page.context.close()
    assert not problems, "\n".join(problems)
