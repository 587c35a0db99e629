"""
The readers' pages in a real browser (the system Chromium, driven by Playwright) at a phone's
and a desktop's width: screenshots for a person to look at, no console errors, no sideways
scrolling on a phone, and no serious or critical accessibility violations found by axe-core.

Screenshots go to test-artifacts/screenshots/<run>/, where <run> is $SCREENSHOT_RUN or the
time and database of the run. axe-core comes from the npm registry (package.json; `make test`
installs it into node_modules/), and runs in each page under the page's own security policy.
"""

import datetime
import os
from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tests.conftest import SEED_SLUG
from tests.factories import ArticleFactory, PersonFactory, QuoteFactory, SectionFactory

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
PAGES = {
    "front": "/",
    "article": f"/articles/{SEED_SLUG}/",
    "person": "/people/vladimir-putin/",
    "tag": "/tags/ukraine/",
    "section": "/sections/world/",
    "search": "/search/?q=putin",
    "quotes": "/quotes/",
}
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    run = os.environ.get("SCREENSHOT_RUN") or (f"{datetime.datetime.now():%Y%m%d-%H%M%S}-{connection.vendor}")
    path = ROOT / "test-artifacts" / "screenshots" / run
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def site(live_server, transactional_db):
    """The seed story, plus a few more so related stories, sections and lists have something."""
    call_command("loaddata", "seed", verbosity=0)
    from articles.models import Article, Person

    seed = Article.objects.get(slug=SEED_SLUG)
    putin = Person.objects.get(slug="vladimir-putin")
    world = seed.section
    europe = SectionFactory(name="Europe", slug="europe", order=2)
    now = timezone.now()
    follow_up = ArticleFactory(
        slug="prisoner-exchange-goes-ahead",
        headline="Prisoner exchange goes ahead after the Trump–Putin call",
        dek="A thousand prisoners on each side crossed the border on Friday, the war's largest exchange.",
        body="The exchange Putin agreed to went ahead on Friday.\n\nOfficials called it “a first step”.",
        section=world,
        byline="Newsroom staff",
        published_at=now - datetime.timedelta(hours=3),
    )
    follow_up.people.add(putin)
    follow_up.tags.add("Ukraine", "Prisoner exchange")
    QuoteFactory(article=follow_up, speaker=putin, text="a first step", order=1)
    envoy = PersonFactory(name="Kaja Kallas", slug="kaja-kallas", role="EU foreign policy chief")
    europe_story = ArticleFactory(
        slug="eu-weighs-new-sanctions",
        headline="EU weighs new sanctions as ceasefire hopes fade",
        # A long unbroken word must wrap rather than widen the page on a phone.
        dek="Ministers meet in Brussels: an-extraordinarily-long-compound-word-that-must-wrap-on-phones.",
        body="Kallas said the bloc was “ready to do more”.\n\n## What comes next\n\nThey meet in June.",
        section=europe,
        byline="Brussels bureau",
        published_at=now - datetime.timedelta(hours=5),
    )
    europe_story.people.add(envoy)
    europe_story.tags.add("Ukraine", "Sanctions")
    QuoteFactory(article=europe_story, speaker=envoy, text="ready to do more", order=1)
    return live_server


@pytest.fixture
def open_page(chromium, site):
    """Opens a path at a viewport; fails the test on any console error or uncaught exception."""
    pages = []

    def open_(path: str, viewport: str):
        page = chromium.new_context(viewport=VIEWPORTS[viewport]).new_page()
        page.errors = []
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        response = page.goto(f"{site.url}{path}")
        assert response.status == 200, f"{path}: HTTP {response.status}"
        pages.append(page)
        return page

    yield open_
    for page in pages:
        assert page.errors == [], f"console errors on {page.url}: {page.errors}"


def serious_violations(page) -> list[str]:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `make axe` (npm ci) first.")
    # The pages' Content-Security-Policy allows scripts from 'self' only, not inline ones (which
    # add_script_tag(path=…) would add): the browser fetches axe from a same-origin address
    # that Playwright answers with the npm file, so the check runs under the real policy.
    axe_url = urljoin(page.url, "/__axe-core__.js")
    page.route(axe_url, lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    page.add_script_tag(url=axe_url)
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['impact']}: {violation['id']} ({violation['help']}) at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_a_readers_page_looks_right_and_is_accessible(open_page, screenshot_dir, name, viewport):
    page = open_page(PAGES[name], viewport)

    page.screenshot(path=screenshot_dir / f"{viewport}-{name}.png", full_page=True)

    assert page.locator("h1").count() == 1
    if viewport == "phone":
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{name} scrolls sideways on a phone: {widths}"
    assert serious_violations(page) == []


def test_the_skip_link_appears_on_focus_and_focus_is_visible(open_page):
    page = open_page(PAGES["article"], "phone")

    page.keyboard.press("Tab")

    skip = page.locator("a.skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0, "the focused skip link is on screen"
    outline = skip.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"

    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#content"


def test_search_from_the_masthead_highlights_the_matching_passage(open_page, screenshot_dir):
    page = open_page("/", "desktop")

    page.get_by_role("search", name="Site search").get_by_role("searchbox").fill("prisoner exchange")
    page.get_by_role("search", name="Site search").get_by_role("button", name="Search").click()

    page.wait_for_url("**/search/?q=prisoner+exchange")
    first = page.locator(".search-result").first
    marks = {text.lower() for text in first.locator("mark").all_inner_texts()}
    assert marks and marks <= {"prisoner", "prisoners", "exchange"}
    assert page.locator(".search-quotes, .search-people, .search-articles").count() >= 1


def test_an_article_prints_without_navigation_or_teasers(open_page, screenshot_dir):
    page = open_page(PAGES["article"], "desktop")
    assert page.locator(".read-next").is_visible()

    page.emulate_media(media="print")
    page.screenshot(path=screenshot_dir / "print-article.png", full_page=True)

    for hidden in (".site-nav", ".search-form", ".read-next", ".site-footer"):
        assert not page.locator(hidden).first.is_visible(), f"{hidden} is printed"
    assert page.locator("h1.headline").is_visible()
    assert page.locator(".article-body").is_visible()
