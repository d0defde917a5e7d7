import pytest

from ostsafe.core.testing import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    from ostsafe.core.browser import DemoServer

    server = DemoServer(tmp_path_factory.mktemp("browser")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    from ostsafe.core.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
