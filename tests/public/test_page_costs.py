"""
What the public pages cost in queries: a handful, and the same for an archive five times bigger
(more articles, quotes, people, tags and list entries). The archives are synthetic
(generate_archive), the page cache is off, so every query the pages make is counted.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Author
from synthetic.archive import landmarks

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


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


def test_no_public_page_makes_more_queries_for_a_bigger_archive(client):
    call_command("generate_archive", articles=60, people=10, tags=6, verbosity=0)
    small = queries_per_page(client)

    call_command("generate_archive", articles=300, people=40, tags=24, replace=True, verbosity=0)
    large = queries_per_page(client)

    assert Article.objects.count() == 300
    assert large == small
    assert max(small.values()) <= MAX_QUERIES, small
