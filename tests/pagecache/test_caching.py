"""
Public pages from the cache (pagecache.purges): served without the database, dropped the
moment content changes, fresh for staff, with headers that browsers and CDNs can honour.
"""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import http_date
from taggit.models import Tag

from articles.models import Article, ArticleNote, Author, Placement, Quote, Section
from newsroom.settings import cache_from_url
from pagecache import purges as caching
from pagecache.middleware import StoredPage
from tests.conftest import TEST_REDIS_URL
from tests.factories import ArticleFactory, PersonFactory, QuoteFactory, SectionFactory
from tests.html_tree import parse_html
from tests.public.pictures import make_image

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]
CHANGE_CONTENT = "from pagecache.purges import content_changed; content_changed()"


@pytest.fixture(autouse=True, params=["local memory", "files", "Redis"])
def page_cache(request, settings, tmp_path):
    """
    Every rule holds with each cache: one process's memory, files in a folder (the default,
    shared by the processes of one machine) and Redis (production). Gives the CACHE_URL another
    process would use to share it (None: it cannot).
    """
    if request.param == "files":
        settings.CACHES = {"default": cache_from_url(f"file://{tmp_path / 'pages'}")}
        return f"file://{tmp_path / 'pages'}"
    if request.param == "Redis":
        request.getfixturevalue("redis_cache")
        return TEST_REDIS_URL
    return None


# Rules about headers and who is served what are the same whichever cache keeps the pages: they
# run with one, and the rest (storing, serving, dropping pages) with each.
HEADER_RULE = pytest.mark.parametrize("page_cache", ["local memory"], indirect=True)


BODY = "## A subhead\n\nThe first paragraph.\n\nThe second paragraph."


@pytest.fixture
def story(yesterday, make_staff):
    """A published article with a section, a tag, a person quoted, a staff author."""
    section = SectionFactory(name="World", slug="world")
    article = ArticleFactory(slug="story", headline="Talks resume", section=section, published_at=yesterday)
    speaker = PersonFactory(name="Ada Lovelace", slug="ada-lovelace")
    article.people.add(speaker)
    article.tags.add("Diplomacy")
    QuoteFactory(article=article, speaker=speaker, text="The first paragraph.", order=1)
    article.authors.add(make_staff("rita", "Reporter").author)
    return article


def text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def cached_page(client, url: str, django_assert_num_queries) -> str:
    """The page as the next anonymous reader gets it, checked to come from the cache."""
    text(client, url)
    with django_assert_num_queries(0):
        return text(client, url)


# Served from the cache


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/articles/story/",
        "/sections/world/",
        "/tags/diplomacy/",
        "/people/",
        "/people/ada-lovelace/",
        "/quotes/",
        "/authors/rita/",
        "/search/?q=talks",
        "/feeds/latest/rss/",
        "/tags/diplomacy/atom/",
        "/sitemap.xml",
        "/robots.txt",
    ],
)
def test_an_anonymous_reader_gets_a_public_page_from_the_cache_without_the_database(
    client, story, url, django_assert_num_queries
):
    first = client.get(url)

    with django_assert_num_queries(0):
        second = client.get(url)

    assert second.status_code == first.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert not first.cookies and not second.cookies


@HEADER_RULE
def test_a_page_from_the_cache_has_every_header_of_the_page_as_made(client, story, django_assert_num_queries):
    # The security headers included: the cached copy is stored with them, not given them again.
    first = client.get("/articles/story/")

    with django_assert_num_queries(0):
        second = client.get("/articles/story/")

    assert dict(second.headers) == dict(first.headers)
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"):
        assert second[header] == second[header.lower()] == first[header], header


def test_a_host_not_allowed_is_refused_even_when_the_page_is_cached(client, story):
    assert client.get("/articles/story/").status_code == 200

    for _ in range(2):
        assert client.get("/articles/story/", headers={"host": "evil.example"}).status_code == 400


def test_a_host_taken_off_allowed_hosts_is_refused_at_once(client, story, settings):
    settings.ALLOWED_HOSTS = ["testserver", "old.example.com"]
    assert client.get("/articles/story/", headers={"host": "old.example.com"}).status_code == 200

    settings.ALLOWED_HOSTS = ["testserver"]

    assert client.get("/articles/story/", headers={"host": "old.example.com"}).status_code == 400
    assert client.get("/articles/story/").status_code == 200


def test_a_header_django_does_not_read_for_the_host_never_chooses_it(client, story, settings):
    settings.USE_X_FORWARDED_HOST = False  # without a Host header, the host is the server's name
    forwarded = {"x-forwarded-host": "testserver"}
    assert client.get("/articles/story/", headers=forwarded).status_code == 200

    assert client.get("/articles/story/", headers=forwarded, SERVER_NAME="evil.example").status_code == 400


def test_a_page_from_the_cache_is_set_up_as_django_sets_up_a_response():
    made = HttpResponse(b"<p>Talks resume</p>", headers={"ETag": '"1"', "Vary": "Cookie"})

    stored = StoredPage(caching.Entry(0, ("article-1",), made.content, list(made.headers.items())))

    assert vars(stored).keys() == vars(made).keys()  # a Django that sets up more fails here
    assert (stored.status_code, stored.content, stored.charset) == (200, made.content, "utf-8")
    assert dict(stored.headers) == dict(made.headers) and stored["etag"] == '"1"'
    stored.close()
    assert stored.closed


@HEADER_RULE
def test_a_cached_page_sets_no_cookie_even_for_a_reader_who_has_other_cookies(client, story):
    client.get("/articles/story/")
    client.cookies["csrftoken"] = "x" * 32
    client.cookies["analytics"] = "1"

    response = client.get("/articles/story/")

    assert response.status_code == 200
    assert not response.cookies


@HEADER_RULE
def test_a_head_request_before_any_get_has_the_headers_of_the_page(client, story):
    with time_machine.travel(timezone.now(), tick=False):  # both made within one second
        head = client.head("/articles/story/")
        get = client.get("/articles/story/")

    for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
        assert head[header] == get[header], header


def test_head_requests_are_answered_from_the_cache(client, story, django_assert_num_queries):
    client.get("/articles/story/")
    with django_assert_num_queries(0):
        assert client.head("/articles/story/").status_code == 200


def test_each_address_and_query_string_is_cached_apart(client, story, yesterday):
    ArticleFactory(headline="Older story", section=story.section, published_at=yesterday)

    assert "Talks resume" in text(client, "/search/?q=talks")
    assert "Older story" in text(client, "/search/?q=older")
    assert "Talks resume" not in text(client, "/search/?q=older")


# Dropped the moment content changes: the next anonymous request sees the edit


def edit_article(story):
    story.headline = "Talks collapse"
    story.save()
    return "Talks collapse"


def edit_quote(story):
    quote = story.quotes.get()
    quote.text = "The second paragraph."
    quote.save()
    return 'id="quote-1"><a href="/people/ada-lovelace/">The second paragraph.'


def add_quote(story):
    speaker = PersonFactory(name="Grace Hopper", slug="grace-hopper")
    story.people.add(speaker)
    Quote.objects.create(article=story, speaker=speaker, text="The second paragraph.", order=2)
    return "/people/grace-hopper/"


def delete_quote(story):
    story.quotes.get().delete()


def edit_person(story):
    person = story.people.get()
    person.name = "Augusta Ada King"
    person.save()
    return "Augusta Ada King"


def add_person(story):
    story.people.add(PersonFactory(name="Grace Hopper", slug="grace-hopper"))
    return "Grace Hopper"


def remove_person(story):
    story.people.clear()


def add_tag(story):
    story.tags.add("Ceasefire")
    return "Ceasefire"


def rename_tag(story):
    tag = Tag.objects.get(name="Diplomacy")
    tag.name = "Statecraft"
    tag.save()
    return "Statecraft"


def rename_section(story):
    section = Section.objects.get(slug="world")
    section.name = "International"
    section.save()
    return "International"


def add_correction(story):
    ArticleNote.objects.create(article=story, text="An earlier version misspelt a name.")
    return "An earlier version misspelt a name."


def rename_author(story):
    author = Author.objects.get(slug="rita")
    author.display_name = "Rita Skeeter"
    author.save()
    return "Rita Skeeter"


@pytest.mark.parametrize(
    "edit",
    [
        edit_article,
        edit_quote,
        add_quote,
        edit_person,
        add_person,
        add_tag,
        rename_tag,
        rename_section,
        add_correction,
        rename_author,
    ],
)
def test_an_edit_shows_on_the_next_anonymous_request_for_the_article(
    client, story, edit, django_assert_num_queries
):
    cached_page(client, "/articles/story/", django_assert_num_queries)

    expected = edit(story)

    assert expected in text(client, "/articles/story/")


@pytest.mark.parametrize(
    "edit, gone", [(delete_quote, 'id="quote-1"'), (remove_person, 'class="people-in-story"')]
)
def test_a_removal_shows_on_the_next_anonymous_request(client, story, edit, gone, django_assert_num_queries):
    assert gone in cached_page(client, "/articles/story/", django_assert_num_queries)

    edit(story)

    assert gone not in text(client, "/articles/story/")


@pytest.mark.parametrize(
    "url, edit",
    [
        ("/", edit_article),
        ("/sections/world/", rename_section),
        ("/tags/diplomacy/", edit_article),
        ("/people/", edit_person),
        ("/people/ada-lovelace/", edit_quote),
        ("/quotes/", edit_person),
        ("/authors/rita/", rename_author),
        ("/feeds/latest/rss/", edit_article),
        ("/sitemap.xml", add_tag),
    ],
)
def test_lists_and_feeds_show_an_edit_on_the_next_request(
    client, story, url, edit, django_assert_num_queries
):
    before = cached_page(client, url, django_assert_num_queries)

    edit(story)

    assert text(client, url) != before


def test_a_newly_published_article_is_on_the_cached_front_page_at_once(client, story):
    text(client, "/")
    draft = ArticleFactory(headline="Breaking news", status="draft", published_at=None, section=story.section)
    assert "Breaking news" not in text(client, "/")

    draft.status, draft.published_at = Article.Status.PUBLISHED, timezone.now()
    draft.save()

    assert "Breaking news" in text(client, "/")


def test_a_withdrawn_article_is_gone_at_once(client, story):
    text(client, "/articles/story/")

    story.status = Article.Status.WITHDRAWN
    story.save()

    assert client.get("/articles/story/").status_code == 410
    assert "Talks resume" not in text(client, "/")


def test_a_deleted_article_is_not_found_at_once(client, story):
    text(client, "/articles/story/")

    story.delete()

    assert client.get("/articles/story/").status_code == 404


def test_a_scheduled_article_appears_on_cached_pages_at_its_time_with_no_save(client, story, now):
    when = now + datetime.timedelta(minutes=10)
    ArticleFactory(slug="embargoed", headline="Embargoed report", section=story.section, published_at=when)
    with time_machine.travel(now, tick=False):
        assert "Embargoed report" not in text(client, "/")
        assert client.get("/articles/embargoed/").status_code == 404

    with time_machine.travel(when + datetime.timedelta(seconds=1), tick=False):
        assert "Embargoed report" in text(client, "/")
        assert "Embargoed report" in text(client, "/sections/world/")
        assert client.get("/articles/embargoed/").status_code == 200


def lead_story(client) -> str:
    """The headline of the front page's lead story, as the next anonymous reader gets it."""
    tree = parse_html(text(client, "/"))
    return tree.find("section", class_="lead-story").find("h3", class_="card-headline").text.strip()


def test_placing_moving_and_removing_a_story_shows_on_the_cached_front_page_at_once(client, story, now):
    older = ArticleFactory(
        headline="Older story", section=story.section, published_at=now - datetime.timedelta(days=3)
    )
    ArticleFactory(
        headline="Newest story", section=story.section, published_at=now - datetime.timedelta(minutes=5)
    )
    assert lead_story(client) == lead_story(client) == "Newest story"

    placement = Placement.objects.create(article=older, position=1)
    assert lead_story(client) == "Older story"

    Placement.objects.create(article=story, position=1)
    placement.position = 2
    placement.save()
    assert lead_story(client) == "Talks resume"

    Placement.objects.filter(article=story).delete()  # the admin's action deletes them this way
    assert lead_story(client) == "Older story"


def test_a_placement_ends_on_cached_pages_at_its_time_with_no_save(client, story, now):
    ArticleFactory(
        headline="Newest story", section=story.section, published_at=now - datetime.timedelta(minutes=5)
    )
    until = now + datetime.timedelta(minutes=5)  # well within the time a page is kept
    Placement.objects.create(article=story, position=1, expires_at=until)
    with time_machine.travel(now, tick=False):
        assert lead_story(client) == lead_story(client) == "Talks resume"

    with time_machine.travel(until + datetime.timedelta(seconds=1), tick=False):
        assert lead_story(client) == "Newest story"


@HEADER_RULE
def test_lifetimes_end_when_a_placement_ends(client, story, now):
    Placement.objects.create(article=story, position=1, expires_at=now + datetime.timedelta(seconds=30))
    with time_machine.travel(now, tick=False):
        text(client, "/")
        response = client.get("/")

    directives = dict(
        part.strip().partition("=")[::2] for part in response["Cache-Control"].split(",") if "=" in part
    )
    assert 0 < int(directives["max-age"]) <= 30
    assert 0 < int(directives["s-maxage"]) <= 30


def test_a_pictures_new_alt_text_caption_and_crop_show_on_cached_pages_at_once(
    client, story, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    picture = make_image()
    story.lead_image = picture
    story.save()
    page = parse_html(text(client, "/articles/story/"))
    crop = page.find("figure", class_="lead-figure").find("img").attrs["src"]

    picture.alt_text = "Hills at dusk"
    picture.caption = "The valley at dusk."
    picture.focal_x = 0.9
    picture.save()

    figure = parse_html(text(client, "/articles/story/")).find("figure", class_="lead-figure")
    assert figure.find("img").attrs["alt"] == "Hills at dusk"
    assert "The valley at dusk." in figure.find("figcaption").text
    assert figure.find("img").attrs["src"] != crop
    assert (
        parse_html(text(client, "/")).find("section", class_="lead-story").find("img").attrs["alt"]
        == "Hills at dusk"
    )


def test_bulk_changes_made_without_signals_show_once_the_pages_are_dropped(client, story):
    text(client, "/articles/story/")
    Article.objects.filter(pk=story.pk).update(headline="Quietly changed")  # sends no signal
    assert "Quietly changed" not in text(client, "/articles/story/")

    caching.content_changed()

    assert "Quietly changed" in text(client, "/articles/story/")


@pytest.mark.parametrize("page_cache", ["files", "Redis"], indirect=True)
def test_a_change_made_by_another_process_shows_on_the_next_request(client, story, page_cache, settings):
    """An import or a shell on the same machine, or another worker: all share the cache."""
    text(client, "/articles/story/")
    Article.objects.filter(pk=story.pk).update(headline="Changed elsewhere")  # its row, as saved there
    assert "Changed elsewhere" not in text(client, "/articles/story/")  # nothing has told this process

    # What every save does, here in another process that shares only the cache with this one.
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", CHANGE_CONTENT],
        cwd=PROJECT,
        env={
            **os.environ,
            "CACHE_URL": page_cache,
            "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
        },
        check=True,
        capture_output=True,
    )

    assert "Changed elsewhere" in text(client, "/articles/story/")


def test_many_changes_in_a_batch_drop_the_pages_once(story, monkeypatch):
    written = []
    monkeypatch.setattr(caching, "_write_records", lambda cache, keys: written.append(set(keys)))

    with caching.batched_changes():
        for number in range(5):
            PersonFactory(name=f"Person {number}")
        story.tags.add("One", "Two")

    assert written == [{"all"}]


@pytest.mark.django_db(transaction=True)
def test_a_transaction_tells_the_caches_in_front_once_when_it_commits(client, monkeypatch):
    sent = []
    monkeypatch.setattr(caching.edge, "purge", lambda keys: sent.append(set(keys)))
    section = SectionFactory()
    sent.clear()  # a new section is in every page's navigation: it dropped them all

    with transaction.atomic():
        article = ArticleFactory(slug="story", headline="Talks resume", section=section)
        for number in range(3):
            article.people.add(PersonFactory(name=f"Person {number}"))
        article.tags.add("Diplomacy")
        assert sent == []

    assert len(sent) == 1
    assert {f"article-{article.pk}", "articles", "front", f"section-{section.pk}-list"} <= sent[0]
    assert "Talks resume" in text(client, "/articles/story/")


# Logged-in staff always get fresh pages


def test_staff_never_get_a_cached_page_and_their_pages_are_not_cached(client, story, editor):
    anonymous = text(client, "/articles/story/")
    Article.objects.filter(pk=story.pk).update(headline="Quietly changed")  # the cache is not told
    client.force_login(editor)

    response = client.get("/articles/story/")

    assert "Quietly changed" in response.content.decode()
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    client.logout()
    assert text(client, "/articles/story/") == anonymous


def test_a_staff_preview_is_never_cached_and_readers_still_get_404(client, editor, draft_article):
    url = draft_article.get_absolute_url()
    client.force_login(editor)
    preview = client.get(url)
    assert preview.status_code == 200
    assert "no-store" in preview["Cache-Control"]
    client.logout()

    response = client.get(url)

    assert response.status_code == 404
    assert "no-cache" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_readers_404_is_not_cached_for_staff_previewing_it(client, editor, draft_article):
    url = draft_article.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(editor)

    assert client.get(url).status_code == 200


def test_a_withdrawal_is_not_cached_as_public(client, story, editor):
    story.status = Article.Status.WITHDRAWN
    story.save()

    response = client.get("/articles/story/")

    assert response.status_code == 410
    assert "public" not in response["Cache-Control"]
    client.force_login(editor)
    assert client.get("/articles/story/").status_code == 200


# Headers for browsers and CDNs


@HEADER_RULE
def test_public_pages_tell_browsers_and_cdns_how_long_to_keep_them(client, story):
    response = client.get("/articles/story/")

    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=60", "s-maxage=120"}
    assert "Cookie" in response["Vary"]
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]


@HEADER_RULE
def test_lifetimes_end_when_a_scheduled_article_becomes_public(client, story, now):
    ArticleFactory(section=story.section, published_at=now + datetime.timedelta(seconds=30))
    with time_machine.travel(now, tick=False):
        text(client, "/")
        response = client.get("/")

    directives = dict(
        part.strip().partition("=")[::2] for part in response["Cache-Control"].split(",") if "=" in part
    )
    assert 0 < int(directives["max-age"]) <= 30
    assert 0 < int(directives["s-maxage"]) <= 30


@HEADER_RULE
@pytest.mark.parametrize("from_cache", [True, False])
def test_a_conditional_request_for_an_unchanged_page_gets_304(client, story, from_cache):
    first = client.get("/articles/story/")
    if not from_cache:
        cache.clear()

    response = client.get("/articles/story/", headers={"if-none-match": first["ETag"]})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == first["ETag"]


@HEADER_RULE
@pytest.mark.parametrize(
    "condition",
    [
        {"if-match": '"another-version"'},
        {"if-unmodified-since": "Mon, 01 Jan 2001 00:00:00 GMT"},
    ],
)
def test_a_precondition_the_cached_page_fails_gets_412(client, story, condition):
    client.get("/articles/story/")

    response = client.get("/articles/story/", headers=condition)

    assert response.status_code == 412


@HEADER_RULE
def test_a_conditional_request_after_an_edit_gets_the_new_page(client, story):
    first = client.get("/articles/story/")
    edit_article(story)

    response = client.get("/articles/story/", headers={"if-none-match": first["ETag"]})

    assert response.status_code == 200
    assert "Talks collapse" in response.content.decode()


@HEADER_RULE
def test_if_modified_since_the_last_change_gets_304(client, story):
    first = client.get("/articles/story/")

    response = client.get("/articles/story/", headers={"if-modified-since": first["Last-Modified"]})

    assert response.status_code == 304


@HEADER_RULE
def test_last_modified_is_when_the_page_was_made_and_stays_while_it_is_served(client, story, now):
    with time_machine.travel(now, tick=False):
        made = client.get("/articles/story/")
    with time_machine.travel(now + datetime.timedelta(minutes=5), tick=False):
        again = client.get("/articles/story/")

    assert made["Last-Modified"] == again["Last-Modified"] == http_date(now.timestamp())


# Without a cache, or with a broken one


@HEADER_RULE
def test_with_the_cache_off_pages_are_rendered_every_time_with_public_headers(client, story, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    client.get("/articles/story/")
    Article.objects.filter(pk=story.pk).update(headline="Quietly changed")

    response = client.get("/articles/story/")

    assert "Quietly changed" in response.content.decode()
    assert "public" in response["Cache-Control"]
    assert response["ETag"]


@HEADER_RULE
def test_an_unreachable_cache_does_not_take_the_site_down(client, story, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("cache server down")

    monkeypatch.setattr(caches["default"], "get", unreachable)

    response = client.get("/articles/story/")

    assert response.status_code == 200
    assert "Talks resume" in response.content.decode()


@HEADER_RULE
def test_the_admin_is_never_cached(client, editor):
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")
