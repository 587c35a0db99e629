"""
The newsroom's day in a real browser: a reporter writes and submits, an editor sends the
story back, the reporter fixes it, the editor schedules it, and it appears at its time.
"""

import datetime
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / "workflow"


@pytest.fixture
def newsroom(chromium, live_server, make_staff):
    SectionFactory(name="World", slug="world")
    make_staff("rita", "Reporter")
    make_staff("edna", "Editor")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def session(username):
        page = chromium.new_context(viewport={"width": 1280, "height": 1000}).new_page()
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "secret-pw-1")
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        return page

    return live_server, session


def choose_autocomplete(page, field, text):
    page.click(f".field-{field} .select2-selection")
    page.fill(".select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def workflow_step(page, label, comment=None, when=None):
    page.click(f"#content-main .object-tools a:has-text('{label}')")
    if comment is not None:
        page.fill("#id_comment", comment)
    if when is not None:
        page.fill("#id_publish_at_0", when.strftime("%Y-%m-%d"))
        page.fill("#id_publish_at_1", when.strftime("%H:%M:%S"))
    page.click(f"input[type=submit][value='{label}']")
    page.wait_for_selector(".messagelist .success")


@pytest.mark.django_db(transaction=True)
def test_a_story_goes_from_reporter_to_reader_through_review(newsroom):
    server, session = newsroom
    reporter = session("rita")

    # The reporter writes a draft.
    reporter.goto(f"{server.url}/admin/articles/article/add/")
    reporter.fill("#id_headline", "Council approves the new bridge")
    reporter.fill("#id_dek", "A vote of nine to two after a long debate.")
    reporter.fill(
        "#id_body", "The council voted on Tuesday.\n\nThe mayor said 'it is a good day' afterwards."
    )
    choose_autocomplete(reporter, "section", "World")
    reporter.fill("#id_tags", "Transport, City council")
    reporter.click("input[name=_continue]")
    reporter.wait_for_selector(".messagelist .success")
    article = Article.objects.get(headline="Council approves the new bridge")
    assert (article.slug, article.status) == ("council-approves-the-new-bridge", "draft")

    # ... and submits it for review; the workflow buttons of editors are not offered to her.
    assert reporter.locator(".object-tools a:has-text('Publish now')").count() == 0
    workflow_step(reporter, "Submit for review")
    assert Article.objects.get(pk=article.pk).status == "review"

    # The editor sends it back with a comment.
    editor = session("edna")
    editor.goto(f"{server.url}/admin/articles/article/{article.pk}/change/")
    workflow_step(editor, "Send back to the reporter", comment="Name the mayor, please.")
    editor.screenshot(path=SCREENSHOTS / "editor-sent-back.png", full_page=True)

    # The reporter reads the comment, fixes the story and submits it again.
    reporter.goto(f"{server.url}/admin/articles/article/{article.pk}/change/")
    assert "Name the mayor, please." in reporter.content()
    reporter.fill(
        "#id_body", "The council voted on Tuesday.\n\nMayor Ada Lind said 'it is a good day' afterwards."
    )
    reporter.click("input[name=_continue]")
    reporter.wait_for_selector(".messagelist .success")
    workflow_step(reporter, "Submit for review")

    # The editor schedules it ten minutes ahead (the clock moves there below: a loaded machine
    # can take seconds between two steps, and the preview must be seen before the time comes).
    when = timezone.localtime() + datetime.timedelta(minutes=10)
    editor.goto(f"{server.url}/admin/articles/article/{article.pk}/change/")
    workflow_step(editor, "Schedule", when=when)
    assert Article.objects.get(pk=article.pk).is_scheduled

    # Readers cannot see it yet; the editor sees a preview with a banner.
    reader = editor.context.browser.new_context().new_page()
    url = f"{server.url}/articles/{article.slug}/"
    assert reader.goto(url).status == 404
    editor.goto(url)
    assert "Not published" in editor.locator(".preview-banner").inner_text()

    # At its time it appears by itself, with no save: on its page and on the front page.
    with time_machine.travel(when + datetime.timedelta(seconds=1), tick=True):
        assert reader.goto(url).status == 200
        assert "Mayor Ada Lind said" in reader.locator(".article-body").inner_text()
        assert reader.locator(".preview-banner").count() == 0
        reader.screenshot(path=SCREENSHOTS / "published.png", full_page=True)
        reader.goto(f"{server.url}/")
        assert "Council approves the new bridge" in reader.content()

    actions = list(
        Article.objects.get(pk=article.pk)
        .events.order_by("created_at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["submitted", "sent_back", "submitted", "scheduled"]


@pytest.mark.parametrize("width", [1024, 1280])
def test_the_workflow_buttons_never_cover_a_long_headline(
    chromium, live_server, make_staff, width, yesterday
):
    make_staff("edna", "Editor")
    article = ArticleFactory(
        headline="What Did Trump and Putin Discuss in Their Recent Call? Insights into the Ukraine Conflict",
        published_at=yesterday,
    )
    page = chromium.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "edna")
    page.fill("#id_password", "secret-pw-1")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")

    title = page.locator("#content h2").first.bounding_box()
    tools = page.locator("#content-main > .object-tools").bounding_box()
    page.screenshot(path=SCREENSHOTS / f"article-change-form-{width}.png")
    assert "WITHDRAW" in page.locator("#content-main > .object-tools").inner_text().upper()
    assert tools["y"] >= title["y"] + title["height"], (title, tools)


@pytest.mark.django_db(transaction=True)
def test_the_schedule_page_offers_its_date_shortcuts_without_script_errors(newsroom):
    server, session = newsroom
    article = ArticleFactory(status="review", published_at=None, dek="A standfirst.", byline="Staff")
    article.tags.add("Politics")
    editor = session("edna")
    errors = []
    editor.on("pageerror", lambda error: errors.append(str(error)))
    # A script the Content-Security-Policy blocks shows only as a console error.
    editor.on("console", lambda message: message.type == "error" and errors.append(message.text))

    editor.goto(f"{server.url}{reverse('admin:articles_article_transition', args=[article.pk, 'schedule'])}")
    editor.wait_for_load_state("load")
    assert errors == [], f"script errors on the schedule page: {errors}"

    shortcuts = editor.locator(".datetimeshortcuts")
    assert shortcuts.count() == 2  # one after the date, one after the time
    assert shortcuts.first.locator("a:has-text('Today')").is_visible()
    assert shortcuts.last.locator("a:has-text('Now')").is_visible()
    editor.click(".datetimeshortcuts a:has-text('Today')")
    assert editor.input_value("#id_publish_at_0") == timezone.localdate().strftime("%Y-%m-%d")
    editor.click("#calendarlink0")
    calendar = editor.locator("#calendarbox0")
    assert calendar.is_visible()
    assert calendar.locator("caption").text_content() == timezone.localdate().strftime("%B %Y")
    editor.screenshot(path=SCREENSHOTS / "schedule-calendar.png", full_page=True)
    assert errors == [], f"script errors while using the shortcuts: {errors}"
