"""The public pages in a real browser: the system Chromium, driven by Playwright."""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from tests.conftest import SEED_SLUG

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture
def browser_page(monkeypatch):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with `make browser` or set CHROMIUM.")
    # Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = []
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        yield page
        browser.close()
    assert errors == [], f"console errors: {errors}"


@pytest.fixture
def live_seed(live_server, transactional_db):
    call_command("loaddata", "seed", verbosity=0)
    return live_server


def test_a_reader_follows_a_quote_to_its_speaker_and_back(browser_page, live_seed):
    page = browser_page
    page.goto(f"{live_seed.url}/articles/{SEED_SLUG}/")
    assert page.locator("h1").inner_text().startswith("What Did Trump and Putin Discuss")
    page.screenshot(path=ARTIFACTS / "article.png", full_page=True)

    quote = page.locator("q.quote", has_text="frank and meaningful.")
    quote_id = quote.get_attribute("id")
    quote.locator("a").click()

    page.wait_for_url(f"{live_seed.url}/people/vladimir-putin/")
    assert page.locator("h1").inner_text() == "Vladimir Putin"
    page.screenshot(path=ARTIFACTS / "person.png", full_page=True)

    page.locator(".quote-card", has_text="frank and meaningful.").locator("a.quote-source").click()

    page.wait_for_url(f"{live_seed.url}/articles/{SEED_SLUG}/#{quote_id}")
    target = page.locator(f"#{quote_id}")
    assert "frank and meaningful." in target.inner_text()
    assert target.evaluate("element => element.matches(':target')")
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < 900, "the quote is scrolled into view"
