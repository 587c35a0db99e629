"""
The body's toolbar in a real browser: an editor selects words and makes them bold and a link,
adds a quote, an embed, a pull quote and a picture, previews the body, saves and publishes; the
public page shows it all, with the quote marked, and the video loads only on the reader's click.
"""

import json
from pathlib import Path

import pytest

from articles.models import Article
from tests.factories import PersonFactory, SectionFactory
from tests.images.pictures import library_image

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / "body-editor"
VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
BODY = "The council approved the bridge on Tuesday.\n\nAna Kovač called it a very good day for the city."


def select(page, words):
    """Select ``words`` in the body's textarea, as a mouse drag would."""
    page.evaluate(
        """(words) => {
            const area = document.querySelector('#id_body');
            const start = area.value.indexOf(words);
            area.focus();
            area.setSelectionRange(start, start + words.length);
        }""",
        words,
    )


def cursor_at_end(page):
    page.evaluate(
        """() => {
            const area = document.querySelector('#id_body');
            area.focus();
            area.setSelectionRange(area.value.length, area.value.length);
        }"""
    )


def body(page):
    return page.input_value("#id_body")


@pytest.mark.django_db(transaction=True)
def test_an_editor_writes_a_body_with_the_toolbar_and_readers_see_it(chromium, live_server, make_staff):
    SectionFactory(name="World", slug="world")
    speaker = PersonFactory(name="Ana Kovač", slug="ana-kovac")
    image = library_image(title="Bridge at dusk", alt_text="The new bridge at dusk", caption="The bridge.")
    make_staff("edna", "Editor")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = chromium.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    answers = []  # what the editor types into each prompt, in turn
    alerts = []

    def on_dialog(dialog):
        if dialog.type == "prompt":
            dialog.accept(answers.pop(0))
        else:
            alerts.append(dialog.message)
            dialog.accept()

    page.on("dialog", on_dialog)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "edna")
    page.fill("#id_password", "secret-pw-1")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_headline", "Council approves the new bridge")
    page.fill("#id_dek", "A vote of nine to two after a long debate.")
    page.fill("#id_body", BODY)
    # The quote, in the quotes below: its words will hold a link.
    page.click(".inline-group#quotes-group .add-row a")
    page.click("#quotes-0 .field-speaker .select2-selection")
    page.fill(".select2-search__field", "Ana")
    page.click(".select2-results__option:has-text('Ana Kovač')")
    page.fill("#id_quotes-0-text", "a very good day for the city")
    page.fill("#id_quotes-0-order", "1")
    # The admin's autocomplete (select2) closes on the next click anywhere, moving focus and the
    # page as it does: a click on the page's title takes that, not the toolbar's first button.
    page.click("#content h1")
    toolbar = page.locator(".body-editor-toolbar")

    select(page, "approved the bridge")
    toolbar.get_by_role("button", name="Bold", exact=True).click()
    assert "The council **approved the bridge** on Tuesday." in body(page)

    select(page, "Tuesday")
    page.keyboard.press("Control+i")
    assert "*Tuesday*." in body(page)

    # A javascript: address is refused; an https one links the selected words.
    select(page, "the city")
    answers.append("javascript:alert(1)")
    toolbar.get_by_role("button", name="Link").click()
    assert alerts and "cannot be linked" in alerts[0]
    assert "javascript" not in body(page)
    select(page, "the city")
    answers.append("https://example.org/city")
    toolbar.get_by_role("button", name="Link").click()
    assert "a very good day for [the city](https://example.org/city)." in body(page)

    cursor_at_end(page)
    answers.append(VIDEO)
    toolbar.get_by_role("button", name="Embed").click()
    toolbar.get_by_role("button", name="Pull quote").click()
    page.click(".body-editor-panel .body-editor-choice:has-text('a very good day')")
    toolbar.get_by_role("button", name="Image").click()
    page.click(f".body-editor-panel .body-editor-choice:has-text('{image.pk}. Bridge at dusk')")
    assert body(page).endswith(f"\n\n[[embed:{VIDEO}]]\n\n[[pullquote:1]]\n\n[[image:{image.pk}]]")

    toolbar.get_by_role("button", name="Preview").click()
    preview = page.locator(".body-preview .article-body")
    preview.locator("figure.pullquote").wait_for()
    assert preview.locator("strong").inner_text() == "approved the bridge"
    assert preview.locator("a[href='https://example.org/city']").count() == 1
    assert preview.locator("figure.embed-video a.embed-link").get_attribute("href") == VIDEO
    assert preview.locator("img").get_attribute("alt") == "The new bridge at dusk"
    assert preview.locator("q#quote-1").inner_text() == "a very good day for the city"
    page.screenshot(path=SCREENSHOTS / "toolbar-and-preview.png", full_page=True)

    page.click(".field-section .select2-selection")
    page.fill(".select2-search__field", "World")
    page.click(".select2-results__option:has-text('World')")
    page.click("#content h1")
    # The lead image, from the library, through its search box.
    page.click(".field-lead_image .select2-selection")
    page.fill(".select2-search__field", "Bridge")
    page.click(".select2-results__option:has-text('Bridge at dusk')")
    page.click("#content h1")
    page.fill("#id_tags", "Transport")
    page.fill("#id_byline", "Staff")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    article = Article.objects.get(headline="Council approves the new bridge")
    assert "**approved the bridge**" in article.body and article.quotes.get().speaker == speaker
    assert article.lead_image == image

    page.click("#content-main .object-tools a:has-text('Publish now')")
    page.click("input[type=submit][value='Publish now']")
    page.wait_for_selector(".messagelist .success")

    # The reader's page: nothing from the video site until the reader asks for it.
    reader = chromium.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    requested = []
    reader.on("request", lambda request: requested.append(request.url))
    reader.route("https://www.youtube-nocookie.com/**", lambda route: route.fulfill(body="<p>player</p>"))
    reader.goto(f"{live_server.url}{article.get_absolute_url()}")
    content = reader.locator(".article-body")
    assert content.locator("strong").inner_text() == "approved the bridge"
    assert content.locator("em").first.inner_text() == "Tuesday"
    link = content.locator("a[href='https://example.org/city']")
    assert link.get_attribute("rel") == "noopener noreferrer"
    marked = content.locator("q#quote-1")
    assert marked.inner_text() == "a very good day for the city"
    assert content.locator("q#quote-1 + a.quote-by").get_attribute("href") == speaker.get_absolute_url()
    pull = content.locator("figure.pullquote")
    assert pull.locator("figcaption a").get_attribute("href") == speaker.get_absolute_url()
    assert content.locator("figure.figure-inline img").get_attribute("alt") == "The new bridge at dusk"
    # The lead picture at the top, and on the social card and in the structured data.
    lead = reader.locator("figure.lead-figure img")
    assert lead.get_attribute("alt") == "The new bridge at dusk"
    social = image.renditions["social"]["name"]
    og_image = reader.locator("meta[property='og:image']").get_attribute("content")
    assert og_image.startswith("http") and og_image.endswith(social)
    assert reader.locator("meta[name='twitter:card']").get_attribute("content") == "summary_large_image"
    structured = [
        json.loads(block)
        for block in reader.locator("script[type='application/ld+json']").all_text_contents()
    ]
    news = next(item for item in structured if item.get("@type") == "NewsArticle")
    images = news["image"] if isinstance(news["image"], list) else [news["image"]]
    assert any(str(item.get("url", item)).endswith(social) for item in images)
    play = content.locator("figure.embed-video button.embed-play")
    assert play.is_visible()
    assert not [url for url in requested if "youtube" in url or "vimeo" in url]
    assert content.locator("iframe").count() == 0
    reader.screenshot(path=SCREENSHOTS / "public-page.png", full_page=True)

    narrow = chromium.new_context(viewport={"width": 390, "height": 844}).new_page()
    narrow.goto(f"{live_server.url}{article.get_absolute_url()}")
    narrow.screenshot(path=SCREENSHOTS / "public-page-390.png", full_page=True)

    # Without JavaScript the video is a link to it, and no button that would do nothing.
    plain = chromium.new_context(java_script_enabled=False).new_page()
    plain.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert plain.locator("figure.embed-video a.embed-link").is_visible()
    assert not plain.locator("figure.embed-video button").is_visible()

    play.click()
    frame = content.locator("figure.embed-video iframe")
    frame.wait_for()
    assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    assert [url for url in requested if url.startswith("https://www.youtube-nocookie.com/")]
