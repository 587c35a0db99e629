"""
With Redis, each worker process keeps copies of the pages it served (articles.caching, "Copies
in each process"), and Redis tells it when they go stale: an edit made anywhere shows on the
next request everywhere, with no round trip to Redis for a page served again.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from articles import caching
from articles.models import Article
from tests.conftest import TEST_REDIS_URL
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parent.parent
URL = "/articles/story/"
CHANGE_CONTENT = "from articles.caching import content_changed; content_changed()"


@pytest.fixture
def story(yesterday, redis_cache):
    return ArticleFactory(slug="story", headline="Talks resume", published_at=yesterday)


def text(client, url: str = URL) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def change_quietly(story, headline: str) -> None:
    """The article's row as another process's save leaves it: no signal reaches this one."""
    Article.objects.filter(pk=story.pk).update(headline=headline)


def redis_server():
    return redis.Redis.from_url(TEST_REDIS_URL)


def test_a_page_served_again_comes_from_the_process_without_redis_or_the_database(
    client, story, redis_cache, django_assert_num_queries
):
    text(client)
    # Gone from Redis, the page can only come from this process's copy.
    server = redis_server()
    server.delete(*server.scan_iter(match=redis_cache.make_key("newsroom:page:*")))

    with django_assert_num_queries(0):
        assert "Talks resume" in text(client)


def test_an_edit_saved_in_another_process_shows_on_the_next_request(client, story):
    text(client)
    change_quietly(story, "Talks collapse")
    assert "Talks resume" in text(client)  # nothing has told this process yet

    # What every save does, here in another process that shares only Redis with this one.
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", CHANGE_CONTENT],
        cwd=PROJECT,
        env={**os.environ, "CACHE_URL": TEST_REDIS_URL},
        check=True,
        capture_output=True,
    )

    assert "Talks collapse" in text(client)


def test_a_generation_evicted_from_redis_drops_the_copies(client, story, redis_cache):
    text(client)
    change_quietly(story, "Talks collapse")

    redis_server().delete(redis_cache.make_key(caching.GENERATION_KEY))

    assert "Talks collapse" in text(client)


def test_a_process_that_lost_its_connection_to_redis_does_not_trust_its_copies(client, story, redis_cache):
    text(client)
    server = redis_server()
    for connection in server.client_list():
        if "t" in connection["flags"]:  # the tracking connection: its notices stop with it
            server.client_kill_filter(_id=connection["id"])
    change_quietly(story, "Talks collapse")
    server.delete(redis_cache.make_key(caching.GENERATION_KEY))  # a change it was not told of

    assert "Talks collapse" in text(client)
    assert "Talks collapse" in text(client)  # and it watches again once it reconnects


def test_each_process_keeps_a_bounded_number_of_pages(client, story, redis_cache, yesterday, monkeypatch):
    monkeypatch.setattr(caching, "NEAR_PAGES", 2)
    for number in range(3):
        ArticleFactory(slug=f"other-{number}", published_at=yesterday)
    for number in range(3):
        text(client, f"/articles/other-{number}/")

    kept = caching.near_copies(redis_cache).pages.values()
    assert [page for _token, page, _headers in kept if b"other-0" in page] == []  # the oldest left
    assert len(kept) == 2


def test_with_redis_unreachable_pages_are_still_served(client, yesterday, settings):
    from newsroom.settings import cache_from_url

    settings.CACHES = {"default": cache_from_url("redis://127.0.0.1:1/0")}  # nothing listens there
    ArticleFactory(slug="story", headline="Talks resume", published_at=yesterday)

    assert "Talks resume" in text(client)
    assert "Talks resume" in text(client)


@pytest.fixture
def redis_without_tracking(settings):
    """A Redis account that may not run CLIENT commands, as some hosted Redis services give."""
    from django.core.cache import caches

    from newsroom.settings import cache_from_url

    server = redis_server()
    user = f"newsroom-test-{os.getpid()}"
    server.acl_setuser(user, enabled=True, nopass=True, keys=["*"], commands=["+@all", "-client"])
    address = TEST_REDIS_URL.replace("redis://", f"redis://{user}@")
    settings.CACHES = {"default": cache_from_url(address)}
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()
    server.acl_deluser(user)


def test_without_tracking_pages_are_cached_in_redis_alone(
    client, yesterday, redis_without_tracking, caplog, django_assert_num_queries
):
    story = ArticleFactory(slug="story", headline="Talks resume", published_at=yesterday)
    text(client)

    with django_assert_num_queries(0):
        assert "Talks resume" in text(client)
    assert caching.near_copies(redis_without_tracking) is None
    assert "Redis will not track the generation" in caplog.text

    story.headline = "Talks collapse"
    story.save()
    assert "Talks collapse" in text(client)
