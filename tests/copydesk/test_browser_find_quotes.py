"""
An editor in a real browser writes a story, lets Find quotes propose its quotes, gives one to
another speaker, and saves and publishes in one step; readers see the quote marked and linked.
"""

from pathlib import Path

import pytest

from articles.models import Article, ArticleEvent
from tests.factories import PersonFactory, SectionFactory

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / "copydesk"

BODY = """Mayor Ada Lind opened the new bridge on Tuesday, three years after work began.

"It is a good day for the city," Lind said.

Engineer Tomas Berg said the work was harder than planned. "We never stopped," Berg said."""


@pytest.mark.django_db(transaction=True)
def test_an_editor_accepts_a_found_quote_with_another_speaker_and_publishes_in_one_step(
    chromium, live_server, make_staff
):
    SectionFactory(name="City", slug="city")
    PersonFactory(name="Ada Lind", slug="ada-lind", role="Mayor", aliases="Lind")
    berg = PersonFactory(name="Tomas Berg", slug="tomas-berg", role="Engineer", aliases="Berg")
    make_staff("edna", "Editor")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = chromium.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "edna")
    page.fill("#id_password", "secret-pw-1")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_headline", "The new bridge opens")
    page.fill("#id_dek", "Three years of work, and a mayor's good day.")
    page.fill("#id_body", BODY)
    page.click(".field-section .select2-selection")
    page.fill(".select2-container--open .select2-search__field", "City")
    page.click(".select2-results__option:has-text('City')")
    page.fill("#id_tags", "Bridges")

    # Find quotes reads the unsaved body in place: the page is not reloaded.
    page.evaluate("window.notReloaded = true")
    page.click("input[name=_find_quotes]")
    proposal = page.locator(".quote-proposal", has_text="It is a good day for the city")
    proposal.wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert page.locator(".quote-proposal").count() == 2
    assert "Ada Lind" in proposal.locator(".select2-selection").inner_text()
    assert not Article.objects.exists()

    # The editor knows better: it was the engineer who said it.
    proposal.locator(".select2-selection").click()
    page.fill(".select2-container--open .select2-search__field", "Berg")
    page.click(".select2-results__option:has-text('Tomas Berg')")
    proposal.locator("input[type=checkbox]").check()
    page.screenshot(path=SCREENSHOTS / "proposals.png", full_page=True)

    page.click("input[name=_publish]")
    page.wait_for_selector(".messagelist .success")
    assert "was saved and published" in page.locator(".messagelist").inner_text()

    article = Article.objects.get(slug="the-new-bridge-opens")
    assert article.is_public
    [quote] = article.quotes.all()
    assert (quote.speaker, quote.text) == (berg, "It is a good day for the city")
    assert ArticleEvent.objects.get(article=article).action == ArticleEvent.Action.PUBLISHED

    reader = chromium.new_context().new_page()
    reader.goto(f"{live_server.url}/articles/the-new-bridge-opens/")
    marked = reader.locator("q.quote", has_text="It is a good day for the city")
    assert marked.get_attribute("id") == "quote-1"
    assert marked.locator("a").get_attribute("href") == "/people/tomas-berg/"
    reader.screenshot(path=SCREENSHOTS / "published.png", full_page=True)
    marked.locator("a").click()
    reader.wait_for_url(f"{live_server.url}/people/tomas-berg/")
    assert "It is a good day for the city" in reader.locator("main").inner_text()
