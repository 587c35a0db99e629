"""
Public pages served from the cache, and dropped from it the moment the content changes.

**The content generation.** One cache entry holds a token, the *generation*, that every change
to the content replaces (the signal receivers below: articles, quotes, people, tags, sections,
authors, corrections, front-page placements, library images, and the article–person,
article–author and article–tag links). Every
cached page is stored with the token it was made under, and a page whose token is not the
current one is stale: so one write drops every page at once, lists and feeds included,
whatever their number, and the next request for each makes it again. The token and the page
are read together, in one round trip to Redis. The token is replaced twice per change: at once
(so the very next request in this process sees the edit) and again when the transaction
commits (so a page made from the old rows by another request in the meantime is not kept).

**Scheduled articles.** An article scheduled for 9:00 must appear at 9:00 on pages cached at
8:59, and no save happens at 9:00. So the generation also records when the next scheduled
article becomes public (one indexed query, made when the generation starts); the first request
after that moment starts a new generation. The ``Cache-Control`` lifetimes given to browsers
and CDNs are cut short the same way, so they never keep a page past that moment either. A
front-page placement with an end time is the same: at 18:00 the story falls back among the
newest with no save, so the generation ends at the earlier of the two moments.

**What is cached.** Only GET and HEAD requests without a session cookie (anonymous readers;
staff are logged in, so their session cookie sends them past the cache both ways) for the
public site's pages (views marked ``public_page`` in public/urls.py), and only 200 responses
that set no cookie and are not marked private or no-store (staff previews send never-cache
headers).

**One entry per page, whatever the query string.** A page is stored under its address with only
the query parameters it reads (``pagecache.pages.public_page``: ``?page=``, ``?q=``, …), and its view is
given only those: ``?utm_source=…``, or ``?x=1``, ``?x=2``, … sent to fill the cache, are served
the one entry, and never reach a page (pagination links keep the query they are given) that
another reader is then served. Page numbers count as numbers: ``?page=02`` is ``?page=2``.

**Headers.** Public pages carry an ``ETag`` and a ``Last-Modified`` (when the generation began:
nothing has changed since), so ``ConditionalGetMiddleware`` answers conditional requests with
304; anonymous readers get ``Cache-Control: public`` with short lifetimes a CDN can honour, and
``Vary: Cookie`` so no shared cache hands a reader's copy to a logged-in editor, who gets
``private, no-cache``. Everything else (404, 410) gets ``no-cache``.

**Copies in each process.** With Redis, each worker process also keeps the generation and the
pages it served lately in its own memory, and serves them again with no round trip to Redis:
Redis itself tells the process when the generation changes (``RedisCache.watch``, Redis's
client-side caching), and checking for that is a look at a socket. A page is only ever valid
under the token it was made under, so copies of pages never need telling apart: a new token
drops them all. An edit in another process is seen here once Redis's notice arrives, which
Redis sends before it answers the editor's process; the editor's own process forgets its copies
at once. A lost connection to Redis forgets them too, and one that dies without a word is found
out by a heartbeat: copies are never trusted for more than two seconds without word from Redis.
Copies last no longer than pages do in Redis (``PAGE_SECONDS``). None are kept when the cache
reads from replicas or Redis refuses to track keys (before Redis 6, or an ACL forbids it): every
page then costs a round trip, as before.

**A change the cache was not told of.** Replacing the token is a write, and the cache can refuse
it (Redis full under ``noeviction``, a full or read-only cache folder) or not answer it: the old
pages would then stay current, a withdrawn story up and a correction unseen, until they expired,
even after the cache recovered. So a failed replacement goes on record in the database
(``PendingInvalidation``; inside the change's transaction when there is one, so the two are kept
or lost together), and the process that failed serves without the cache until the pages are
dropped. Every process sharing the cache looks for such a record at most once a second
(``CHECK_SECONDS``); while one exists it serves nothing from the cache and stores nothing in it,
and tries to replace the token once a second. The one that succeeds deletes the records made
before it tried; one that then finds none left has nothing to drop. Readers of other processes
are therefore at most about a second behind a change whose invalidation failed; those of the
process that made it, not at all. The look is one small query: a page served from the cache
pays it at most once a second in each process, and a page made from the database (which queries
it anyway) looks when half that time has passed, so mostly they pay it. Left open: a process
killed between committing a change and writing its record; and a database that cannot be read,
where processes keep serving from the cache (nothing can be edited meanwhile, but a record made
just before goes unseen until it is back) and look again every ``DATABASE_RETRY_SECONDS``. A
cache of one process's own (memory) needs none of this: it is told of that process's changes or
of none.

The cache is Django's default cache, and it must be one that every process changing content
shares: Redis when ``CACHE_URL`` names one (production, any number of machines), or else files
in a folder (the default: the server's workers, and the commands and shell run on the same
machine). Local memory (``locmem://``) belongs to one process: an edit saved by another (an
import, a second worker) would go unseen there until the page expires. With
``CACHE_URL=dummy://`` nothing is cached.
"""

import logging
import math
import secrets
import threading
import time
import weakref
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone
from redis import RedisError

from articles.models import (
    Article,
    PendingInvalidation,
    Placement,
)
from pagecache.redis_backend import WatchUnavailable

logger = logging.getLogger(__name__)

GENERATION_KEY = "newsroom:content-generation"
# How long a page stays in the cache. Any change drops it sooner; this only bounds how long a
# change made without signals (a bulk update() in a shell) can go unseen.
PAGE_SECONDS = 10 * 60
# Pages each worker process keeps in its own memory (with Redis), up to this many; the first kept
# goes first. Article pages are about 20 KB.
NEAR_PAGES = 500
# After Redis could not be watched, how long each process serves without copies before trying again.
WATCH_RETRY_SECONDS = 1.0
# Changes the cache was not told of: how often each process looks for one on record, at most; how
# often one that knows of one tries to drop the pages again; and, when the database could not be
# asked, how long until it is asked again (a database that hangs would hold a request each time).
CHECK_SECONDS = 1.0
RETRY_SECONDS = 1.0
DATABASE_RETRY_SECONDS = 10.0


@dataclass(frozen=True)
class Generation:
    token: str
    started: float  # a Unix time
    # When the pages next change with no save: a scheduled article becomes public, or a front-page
    # placement ends. (Named for the first of these; generations kept in Redis carry the name.)
    next_publication: float | None

    def expired(self, now: float) -> bool:
        return self.next_publication is not None and now >= self.next_publication

    def seconds_left(self, now: float, limit: int) -> int:
        """``limit`` seconds, or fewer if the pages change by themselves sooner."""
        if self.next_publication is None:
            return limit
        return max(0, min(limit, int(self.next_publication - now)))


def _cache():
    return caches[DEFAULT_CACHE_ALIAS]


class NearCopies:
    """
    The generation and recently served pages, kept in this process while Redis says the
    generation holds, and pages no longer than Redis keeps them.
    """

    def __init__(self, watch):
        self.watch = watch
        self.generation: Generation | None = None
        self.pages: dict[str, tuple[tuple, float]] = {}  # key: (entry, when it expires)
        self.watching = False
        self.retry_at = 0.0

    def known_generation(self, now: float) -> Generation | None:
        """The generation, if Redis has not changed it since it was read; else None: read it."""
        self.watching = False
        if now < self.retry_at:
            return None
        try:
            changed = self.watch.changed()
        except (RedisError, OSError):
            # Served as without copies meanwhile; the watch is tried again in a while.
            logger.warning("Could not watch the generation in Redis.", exc_info=True)
            self.forget()
            self.retry_at = now + WATCH_RETRY_SECONDS
            return None
        self.watching = True
        if changed:
            self.forget()
        return self.generation

    def remember(self, generation: Generation) -> None:
        if self.watching:
            self.generation = generation

    def page(self, key: str, now: float) -> tuple | None:
        kept = self.pages.get(key)
        return kept[0] if kept is not None and now < kept[1] else None

    def keep(self, key: str, entry: tuple, now: float) -> None:
        if not self.watching:
            return
        self.pages.pop(key, None)
        if len(self.pages) >= NEAR_PAGES:
            del self.pages[next(iter(self.pages))]  # the first kept
        self.pages[key] = (entry, now + PAGE_SECONDS)

    def forget(self) -> None:
        self.generation = None
        self.pages.clear()


_near_copies = weakref.WeakKeyDictionary()


def near_copies(cache) -> NearCopies | None:
    """This process's copies for ``cache``, if it can watch a key (Redis, when it lets it); else None."""
    if not hasattr(cache, "watch"):
        return None
    if cache not in _near_copies:
        try:
            _near_copies[cache] = NearCopies(cache.watch(GENERATION_KEY))
        except WatchUnavailable as error:
            _unwatchable(cache, error)
    return _near_copies[cache]


def _unwatchable(cache, error: WatchUnavailable) -> None:
    # Every page then costs a round trip to Redis, as it would without copies.
    logger.warning("Redis will not track the generation (%s): no pages are kept in process.", error)
    _near_copies[cache] = None


def _forget_near_copies() -> None:
    near = _near_copies.get(_cache())
    if near is not None:
        near.forget()


class UntoldChanges:
    """
    What this process knows of changes the cache was not told of (see the module's docstring):
    whether there are any, when it last looked in the database, when it tries again to drop the
    pages for them.
    """

    def __init__(self):
        self.pending = False
        self.unrecorded = False  # a change of this process's own that the database could not record
        self.looked_at = -math.inf  # time.monotonic()
        self.look_every = CHECK_SECONDS
        self.retry_at = 0.0

    def look_due(self, now: float, served_from_cache: bool) -> bool:
        wait = self.look_every if served_from_cache else self.look_every / 2
        return now - self.looked_at >= wait


_untold_changes = weakref.WeakKeyDictionary()


def untold_changes(cache) -> UntoldChanges | None:
    """This process's knowledge for ``cache``; None for a cache no other process shares (memory, none)."""
    if isinstance(cache, LocMemCache | DummyCache):
        return None
    if cache not in _untold_changes:
        _untold_changes[cache] = UntoldChanges()
    return _untold_changes[cache]


def _look_for_untold_changes(changes: UntoldChanges, now: float) -> None:
    changes.looked_at = now
    try:
        changes.pending = PendingInvalidation.objects.exists()
    except DatabaseError:
        changes.look_every = DATABASE_RETRY_SECONDS
        logger.warning(
            "Could not look for changes the page cache was not told of; looking again in %g s.",
            DATABASE_RETRY_SECONDS,
            exc_info=True,
        )
    else:
        changes.look_every = CHECK_SECONDS


def _drop_pages_for_untold_changes(changes: UntoldChanges, now: float) -> None:
    """
    Drop every page; the changes on record before this began are then accounted for. With none
    left on record, another process has dropped the pages since, and for this one's too.
    """
    try:
        latest = PendingInvalidation.objects.order_by("-pk").values_list("pk", flat=True).first()
        if latest is not None or changes.unrecorded:
            start_generation()
            logger.info("Dropped the cached pages for a change the cache had not been told of.")
        if latest is not None:
            PendingInvalidation.objects.filter(pk__lte=latest).delete()
    except Exception:
        changes.retry_at = now + RETRY_SECONDS
        logger.warning("Still cannot drop the cached pages; serving without them.", exc_info=True)
        return
    changes.pending, changes.unrecorded, changes.looked_at = False, False, now


def _cache_is_current(changes: UntoldChanges | None, served_from_cache: bool) -> bool:
    """False while a change the cache was not told of is known, here or on record: go without it."""
    if changes is None:
        return True
    now = time.monotonic()
    if not changes.pending and changes.look_due(now, served_from_cache):
        _look_for_untold_changes(changes, now)
    if not changes.pending:
        return True
    if now >= changes.retry_at:
        _drop_pages_for_untold_changes(changes, now)
    return False  # even if the pages were just dropped: this request looked them up before


def _not_dropped(using: str, error: Exception) -> None:
    """
    The cache was not told of a change: this process goes without it at once, and the change is
    put on record for the others.
    """
    logger.error("Could not drop the cached pages (%s): serving without the cache until they are.", error)
    try:
        cache = _cache()
    except Exception:  # a cache that cannot even be set up serves nothing meanwhile
        changes = None
    else:
        if (changes := untold_changes(cache)) is not None:
            changes.pending, changes.retry_at = True, time.monotonic() + RETRY_SECONDS
        if (near := _near_copies.get(cache)) is not None:
            near.forget()
    try:
        # A savepoint within the change's transaction: failing here must not undo the change.
        with transaction.atomic(using=using):
            PendingInvalidation.objects.using(using).create(error=f"{type(error).__name__}: {error}"[:200])
    except DatabaseError:
        logger.exception("Could not record it either: other processes serve older pages until they expire.")
        if changes is not None:
            changes.unrecorded = True


def _new_generation(using: str) -> Generation:
    """
    A new token, with the next moment the pages change by themselves: when the next article
    scheduled for later becomes public, or the next front-page placement ends.
    """
    now = timezone.now()
    scheduled = (
        Article.objects.using(using)
        .filter(status=Article.Status.PUBLISHED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    expiring = (
        Placement.objects.using(using)
        .filter(expires_at__gt=now)
        .order_by("expires_at")
        .values_list("expires_at", flat=True)
        .first()
    )
    next_change = _earliest(*(moment.timestamp() for moment in (scheduled, expiring) if moment))
    return Generation(secrets.token_hex(8), time.time(), next_change)


def start_generation(using: str = DEFAULT_DB_ALIAS) -> Generation:
    """A new generation: every page cached until now is dropped."""
    generation = _new_generation(using)
    _cache().set(GENERATION_KEY, generation, timeout=None)
    _forget_near_copies()
    return generation


def current_generation(generation: Generation | None) -> Generation:
    """The generation to serve pages under, given the one read from the cache (None: none)."""
    if generation is None:
        # The first request, or the entry was evicted: start one; add() makes concurrent
        # workers agree on one token.
        _cache().add(GENERATION_KEY, _new_generation(DEFAULT_DB_ALIAS), timeout=None)
        generation = _cache().get(GENERATION_KEY)
    if generation is None or generation.expired(time.time()):
        generation = start_generation()
    return generation


# Changes. Each starts a new generation at once, without asking the database (it happens for
# every row an admin form or a fixture saves), and once more, with the next scheduled publication
# looked up, when the transaction commits (once per transaction, however many rows it changed).
# Without a transaction (autocommit), the change is already committed when its signal is sent.

_local = threading.local()


def _earliest(*times: float | None) -> float | None:
    known = [when for when in times if when is not None]
    return min(known) if known else None


def _drop_pages_now(using: str, scheduled_for: float | None) -> None:
    """
    A new token now. The next scheduled publication is carried over, or brought forward to
    ``scheduled_for`` (an article just scheduled); it is looked up only when there is no
    generation yet. (An unscheduled article may leave the time too early: the generation then
    ends at that time for nothing, and the next one looks it up.)
    """
    current = _cache().get(GENERATION_KEY)
    if current is None:
        generation = _new_generation(using)
    else:
        next_publication = _earliest(current.next_publication, scheduled_for)
        generation = Generation(secrets.token_hex(8), time.time(), next_publication)
    _cache().set(GENERATION_KEY, generation, timeout=None)
    _forget_near_copies()


def _drop_pages_on_commit(using: str) -> None:
    # Django replaces a connection's list of commit hooks at every commit and rollback: while it
    # is the same list, this transaction already has the hook.
    hooks = connections[using].run_on_commit
    if getattr(_local, "hooks", None) is hooks:
        return
    _local.hooks = hooks
    transaction.on_commit(lambda: _drop_pages_after_commit(using), using=using, robust=True)


def _drop_pages_after_commit(using: str) -> None:
    try:
        start_generation(using)
    except Exception as error:
        _not_dropped(using, error)


def content_changed(using: str = DEFAULT_DB_ALIAS, scheduled_for: float | None = None) -> None:
    """Drop every cached page. The signal receivers call it; call it after bulk updates too."""
    if getattr(_local, "depth", 0):
        _local.pending = using
        _local.scheduled_for = _earliest(getattr(_local, "scheduled_for", None), scheduled_for)
        return
    try:
        _drop_pages_now(using, scheduled_for)
    except Exception as error:  # the edit must still save, and readers must not keep the old pages
        _not_dropped(using, error)
    if connections[using].in_atomic_block:
        _drop_pages_on_commit(using)


@contextmanager
def batched_changes():
    """Within the block, changes drop the cached pages once, at the end, not once per row."""
    _local.depth = getattr(_local, "depth", 0) + 1
    try:
        yield
    finally:
        _local.depth -= 1
        pending = getattr(_local, "pending", None)
        if not _local.depth and pending:
            scheduled_for, _local.pending, _local.scheduled_for = _local.scheduled_for, None, None
            content_changed(pending, scheduled_for)
