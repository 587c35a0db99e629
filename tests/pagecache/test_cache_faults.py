"""
The cache is an aid, never a condition: with Redis stopped, frozen or refusing writes, or the cache
folder unusable, read-only or full, readers get pages and editors edit; and a change made while the
cache could not be told of it never leaves readers on the pages from before it (pagecache.purges,
"A change the cache was not told of"). Each test runs its own Redis (never the shared one) and its
own folders.
"""

import errno
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import workflow
from articles.models import Article, PendingInvalidation
from newsroom.settings import cache_from_url
from pagecache import purges as caching
from pagecache import redis_backend as redis_cache
from tests.factories import ArticleFactory, SectionFactory
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

URL = "/articles/story/"
UNKNOWN_EDITORS = "Who else has this article open is unavailable just now."


# Our own Redis, to stop, freeze and fill


class OwnRedis:
    """A redis-server of this test's own, on a free port, keeping nothing on disk."""

    def __init__(self, folder: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        server = shutil.which("redis-server")
        if server is None:
            pytest.fail("redis-server is missing: these tests start their own (apt-get install it).")
        self.process = subprocess.Popen(
            [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=folder,
            stdout=subprocess.DEVNULL,
        )
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.admin = redis.Redis(port=self.port, socket_timeout=5)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.admin.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def refuse_writes(self):
        # Full, with nothing it may evict: Redis's default policy, under a limit it is over.
        self.admin.config_set("maxmemory-policy", "noeviction")
        self.admin.config_set("maxmemory", 1)

    def accept_writes(self):
        self.admin.config_set("maxmemory", 0)

    def freeze(self):
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)

    def stop(self):
        self.thaw()
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    yield server
    server.stop()


def process_with_cache(settings, url: str):
    """
    A process of its own, as gunicorn runs several: Django's cache at ``url`` as a new object,
    with none of the previous one's memory (what it knows of failures, its copies of pages), and
    without emptying the cache.
    """
    settings.CACHES = {"default": cache_from_url(url)}


# Cache folders that stop taking writes


class UnusableFolder:
    """The cache's folder replaced by a file (a mount gone, a misconfiguration): nothing can be made there."""

    def __init__(self, folder: Path):
        self.folder, self.aside = folder, folder.with_name("pages-aside")
        folder.mkdir()

    def start(self):
        self.folder.rename(self.aside)
        self.folder.write_text("not a folder")

    def end(self):
        self.folder.unlink()
        self.aside.rename(self.folder)

    def close(self):
        pass


class Tmpfs:
    """A small tmpfs of its own (root only; as root, chmod stops no write, a read-only mount does)."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir()
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True, text=True
        )
        if mounted.returncode:
            pytest.fail(
                f"Cannot mount a tmpfs for the read-only and full cache folder tests "
                f"({mounted.stderr.strip()}): run the tests as root, as .ci/run does."
            )

    def close(self):
        subprocess.run(["umount", "--lazy", str(self.folder)], check=True)


class ReadOnlyFolder(Tmpfs):
    def start(self):
        subprocess.run(["mount", "-o", "remount,ro", str(self.folder)], check=True)

    def end(self):
        subprocess.run(["mount", "-o", "remount,rw", str(self.folder)], check=True)


class FullFolder(Tmpfs):
    def start(self):
        filler = os.open(self.folder / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            for chunk in (65536, 4096, 1):
                try:
                    while True:
                        os.write(filler, b"x" * chunk)
                except OSError as error:
                    assert error.errno == errno.ENOSPC
        finally:
            os.close(filler)

    def end(self):
        (self.folder / "filler").unlink()


@pytest.fixture(params=[UnusableFolder, ReadOnlyFolder, FullFolder], ids=["unusable", "read-only", "full"])
def failing_folder(request, tmp_path):
    fault = request.param(tmp_path / "pages")
    yield fault
    fault.close()


# Helpers


def get(client, url: str = URL):
    return client.get(url)


def cached_twice(client, url: str = URL) -> str:
    """The page, made once and then served from the cache."""
    first = client.get(url)
    assert first.status_code == 200
    client.get(url)  # a request may look for scheduled stories, once a second (pagecache.purges)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert second.content == first.content and len(queries) == 0, "not served from the cache"
    return second.content.decode()


@pytest.fixture
def story(yesterday):
    section = SectionFactory(name="World", slug="world")
    return ArticleFactory(slug="story", headline="Talks resume", section=section, published_at=yesterday)


def withdraw(editor, story):
    workflow.apply(editor, story, "withdraw")


# 4. A withdrawn article does not stay public because the cache refused the change


def test_a_story_withdrawn_while_redis_refused_writes_is_gone_for_every_reader(
    client, settings, own_redis, story, editor
):
    process_with_cache(settings, own_redis.url)
    cached_twice(client)
    assert "Talks resume" in cached_twice(client, "/")
    own_redis.refuse_writes()

    withdraw(editor, story)

    assert get(client).status_code == 410  # the process that made the change
    assert PendingInvalidation.objects.count() >= 1
    process_with_cache(settings, own_redis.url)  # another process, told only by the database
    assert get(client).status_code == 410
    assert "Talks resume" not in get(client, "/").content.decode()

    own_redis.accept_writes()
    process_with_cache(settings, own_redis.url)
    assert get(client).status_code == 410
    assert not PendingInvalidation.objects.exists()  # the pages are dropped: nothing left to do
    assert "Talks resume" not in cached_twice(client, "/")  # and pages are cached again


def test_a_story_withdrawn_in_an_unusable_read_only_or_full_cache_folder_is_gone_after_it_recovers(
    client, settings, failing_folder, story, editor
):
    url = f"file://{failing_folder.folder}"
    process_with_cache(settings, url)
    cached_twice(client)
    failing_folder.start()

    withdraw(editor, story)

    assert get(client).status_code == 410
    process_with_cache(settings, url)
    assert get(client).status_code == 410

    failing_folder.end()
    assert get(client).status_code == 410
    process_with_cache(settings, url)
    assert get(client).status_code == 410
    assert not PendingInvalidation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_withdrawal_in_the_admin_while_redis_refuses_writes_is_recorded_when_it_commits(
    settings, own_redis, make_staff, yesterday
):
    """The admin's steps commit in a transaction; what counts is the drop after the commit."""
    story = ArticleFactory(slug="story", headline="Talks resume", published_at=yesterday)
    process_with_cache(settings, own_redis.url)
    reader, desk = Client(), Client()
    desk.force_login(make_staff("edna", "Editor"))
    cached_twice(reader)
    own_redis.refuse_writes()

    response = desk.post(reverse("admin:articles_article_transition", args=[story.pk, "withdraw"]), {})

    assert response.status_code == 302
    assert Article.objects.get(pk=story.pk).status == Article.Status.WITHDRAWN
    process_with_cache(settings, own_redis.url)
    assert get(reader).status_code == 410
    own_redis.accept_writes()
    process_with_cache(settings, own_redis.url)
    assert get(reader).status_code == 410
    assert not PendingInvalidation.objects.exists()


def test_a_change_rolled_back_while_redis_refused_writes_drops_no_page(
    client, settings, own_redis, story, monkeypatch
):
    monkeypatch.setattr(caching, "RETRY_SECONDS", 0)
    process_with_cache(settings, own_redis.url)
    cached_twice(client)
    own_redis.refuse_writes()
    with pytest.raises(RuntimeError), transaction.atomic():
        story.headline = "Talks collapse"
        story.save()
        raise RuntimeError("the editor's save fails after all")
    assert get(client).status_code == 200  # without the cache, until it takes writes again
    own_redis.accept_writes()

    assert get(client).status_code == 200  # nothing on record: nothing to drop

    assert "Talks resume" in cached_twice(client)
    assert own_redis.admin.keys("*newsroom:purged:article-*") == []  # no purge was made


def test_every_process_looks_for_a_recorded_change_at_most_once_a_second(client, settings, own_redis, story):
    process_with_cache(settings, own_redis.url)
    cached_twice(client)
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        while time.monotonic() - started < 1.5:
            assert get(client).status_code == 200

    assert 1 <= len(queries) <= 2
    assert all("articles_pendinginvalidation" in query["sql"] for query in queries)


# 5. A frozen Redis does not freeze the site


def test_a_frozen_redis_holds_neither_readers_nor_editors(settings, own_redis, story, editor, caplog):
    process_with_cache(settings, own_redis.url)
    reader, desk = Client(), Client()
    desk.force_login(editor)
    cached_twice(reader)
    change = reverse("admin:articles_article_change", args=[story.pk])
    own_redis.freeze()
    # The client as it was waited until Redis answered again: not for ever, here.
    thaw_anyway = threading.Timer(8, own_redis.thaw)
    thaw_anyway.start()
    try:
        started, longest = time.monotonic(), 0.0
        for url in [URL, "/", "/sections/world/", "/people/", URL, "/quotes/"] * 4:
            before = time.monotonic()
            assert get(reader, url).status_code == 200, url
            longest = max(longest, time.monotonic() - before)
        opened = desk.get(change)
        data = form_data(opened.content.decode(), "article_form")
        data["headline"] = ["Talks resume in Geneva"]
        saved = desk.post(change, data)
        frozen_for = time.monotonic() - started
    finally:
        thaw_anyway.cancel()
        own_redis.thaw()

    assert longest < 1, f"a reader waited {longest:.2f} s"
    waits = [record for record in caplog.records if record.name == "pagecache.redis_backend"]
    assert 1 <= len(waits) <= frozen_for / redis_cache.RETRY_SECONDS + 2  # not once per request
    assert opened.status_code == 200 and UNKNOWN_EDITORS in opened.content.decode()
    assert saved.status_code == 302
    assert Article.objects.get(pk=story.pk).headline == "Talks resume in Geneva"

    time.sleep(max(redis_cache.RETRY_SECONDS, caching.RETRY_SECONDS))  # Redis is asked again
    assert "Talks resume in Geneva" in get(reader).content.decode()
    assert not PendingInvalidation.objects.exists()
    assert "Talks resume in Geneva" in cached_twice(reader)


def test_the_watch_gives_up_on_a_frozen_redis_as_soon_as_the_cache_does(own_redis, settings):
    process_with_cache(settings, own_redis.url)
    cache = caches["default"]
    watch = cache.watch(caching.PURGED_PREFIX)
    own_redis.freeze()
    try:
        before = time.monotonic()
        with pytest.raises(redis.RedisError) as gave_up:
            watch.changes()
        waited = time.monotonic() - before
        assert not isinstance(gave_up.value, redis_cache.Unreachable)
        # Then neither asks again for a while: each fails at once.
        before = time.monotonic()
        with pytest.raises(redis_cache.Unreachable):
            cache.get("anything")
        with pytest.raises(redis_cache.Unreachable):
            watch.changes()
        assert time.monotonic() - before < 0.05
    finally:
        own_redis.thaw()
        watch.close()

    assert waited < 0.5


def test_redis_timeouts_come_from_the_environment(monkeypatch):
    monkeypatch.delenv("REDIS_TIMEOUT_MS", raising=False)
    assert cache_from_url("redis://cache:6379/0")["OPTIONS"] == {
        "socket_connect_timeout": 0.1,
        "socket_timeout": 0.1,
    }
    monkeypatch.setenv("REDIS_TIMEOUT_MS", "250")
    assert cache_from_url("redis://cache:6379/0")["OPTIONS"]["socket_timeout"] == 0.25


def test_a_redis_timeout_of_zero_is_refused(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("REDIS_TIMEOUT_MS", "0")
    with pytest.raises(ImproperlyConfigured, match="REDIS_TIMEOUT_MS"):
        cache_from_url("redis://cache:6379/0")


# 3. The admin's change form without a cache


FOLDER_FAULTS = {
    "folder unusable": UnusableFolder,
    "folder read-only": ReadOnlyFolder,
    "folder full": FullFolder,
}


@contextmanager
def cache_down(kind: str, settings, tmp_path):
    if kind in ("redis stopped", "redis frozen"):
        server = OwnRedis(tmp_path)
        process_with_cache(settings, server.url)
        thaw_anyway = threading.Timer(8, server.thaw)  # a client without timeouts waits until then
        if kind == "redis stopped":
            server.stop()
        else:
            server.freeze()
            thaw_anyway.start()
        try:
            yield
        finally:
            thaw_anyway.cancel()
            server.stop()
        return
    fault = FOLDER_FAULTS[kind](tmp_path / "pages")
    try:
        process_with_cache(settings, f"file://{fault.folder}")
        fault.start()
        yield
        fault.end()
    finally:
        fault.close()


@pytest.mark.parametrize(
    "kind", ["redis stopped", "redis frozen", "folder unusable", "folder read-only", "folder full"]
)
def test_the_change_form_opens_and_saves_without_a_cache(kind, settings, tmp_path, story, editor):
    desk = Client()
    desk.force_login(editor)
    change = reverse("admin:articles_article_change", args=[story.pk])
    with cache_down(kind, settings, tmp_path):
        opened = desk.get(change)
        assert opened.status_code == 200
        assert UNKNOWN_EDITORS in opened.content.decode()
        data = form_data(opened.content.decode(), "article_form")
        data["headline"] = ["Talks resume in Geneva"]

        saved = desk.post(change, data)

        assert saved.status_code == 302
    assert Article.objects.get(pk=story.pk).headline == "Talks resume in Geneva"


def test_with_the_cache_working_the_change_form_names_the_others_and_no_notice(
    client, settings, own_redis, story, make_staff
):
    process_with_cache(settings, own_redis.url)
    ann, bob = Client(), Client()
    ann.force_login(make_staff("ann", "Editor"))
    bob.force_login(make_staff("bob", "Editor"))
    change = reverse("admin:articles_article_change", args=[story.pk])
    ann.get(change)

    html = bob.get(change).content.decode()

    assert "Ann opened this article" in html
    assert UNKNOWN_EDITORS not in html
