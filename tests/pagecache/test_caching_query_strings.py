"""
A page is cached once, whatever query string comes with it: only the parameters the page reads
make another entry (pagecache.purges, "One entry per page, whatever the query string").
"""

import pytest
import redis
from django.test import Client

from pagecache import pages
from public import urls as public_urls
from tests.conftest import TEST_REDIS_URL
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(yesterday, redis_cache):
    """A section of two pages (20 articles a page), cached in Redis."""
    section = SectionFactory(name="World", slug="world")
    for number in range(25):
        ArticleFactory(slug=f"story-{number}", section=section, published_at=yesterday)
    return section


def pages_in_redis(redis_cache) -> int:
    server = redis.Redis.from_url(TEST_REDIS_URL)
    return sum(1 for _ in server.scan_iter(match=redis_cache.make_key("newsroom:page:*")))


def text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_query_parameters_a_page_does_not_read_make_no_new_cache_entry(client, section, redis_cache):
    text(client, "/articles/story-1/")
    text(client, "/sections/world/?page=2")
    for number in range(20):
        text(client, f"/articles/story-1/?utm={number}")
        text(client, f"/sections/world/?page=2&utm_source=mail-{number}&fbclid={number}")

    assert pages_in_redis(redis_cache) == 2


def test_a_page_asked_for_with_other_parameters_is_the_page_without_them(client, section, redis_cache):
    plain = text(client, "/sections/world/?page=2")
    assert 'href="/sections/world/"' in plain  # its link to page 1

    for url in ("/sections/world/?page=2&ref=evil", "/sections/world/?ref=evil&page=2&page=2"):
        assert text(client, url) == plain


def test_the_parameters_a_page_did_not_read_never_reach_another_reader(client, section):
    """Its links keep the query they are given: made for ?ref=…, they would carry it to others."""
    text(client, "/sections/world/?utm_campaign=PWNED")

    page = text(Client(), "/sections/world/")

    assert "PWNED" not in page
    assert 'href="?page=2"' in page


def test_the_parameters_a_page_reads_still_make_their_own_entries(client, section, yesterday):
    first, second = text(client, "/sections/world/"), text(client, "/sections/world/?page=2")
    assert first != second
    assert text(client, "/sections/world/?page=02") == second
    ArticleFactory(slug="lighthouse", headline="Lighthouse keepers strike", published_at=yesterday)
    assert "Lighthouse keepers strike" in text(client, "/search/?q=lighthouse&utm=1")
    assert "Lighthouse keepers strike" not in text(client, "/search/?q=harbour&utm=1")


def test_a_page_number_that_is_not_a_number_is_still_not_found(client, section):
    assert client.get("/sections/world/?page=two&utm=1").status_code == 404
    assert client.get("/sections/world/?page=9&utm=1").status_code == 404


def test_every_page_of_the_reader_site_is_marked_a_public_page():
    """An unmarked page would go uncached: each says which query parameters it reads."""
    unmarked = [pattern.name for pattern in public_urls.urlpatterns if pages.reads(pattern.callback) is None]
    assert unmarked == []


def test_other_pages_keep_their_whole_query(client, db):
    response = client.get("/admin/login/?next=/admin/articles/article/")

    assert response.status_code == 200
    assert 'name="next" value="/admin/articles/article/"' in response.content.decode()
