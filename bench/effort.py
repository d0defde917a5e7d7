"""Clicks and keystrokes for the main tasks (`make bench-effort`), measured in Chromium against a real server with the
demo service loaded.

    .venv/bin/python -m bench.effort                  # this working tree
    .venv/bin/python -m bench.effort --tree DIR       # another checkout (e.g. a `git worktree` of an older commit)

Each task is driven the way a person does it, and every key press and click is counted as it is sent to the browser.
The same script measures an older checkout, so "before" and "after" are the same tasks on the same demo data:

- counter, the client who must not be given a dose without speaking to the prescriber: keyboard only at 375 px, from
  the page's first Tab to the dose recorded (Tab to "I have spoken to the prescriber", Space, Tab, Enter);
- counter, the next client after recording: Tab presses from where the page lands to the next client's button;
- counter, a named client in the middle of the list: keyboard only (the search box when there is one);
- the forms of things that happened (visits, storage, boxes, leaflets, appointments, tests, concerns, meetings,
  agreements): date boxes left empty, each of which a practitioner types (day, Tab, month, Tab, year);
- the caseload: which facts about a family show on its row without opening it (risk level, overdue work, take-home
  checks not met, warning signs).

Prints a Markdown table; append it to docs/benchmarks.md with the commit measured.
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "demo-safeguarding-2026"
PHONE = {"width": 375, "height": 812}
MAX_TABS = 400


class Server:
    """The tree's own `manage.py`, migrated and seeded with its own demo, served by runserver on a free port."""

    def __init__(self, tree: Path, tmp: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.tree = tree
        self.env = os.environ | {
            "DATABASE_URL": f"sqlite:///{tmp / 'effort.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "ostsafe.config.settings",
            "OSTSAFE_REQUIRE_2FA": "false",
            "OSTSAFE_ALLOW_DEMO": "true",
        }
        self.log = open(tmp / "server.log", "w")  # noqa: SIM115 - closed in stop()

    def manage(self, *args):
        subprocess.run([sys.executable, "manage.py", *args], cwd=self.tree, env=self.env, check=True, stdout=self.log)

    def start(self):
        self.manage("migrate", "--noinput")
        self.manage("seed_demo")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"],
            cwd=self.tree,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()


class Counted:
    """A page whose key presses and clicks are counted."""

    def __init__(self, page):
        self.page = page
        self.keys = 0
        self.clicks = 0

    def press(self, key, times=1):
        for _ in range(times):
            self.page.keyboard.press(key)
            self.keys += 1

    def type(self, text):
        self.page.keyboard.type(text)
        self.keys += len(text)

    def tab_until(self, predicate_js):
        """Tab from wherever focus is until `predicate_js(document.activeElement)` holds; the presses are counted."""
        for _ in range(MAX_TABS):
            self.press("Tab")
            if self.page.evaluate(f"(el => {predicate_js})(document.activeElement)"):
                return
        raise RuntimeError(f"never reached: {predicate_js}")


def sign_in(page, url, email):
    page.goto(f"{url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def counter(browser, url):
    """The three counter tasks, on a phone with the keyboard only."""
    results = {}
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, url, "pharmacist@ostsafe.example")

    # The flagged client: the one whose row asks for the prescriber to be spoken to.
    page.goto(f"{url}/counter/")
    c = Counted(page)
    flagged = page.locator("input[name=prescriber_consulted]").first.get_attribute("id")
    c.tab_until(f"el.id === {flagged!r}")
    c.press("Space")
    c.tab_until("el.tagName === 'BUTTON' && ['supervised', 'collected'].includes(el.value)")
    with page.expect_navigation():
        c.press("Enter")
    results["counter_flagged"] = c.keys

    # Where the page lands after recording: Tab presses to the next client's button.
    c = Counted(page)
    c.tab_until("el.tagName === 'BUTTON' && ['supervised', 'collected'].includes(el.value)")
    results["counter_next"] = c.keys

    # A named client in the middle of the list (by the order of the cards on the page as it first opens).
    page.goto(f"{url}/counter/")
    names = page.locator("input[name=prescription]").evaluate_all(
        "els => els.map(e => [e.value, e.closest('form').closest('[id^=row-], .govuk-summary-card').innerText])"
    )
    prescription, card = names[len(names) // 2]
    name = card.strip().splitlines()[0].split(" born ")[0].strip()
    c = Counted(page)
    if page.locator("input#q[type=search]").count():
        c.tab_until("el.id === 'q'")
        c.type(name.split()[-1][:4])
        page.wait_for_timeout(300)  # the filter as you type
    button = (
        f"el.tagName === 'BUTTON' && ['supervised', 'collected'].includes(el.value) && "
        f"el.form.querySelector('input[name=prescription]').value === {prescription!r}"
    )
    c.tab_until(button)
    results["counter_named"] = c.keys
    results["counter_named_position"] = f"{len(names) // 2 + 1} of {len(names)}"
    context.close()
    return results


DATE_PART = re.compile(r"(.*)[-_]day$")
HAPPENED_FORM = re.compile(r"/(add|record|issue|leaflet|must-share|meetings/record)/$")
# Not forms of something that happened: registering a person (their date of birth) or a professional joining.
NOT_HAPPENED = ("service-users/add/", "network/add/", "members/add/")


def empty_dates(browser, url):
    """For each form of something that happened on a family's pages: the date boxes a practitioner must type."""
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, url, "keyworker@ostsafe.example")
    page.goto(f"{url}/caseload/")
    page.locator("table a[href*='/households/']").first.click()
    page.wait_for_load_state()
    base = re.match(r"(.*/households/\d+/)", page.url).group(1)
    tabs = page.locator(".moj-sub-navigation a").evaluate_all("els => els.map(e => e.href)")
    forms = set()
    for tab in [page.url, *tabs]:
        page.goto(tab)
        for href in page.locator("a[href]").evaluate_all("els => els.map(e => e.href)"):
            path = href.split("#")[0].split("?")[0]
            if path.startswith(base) and HAPPENED_FORM.search(path) and not path.endswith(NOT_HAPPENED):
                forms.add(path)
    rows = []
    for form in sorted(forms):
        page.goto(form)
        if page.locator("form[method=post]").count() == 0:
            continue
        parts = page.locator("form[method=post] input").evaluate_all(
            "els => els.filter(e => /[-_]day$/.test(e.name)).map(e => [e.name, e.value])"
        )
        typed = sum(1 for _, value in parts if not value)
        rows.append((form.removeprefix(base), len(parts), typed))
    context.close()
    return rows


CASELOAD_FACTS = {
    "risk level, or not assessed": r"\b(high|medium|low)\b|not assessed",
    "overdue work": r"overdue",
    "take-home checks not met": r"take-home checks\W+(any\W+)?not met",
    "raised warning signs": r"warning sign",
    "children on a child protection plan or looked after": r"child protection plan|looked after",
}


def caseload_facts(browser, url):
    """What a keyworker can tell about their families from the caseload alone (rows and filters), without opening
    a family: each fact is looked for in the rows' text and in the filters' labels and options."""
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, url, "keyworker@ostsafe.example")
    page.goto(f"{url}/caseload/")
    rows = page.locator("table tbody").inner_text().lower()
    filters = page.locator("form[method=get]").first.inner_text().lower()
    facts = {fact: (bool(re.search(rx, rows)), bool(re.search(rx, filters))) for fact, rx in CASELOAD_FACTS.items()}
    context.close()
    return facts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout to serve (default: this one)")
    parser.add_argument("--url", help="measure a server already running with the demo loaded, instead of starting one")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=args.tree, capture_output=True, text=True
    ).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        server = None if args.url else Server(args.tree.resolve(), Path(tmp)).start()
        url = args.url or server.url
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                tasks = counter(browser, url)
                dates = empty_dates(browser, url)
                facts = caseload_facts(browser, url)
                browser.close()
        finally:
            if server:
                server.stop()

    print(f"### Effort at {commit}\n")
    print("| task | key presses |")
    print("|---|---|")
    flagged = tasks["counter_flagged"]
    print(f"| counter: the client to speak to the prescriber about, keyboard only at 375 px | {flagged} |")
    print(f"| counter: after recording, to the next client's button | {tasks['counter_next']} |")
    print(
        f"| counter: a named client ({tasks['counter_named_position']} on the list), keyboard only | "
        f"{tasks['counter_named']} |"
    )
    typed = sum(t for _, _, t in dates)
    print(
        f"| dates typed on {len(dates)} forms of things that happened (about 10 keys each) | "
        f"{typed} date{'s' if typed != 1 else ''} ≈ {typed * 10} |"
    )
    print("\n| form | date boxes | typed |")
    print("|---|---|---|")
    for form, parts, empty in dates:
        print(f"| {form} | {parts} | {empty} |")
    print("\n| on the caseload, without opening a family | on the rows | a filter |")
    print("|---|---|---|")
    for fact, (shown, filtered) in facts.items():
        print(f"| {fact} | {'yes' if shown else 'no'} | {'yes' if filtered else 'no'} |")


if __name__ == "__main__":
    main()
