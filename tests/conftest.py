import datetime
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import ArticleFactory

SEED_SLUG = "what-did-trump-and-putin-discuss-in-their-recent-call"
# pytest-xdist's worker (gw0, gw1, …); the only one without it.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
# A Redis database the tests may empty, one per worker (15, 14, …), so that no worker empties
# another's (.ci/run starts Redis on 127.0.0.1:6379).
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", f"redis://127.0.0.1:6379/{15 - int(WORKER[2:])}")


def pytest_ignore_collect(collection_path, config):
    """Modules named *_postgresql.py test PostgreSQL-only features: they run in the PostgreSQL run."""
    if collection_path.name.endswith("_postgresql.py"):
        return not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    return None


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """
    Every test starts with an empty cache of its own, in memory: no page cached by an earlier
    test's database, and none shared with a site running from this folder (the default cache is
    a folder every process shares). The cache tests choose theirs (tests/pagecache/test_caching.py).
    """
    from django.core.cache import cache, caches

    from newsroom.settings import cache_from_url

    settings.CACHES = {"default": cache_from_url("locmem://")}
    cache.clear()
    scheduled_stories_looked_for(caches["default"])


def scheduled_stories_looked_for(cache) -> None:
    """
    ``cache`` as in a process that has looked for scheduled stories and found none: a test that
    schedules one tells it, as any process is told (pagecache.purges.Schedule); pages' query
    counts are then the pages' own.
    """
    from pagecache.purges import schedule

    known = schedule(cache)
    known.told, known.checked_at = False, time.monotonic()


@pytest.fixture(autouse=True)
def _media_in_a_folder_of_its_own(settings, tmp_path_factory):
    """Pictures and renditions a test stores go to a temporary folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@contextmanager
def redis_cache_at(settings, url: str):
    """Django's cache is the Redis at ``url``, as in production (CACHE_URL=redis://…), and empty."""
    from django.core.cache import caches

    from newsroom.settings import cache_from_url
    from pagecache import purges as caching

    # Redis tells a watcher of changes to a key name in any database: a prefix of the worker's own
    # keeps another worker's pages and purges from reaching this one's watch.
    settings.CACHES = {"default": {**cache_from_url(url), "KEY_PREFIX": WORKER}}
    cache = caches["default"]
    _empty_worker_keys(cache)
    yield cache
    _empty_worker_keys(cache)
    if (near := caching.near_copies(cache)) is not None:
        near.watch.close()  # Django keeps the old backend for the thread: its connection would stay


def _empty_worker_keys(cache) -> None:
    """
    Deletes this worker's keys, not the database: Redis tells every watcher of a FLUSHDB, in any
    database, so emptying it would reach another worker's watch as a change.
    """
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{WORKER}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def redis_cache(settings):
    with redis_cache_at(settings, TEST_REDIS_URL) as cache:
        yield cache


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def yesterday(now):
    return now - datetime.timedelta(days=1)


@pytest.fixture
def tomorrow(now):
    return now + datetime.timedelta(days=1)


@pytest.fixture
def seed(db):
    """The seed article, loaded from fixtures/seed.json as an operator would."""
    call_command("loaddata", "seed", verbosity=0)
    from articles.models import Article

    return Article.objects.get(slug=SEED_SLUG)


@pytest.fixture
def published_article(db, yesterday):
    return ArticleFactory(published_at=yesterday)


@pytest.fixture
def draft_article(db):
    return ArticleFactory(status="draft", published_at=None)


@pytest.fixture
def scheduled_article(db, tomorrow):
    """Published, but for a time still to come: hidden from readers until then."""
    return ArticleFactory(published_at=tomorrow)


@pytest.fixture(params=["draft_article", "scheduled_article"])
def hidden_article(request):
    """An article readers must not see, whichever way it is hidden."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def roles(db):
    """
    The Reporter and Editor groups, as their migration makes them: a transactional test that ran
    before in the same worker emptied every table, the migration's rows with them.
    """
    from django.apps import apps
    from django.contrib.auth.models import Group

    from articles.roles import sync_groups

    if not Group.objects.exists():
        sync_groups(apps)


@pytest.fixture
def make_staff(roles):
    """A staff account with a role (Reporter or Editor) and an author byline, as the command makes."""
    from django.contrib.auth.models import Group, User

    from articles.models import Author

    def make(username, role):
        user = User.objects.create_user(
            username, password="secret-pw-1", is_staff=True, first_name=username.title()
        )
        user.groups.add(Group.objects.get(name=role))
        Author.objects.create(user=user, display_name=username.title(), slug=username)
        return user

    return make


@pytest.fixture
def reporter(make_staff):
    return make_staff("rita", "Reporter")


@pytest.fixture
def other_reporter(make_staff):
    return make_staff("oscar", "Reporter")


@pytest.fixture
def editor(make_staff):
    return make_staff("edna", "Editor")


CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


@pytest.fixture
def chromium(monkeypatch):
    """
    The system Chromium, driven by Playwright; nothing is downloaded. Function-scoped: the
    sync API runs an event loop in this thread only while a browser test runs.
    """
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with `make browser` or set CHROMIUM.")
    # Playwright's event loop makes Django's ORM refuse to run in this thread otherwise.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
