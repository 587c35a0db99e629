"""
What the public pages cost in queries, pinned in one place: a handful each, and the same for an
archive five times bigger (more articles, quotes, people, tags and list entries). The archives are
synthetic (generate_archive); the page cache is off, so every query the pages make is counted.
"""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Author, Person, Placement
from synthetic.archive import landmarks
from tests.articles.test_search import search
from tests.conftest import scheduled_stories_looked_for
from tests.factories import ArticleFactory, PersonFactory, QuoteFactory
from tests.html_tree import parse_html
from tests.public.pictures import copies, make_image

pytestmark = pytest.mark.django_db

# What a page may cost in queries, whatever the number of articles, quotes, tags or people on it:
# a handful, far below one query per row.
MAX_QUERIES = 10


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    scheduled_stories_looked_for(caches["default"])


def public_pages() -> dict[str, str]:
    pages = landmarks("default")
    author = Author.objects.filter(articles__in=Article.objects.published()).first()
    return {
        **pages,
        "people": "/people/",
        "quotes": "/quotes/",
        "author": author.get_absolute_url(),
        "latest feed": "/feeds/latest/rss/",
        "section feed": pages["section"] + "atom/",
        "tag feed": pages["tag"] + "rss/",
        "person feed": pages["person"] + "atom/",
        "sitemap": "/sitemap.xml",
        "news sitemap": "/news-sitemap.xml",
        "second page": "/quotes/?page=2",
    }


def queries_per_page(client) -> dict[str, int]:
    counts = {}
    for name, url in public_pages().items():
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = len(context.captured_queries)
    return counts


def with_pictures(picture) -> None:
    """Every article a lead picture and every person a portrait, each a library image of its own."""
    articles, people = list(Article.objects.all()), list(Person.objects.all())
    images = iter(copies(picture, len(articles) + len(people)))
    for row in (*articles, *people):
        setattr(row, "lead_image" if isinstance(row, Article) else "portrait", next(images))
    Article.objects.bulk_update(articles, ["lead_image"])
    Person.objects.bulk_update(people, ["portrait"])
    Placement.objects.create(article=articles[-1], position=1)  # an editor's lead, too


def test_no_public_page_makes_more_queries_for_a_bigger_archive(client, media):
    picture = make_image()
    call_command("generate_archive", articles=60, people=10, tags=6, verbosity=0)
    with_pictures(picture)
    small = queries_per_page(client)

    call_command("generate_archive", articles=300, people=40, tags=24, replace=True, verbosity=0)
    with_pictures(picture)
    large = queries_per_page(client)

    assert Article.objects.count() == 300
    assert large == small
    assert max(small.values()) <= MAX_QUERIES, small


def test_pages_print_the_pictures_they_were_counted_with(client, media):
    call_command("generate_archive", articles=60, people=10, tags=6, verbosity=0)
    with_pictures(make_image())
    pages = public_pages()

    for name in ("front", "section", "tag", "article", "person"):
        assert parse_html(client.get(pages[name]).content).find_all("img"), name
    assert parse_html(client.get("/people/").content).find_all("img")


# Each page's own count, with what each query is for.


def test_the_quotes_page_is_paginated_with_a_fixed_number_of_queries(
    client, yesterday, django_assert_num_queries
):
    article = ArticleFactory(published_at=yesterday)
    for _ in range(25):
        QuoteFactory(article=article, speaker=PersonFactory())

    with django_assert_num_queries(3):  # count, the page of quotes, the masthead's sections
        first = client.get("/quotes/")
    second = client.get("/quotes/", {"page": 2})

    assert len(parse_html(first.content).find_all("figure", class_="quote-card")) == 20
    assert len(parse_html(second.content).find_all("figure", class_="quote-card")) == 5
    assert parse_html(first.content).find("a", rel="next").attrs["href"] == "?page=2"


def test_a_feed_makes_a_fixed_number_of_queries(client, yesterday, django_assert_num_queries):
    for number in range(10):
        ArticleFactory(published_at=yesterday).tags.add(f"Tag {number}")
    # articles, then their tags, authors and corrections.
    with django_assert_num_queries(4):
        client.get("/feeds/latest/atom/")


def test_the_sitemap_makes_a_fixed_number_of_queries(client, yesterday, django_assert_num_queries):
    for number in range(5):
        article = ArticleFactory(published_at=yesterday)
        article.tags.add(f"Tag {number}")
        article.people.add(PersonFactory())
    # A count and a page for articles (with their latest correction), sections, tags and people.
    with django_assert_num_queries(8):
        client.get("/sitemap.xml")


def test_the_search_page_makes_a_fixed_number_of_queries(client, yesterday, django_assert_num_queries):
    for number in range(5):
        article = ArticleFactory(
            published_at=yesterday, headline=f"Ceasefire {number}", body="A “ceasefire” now."
        )
        speaker = PersonFactory(name=f"Ceasefire Envoy{number}")
        article.people.add(speaker)
        QuoteFactory(article=article, speaker=speaker, text="ceasefire")

    # The ranked ids, the articles, their bylines, people, quotes, and the masthead's sections. On
    # PostgreSQL the search's four run in a transaction (here a savepoint: made, rolled back,
    # released) that sets their statement timeout first.
    expected = 6 + (1 + 3 if connection.vendor == "postgresql" else 0)
    with django_assert_num_queries(expected):
        search(client, "ceasefire")
