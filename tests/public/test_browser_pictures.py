"""
The pages with pictures in a real browser (the system Chromium, driven by Playwright), at a
desktop's and a phone's width: screenshots of the front page, the seed article and a person's
page for a person to look at, and the layout facts behind them: the lead picture above the fold
in its own shape, nothing moving as pictures load, no sideways scrolling on a phone, no serious
accessibility violation (axe-core), and the share and time scripts working.

Screenshots go to test-artifacts/screenshots/pictures/ (ignored by git). The live server runs
with DEBUG off, so it serves no uploads: the browser's requests for /media/ are answered from
the test's media folder, as nginx answers them under `make serve`.
"""

import datetime
import mimetypes
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import SEED_SLUG
from tests.factories import ArticleFactory, PersonFactory, QuoteFactory, SectionFactory
from tests.public.pictures import make_image
from tests.public.test_browser_readers import serious_violations

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots" / "pictures"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
PAGES = {
    "front": "/",
    "article": f"/articles/{SEED_SLUG}/",
    "person": "/people/vladimir-putin/",
    "people": "/people/",
    "search": "/search/?q=putin",
}

# Every layout shift the page makes, from before its first byte (buffered), as Lighthouse counts
# them: shifts right after the reader's own input do not count.
WATCH_LAYOUT_SHIFTS = """
window.__layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__layoutShift += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.fixture
def site(live_server, transactional_db, media):
    """The seed story with its picture, more stories with theirs, one the editors' lead, a portrait."""
    from articles.models import Article, Person, Placement

    call_command("loaddata", "seed", verbosity=0)
    seed = Article.objects.get(slug=SEED_SLUG)
    if seed.lead_image is None:
        seed.lead_image = make_image(
            hue=0, alt_text="Two flags over a conference table", caption="Moscow and Washington."
        )
        seed.save()
    putin = Person.objects.get(slug="vladimir-putin")
    putin.portrait = make_image(
        width=900, height=1100, hue=120, alt_text="Vladimir Putin", caption="", credit="Kremlin pool"
    )
    putin.save()
    europe = SectionFactory(name="Europe", slug="europe", order=2)
    now = timezone.now()
    stories = [
        ("Prisoner exchange goes ahead after the Trump–Putin call", seed.section, 3, 30),
        ("EU weighs new sanctions as ceasefire hopes fade", europe, 5, 60),
        ("Grain corridor reopens for the first time since spring", europe, 7, 150),
        ("Ministers meet in Brussels over energy prices", europe, 9, 200),
        ("A two-line item from the wires", seed.section, 0.5, None),
    ]
    for number, (headline, section, hours, hue) in enumerate(stories):
        article = ArticleFactory(
            slug=f"story-{number}",
            headline=headline,
            dek="What happened, and what comes next, in two sentences for the reader in a hurry.",
            section=section,
            byline="Newsroom staff",
            published_at=now - datetime.timedelta(hours=hours),
            lead_image=make_image(1200, 800, hue=hue) if hue is not None else None,
        )
        article.people.add(putin)
        QuoteFactory(article=article, speaker=putin, text="The first paragraph.", order=1)
    # The editors lead with the seed story, over the newer two-line item.
    Placement.objects.create(article=seed, position=1)
    PersonFactory(name="Kaja Kallas", slug="kaja-kallas")
    return live_server


@pytest.fixture
def open_page(chromium, site):
    """Opens a path at a viewport, with uploads answered from the media folder; fails on console errors."""
    pages = []

    def serve_upload(route):
        path = Path(settings.MEDIA_ROOT) / route.request.url.split("/media/", 1)[1]
        if not path.is_file():
            return route.fulfill(status=404)
        return route.fulfill(path=path, content_type=mimetypes.guess_type(path.name)[0])

    def open_(path: str, viewport: str, **context):
        page = chromium.new_context(viewport=VIEWPORTS[viewport], **context).new_page()
        page.errors = []
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.route("**/media/**", serve_upload)
        page.add_init_script(WATCH_LAYOUT_SHIFTS)
        response = page.goto(f"{site.url}{path}", wait_until="load")
        assert response.status == 200, f"{path}: HTTP {response.status}"
        pages.append(page)
        return page

    yield open_
    for page in pages:
        assert page.errors == [], f"console errors on {page.url}: {page.errors}"


def scroll_through(page) -> None:
    """Down the whole page and back, so that every lazy picture loads, then wait for them."""
    page.evaluate(
        """async () => {
          for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight / 2) {
            window.scrollTo(0, y);
            await new Promise((done) => setTimeout(done, 50));
          }
          window.scrollTo(0, 0);
          const pending = [...document.images].filter((img) => !img.complete);
          await Promise.all(pending.map((img) => img.decode().catch(() => null)));
        }"""
    )


def picture_facts(page, selector: str) -> dict:
    return page.locator(selector).first.evaluate(
        """(img) => {
          const box = img.getBoundingClientRect();
          return {top: box.top, bottom: box.bottom, width: box.width, height: box.height,
                  attrWidth: +img.getAttribute("width"), attrHeight: +img.getAttribute("height"),
                  loaded: img.complete && img.naturalWidth > 0, source: img.currentSrc};
        }"""
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_pages_with_pictures_look_right_and_nothing_moves(open_page, name, viewport):
    page = open_page(PAGES[name], viewport)
    scroll_through(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{viewport}-{name}.png", full_page=True)

    broken = page.evaluate(
        "() => [...document.images].filter((img) => !img.naturalWidth).map((img) => img.src)"
    )
    assert broken == []
    shift = page.evaluate("() => window.__layoutShift")
    assert shift < 0.01, f"{name} moved as it loaded (cumulative layout shift {shift:.3f})"
    if viewport == "phone":
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{name} scrolls sideways on a phone: {widths}"
    assert serious_violations(page) == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize(
    "name, selector",
    [("front", ".lead-story img"), ("article", ".lead-figure img"), ("person", ".portrait img")],
)
def test_the_main_picture_is_above_the_fold_in_its_own_shape(open_page, name, selector, viewport):
    page = open_page(PAGES[name], viewport)

    facts = picture_facts(page, selector)

    assert facts["loaded"], f"{name}: the main picture did not load at once"
    assert facts["source"].endswith((".webp", ".jpg")), facts["source"]
    fold = VIEWPORTS[viewport]["height"]
    visible = (min(facts["bottom"], fold) - facts["top"]) / facts["height"]
    # The front page's lead and a portrait whole; an article's picture under a long headline at
    # least half, on a desktop.
    assert facts["top"] >= 0 and visible >= (0.5 if name == "article" else 1), f"{name}: {facts}"
    assert facts["width"] >= (90 if name == "person" else 300)
    expected = facts["attrWidth"] / facts["attrHeight"]
    assert abs(facts["width"] / facts["height"] - expected) < 0.02, f"{name}: {facts}"


def test_the_front_page_leads_with_the_editors_choice(open_page):
    page = open_page("/", "desktop")

    assert (
        page.locator(".lead-story .card-headline").inner_text().startswith("What Did Trump and Putin Discuss")
    )
    assert page.locator(".top-stories .card").count() == 4


def test_recent_times_read_as_hours_ago_with_the_date_kept_as_the_title(open_page):
    page = open_page("/sections/europe/", "desktop")

    time = page.locator("time", has_text="hours ago").first
    assert time.inner_text() == "5 hours ago"
    # The printed date stays on hover, in the site's time zone (UTC in the tests' settings).
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d UTC", time.get_attribute("title"))
    # Older than a day: the date as printed.
    seed_time = open_page(PAGES["article"], "desktop").locator(".byline time").first
    assert seed_time.inner_text() == "19 May 2025, 20:00 UTC"


def test_copy_link_puts_the_articles_address_on_the_clipboard(open_page, site):
    page = open_page(PAGES["article"], "desktop", permissions=["clipboard-read", "clipboard-write"])

    page.get_by_role("button", name="Copy link").click()

    # The copy is asynchronous: the status is said once the clipboard has taken the address.
    expect(page.locator(".share-status")).to_have_text("Link copied.")
    assert page.evaluate("() => navigator.clipboard.readText()") == f"{site.url}{PAGES['article']}"
