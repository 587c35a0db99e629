"""
With Redis, each worker process keeps copies of the pages it served (pagecache.purges, "Copies
in each process"), and Redis tells it when they go stale: an edit made anywhere shows on the
next request everywhere, with no round trip to Redis for a page served again.
"""

import os
import select
import socket
import threading
import time
from datetime import timedelta

import pytest
import redis
import time_machine
from django.test import RequestFactory
from django.utils import timezone

from articles.models import Article
from pagecache import purges as caching
from pagecache.middleware import _page_key
from pagecache.redis_backend import KeyWatch
from tests.conftest import TEST_REDIS_URL, redis_cache_at
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

URL = "/articles/story/"


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


def test_a_purge_made_by_another_process_drops_the_copies_carrying_its_key(client, story, redis_cache):
    text(client)
    text(client, "/people/")
    change_quietly(story, "Talks collapse")

    caching._write_records(redis_cache, [f"article-{story.pk}"])  # as another process purges

    assert "Talks collapse" in text(client)
    kept = kept_pages(redis_cache)
    assert len(kept) == 2  # the people index, which does not show the story, is still kept
    assert len([page for page in kept if b"Talks collapse" in page]) == 1


def test_a_process_that_lost_its_connection_to_redis_does_not_trust_its_copies(client, story, redis_cache):
    text(client)
    server = redis_server()
    for connection in server.client_list():
        if "t" in connection["flags"]:  # the tracking connection: its notices stop with it
            server.client_kill_filter(_id=connection["id"])
    change_quietly(story, "Talks collapse")
    caching._write_records(redis_cache, [f"article-{story.pk}"])  # a purge it was not told of

    assert "Talks collapse" in text(client)

    # It watches again: a copy, then a change made elsewhere, seen at once.
    text(client)
    change_quietly(story, "Talks resume at last")
    caching._write_records(redis_cache, [f"article-{story.pk}"])
    assert "Talks resume at last" in text(client)


def test_a_copy_is_not_kept_longer_than_redis_keeps_the_page(client, story, redis_cache):
    text(client)
    change_quietly(story, "Talks collapse")
    server = redis_server()
    server.delete(*server.scan_iter(match=redis_cache.make_key("newsroom:page:*")))  # as Redis expires it

    with time_machine.travel(timezone.now() + timedelta(seconds=caching.PAGE_SECONDS + 1)):
        assert "Talks collapse" in text(client)


def test_a_copy_taken_from_redis_goes_when_redis_drops_the_page(client, story, redis_cache):
    text(client)
    caching.near_copies(redis_cache).forget()  # as in a process that did not make the page
    redis_server().pexpire(redis_cache.make_key(page_key_of(URL)), 300)
    text(client)  # a copy, taken from Redis 0.3 s before Redis drops the page
    change_quietly(story, "Talks collapse")

    time.sleep(0.4)

    assert "Talks collapse" in text(client)


def test_a_cache_reading_from_replicas_keeps_no_copies(client, story, settings, caplog):
    """A replica may not have the change a notice announced yet: every page asks Redis."""
    from django.core.cache import caches

    from newsroom.settings import cache_from_url

    settings.CACHES = {"default": cache_from_url(f"{TEST_REDIS_URL},{TEST_REDIS_URL}")}
    text(client)
    assert "Talks resume" in text(client)
    assert caching.near_copies(caches["default"]) is None
    assert "reads from replicas" in caplog.text


def page_key_of(path: str) -> str:
    return _page_key(RequestFactory().get(path))


def kept_pages(redis_cache) -> list[bytes]:
    """The pages this process keeps (not the parts of pages it keeps beside them: pagecache.kept)."""
    return [entry.content for entry, _expires in kept(redis_cache).values()]


def kept(redis_cache) -> dict:
    copies = caching.near_copies(redis_cache).pages
    return {name: copy for name, copy in copies.items() if name.startswith("newsroom:page:")}


def test_each_process_keeps_pages_up_to_a_size_the_one_served_longest_ago_going_first(
    client, story, redis_cache, yesterday, settings
):
    settings.KEPT_PARTS = ()  # pages alone fill the allowance
    for number in range(4):
        ArticleFactory(slug=f"other-{number}", published_at=yesterday)
    text(client, "/articles/other-0/")
    size = caching.near_copies(redis_cache).size
    settings.PAGE_CACHE_NEAR_BYTES = int(size * 2.5)  # two such pages, not three

    text(client, "/articles/other-1/")
    text(client, "/articles/other-0/")  # served again: now the one served last
    text(client, "/articles/other-2/")

    near = caching.near_copies(redis_cache)
    assert list(near.pages) == [page_key_of("/articles/other-0/"), page_key_of("/articles/other-2/")]
    assert near.size <= settings.PAGE_CACHE_NEAR_BYTES


def test_a_page_bigger_than_the_whole_allowance_is_not_kept(client, story, redis_cache, settings):
    settings.PAGE_CACHE_NEAR_BYTES = 1000

    text(client)

    assert kept_pages(redis_cache) == []
    assert "Talks resume" in text(client)  # from Redis


def test_with_redis_unreachable_pages_are_still_served(client, yesterday, settings):
    from newsroom.settings import cache_from_url

    settings.CACHES = {"default": cache_from_url("redis://127.0.0.1:1/0")}  # nothing listens there
    ArticleFactory(slug="story", headline="Talks resume", published_at=yesterday)

    assert "Talks resume" in text(client)
    assert "Talks resume" in text(client)


@pytest.fixture
def redis_without_tracking(settings):
    """A Redis account that may not run CLIENT commands, as some hosted Redis services give."""
    server = redis_server()
    user = f"newsroom-test-{os.getpid()}"
    server.acl_setuser(user, enabled=True, nopass=True, keys=["*"], commands=["+@all", "-client"])
    with redis_cache_at(settings, TEST_REDIS_URL.replace("redis://", f"redis://{user}@")) as cache:
        yield cache
    server.acl_deluser(user)


def test_without_tracking_pages_are_cached_in_redis_alone(
    client, yesterday, redis_without_tracking, caplog, django_assert_num_queries
):
    story = ArticleFactory(slug="story", headline="Talks resume", published_at=yesterday)
    text(client)

    with django_assert_num_queries(0):
        assert "Talks resume" in text(client)
    assert caching.near_copies(redis_without_tracking) is None
    assert "Redis will not track the purge records" in caplog.text

    story.headline = "Talks collapse"
    story.save()
    assert "Talks collapse" in text(client)


def test_a_page_in_redis_is_served_while_none_of_its_keys_was_purged_since(
    client, yesterday, redis_without_tracking, django_assert_num_queries
):
    story = ArticleFactory(slug="story", headline="Talks resume", published_at=yesterday)
    text(client)
    change_quietly(story, "Talks collapse")

    caching._write_records(redis_without_tracking, ["article-999999", "people"])  # not on the page
    with django_assert_num_queries(0):
        assert "Talks resume" in text(client)

    caching._write_records(redis_without_tracking, [f"article-{story.pk}"])  # as another process purges
    assert "Talks collapse" in text(client)


# The watch itself


@pytest.fixture
def watched_key():
    server = redis_server()
    key = f"newsroom-test-watched-{os.getpid()}"
    yield server, key
    server.delete(key)


def changes_seen_within(watch: KeyWatch, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seen = watch.changes()
        if seen is None or seen:
            return True
        time.sleep(0.01)
    return False


def test_the_watch_speaks_resp3_even_when_the_address_asks_for_resp2(watched_key):
    server, key = watched_key
    watch = KeyWatch(f"{TEST_REDIS_URL}?protocol=2", key)
    assert watch.changes() is None  # just started: anything may have changed before

    server.set(key, "new")

    deadline, seen = time.monotonic() + 1, set()
    while not seen and time.monotonic() < deadline:
        seen = watch.changes()
    assert seen == {key}  # named: only the pages carrying it are dropped
    watch.close()


def test_the_watch_sees_each_change_made_after_it_was_last_asked(watched_key):
    # Once everything read is taken, the watch only looks whether the socket has more to read.
    server, key = watched_key
    watch = KeyWatch(TEST_REDIS_URL, key)
    assert watch.changes() is None

    for value in range(5):
        assert watch.changes() == set()  # nothing changed since it was last asked
        server.set(key, value)
        deadline, seen = time.monotonic() + 1, set()
        while not seen and time.monotonic() < deadline:
            seen = watch.changes()
        assert seen == {key}, value
    watch.close()


class FreezingProxy:
    """A TCP proxy to Redis that can stop passing bytes on without closing anything."""

    def __init__(self, redis_address=("127.0.0.1", 6379)):
        self.redis_address = redis_address
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}/15"
        self.frozen = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.redis_address)
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pass_on, args=(source, target), daemon=True).start()

    def _pass_on(self, source, target):
        while data := self._receive(source):
            if not self.frozen.is_set():  # frozen: dropped, as a dead network path drops them
                target.sendall(data)
        target.close()

    @staticmethod
    def _receive(source) -> bytes:
        try:
            return source.recv(65536)
        except OSError:
            return b""

    def close(self):
        self.listener.close()


def test_a_connection_that_dies_without_a_word_is_noticed_within_a_heartbeat(watched_key, monkeypatch):
    monkeypatch.setattr(KeyWatch, "HEARTBEAT_SECONDS", 0.1)
    # Time for a PING's answer on a loaded machine (the other test worker busy): a late answer
    # must not pass for a dead connection.
    monkeypatch.setattr(KeyWatch, "ANSWER_SECONDS", 0.5)
    server, key = watched_key
    proxy = FreezingProxy()
    watch = KeyWatch(proxy.url, key)
    watch.changes()
    assert not changes_seen_within(watch, 0.3)  # alive: heartbeats answered, nothing changed

    proxy.frozen.set()
    server.set(key, "new")  # its notice never arrives

    assert changes_seen_within(watch, 1.5)  # a heartbeat and its answer's time, with room
    watch.close()
    proxy.close()


@pytest.fixture
def quick_heartbeat(monkeypatch):
    monkeypatch.setattr(KeyWatch, "HEARTBEAT_SECONDS", 0.1)
    monkeypatch.setattr(KeyWatch, "ANSWER_SECONDS", 0.5)


def test_a_watch_asked_after_a_quiet_while_settles_with_one_ping(watched_key, quick_heartbeat):
    server, key = watched_key
    watch = KeyWatch(TEST_REDIS_URL, key)
    watch.changes()

    time.sleep(0.7)  # no reader for longer than a heartbeat and its answer
    assert watch.changes() == set()  # answered: the copies stay, nothing changed

    time.sleep(0.7)
    server.set(key, "new")
    assert watch.changes() == {key}  # the notice, read before the PING's answer
    watch.close()


def test_a_notice_waiting_when_the_watch_sends_its_ping_is_not_lost(watched_key):
    # redis-py's own health check (?health_check_interval=) reads its PING's answer past any
    # notice before it, and drops the notice.
    server, key = watched_key
    watch = KeyWatch(f"{TEST_REDIS_URL}?health_check_interval=1", key)
    watch.changes()
    assert watch.changes() == set()
    time.sleep(1.1)  # redis-py's check is due

    server.set(key, "new")
    select.select([watch._connection._sock], [], [], 1)  # the notice has arrived, not yet taken
    watch._ping(watch._connection, time.monotonic())  # the heartbeat, sent before it is taken

    assert key in watch.changes()
    watch.close()


@pytest.fixture
def watch_through_proxy(watched_key, quick_heartbeat):
    """A started watch on the watched key, through a proxy the test can freeze."""
    server, key = watched_key
    proxy = FreezingProxy()
    watch = KeyWatch(proxy.url, key)
    watch.changes()
    yield proxy, watch
    watch.close()
    proxy.close()
    server.delete(f"{key}-a", f"{key}-b")


def test_a_watch_that_cannot_settle_after_a_quiet_while_says_it_does_not_know(
    watched_key, watch_through_proxy
):
    server, key = watched_key
    proxy, watch = watch_through_proxy

    proxy.frozen.set()
    time.sleep(0.7)
    server.set(key, "new")  # its notice never arrives

    assert watch.changes() is None  # every copy is forgotten


def test_a_notice_read_after_a_quiet_while_does_not_stand_for_a_live_connection(
    watched_key, watch_through_proxy
):
    server, key = watched_key
    proxy, watch = watch_through_proxy

    time.sleep(0.3)
    server.set(f"{key}-a", "x")  # another editor's purge: its notice waits, unread, in the socket
    time.sleep(0.1)
    proxy.frozen.set()  # then the path dies without a word
    server.set(f"{key}-b", "x")  # its notice never arrives
    time.sleep(0.7)  # no reader for longer than a heartbeat and its answer

    assert watch.changes() is None  # it cannot know what changed: every copy is forgotten


def test_something_else_under_a_pages_name_is_a_miss_not_an_error(client, story, redis_cache):
    page_key = page_key_of(URL)
    redis_server().set(redis_cache.make_key(page_key), b"a page as an earlier release stored it")

    assert "Talks resume" in text(client)  # made, and stored over it
    assert caching.look_up(redis_cache, page_key).entry is not None
