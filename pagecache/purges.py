"""
Dropping cached pages by key: purge records and their clock, the copies each process keeps, the
moments pages change with no save (scheduled stories, placements ending), and changes the cache
could not be told of. How it fits together: docs/architecture.md, "The page cache".
"""

import fcntl
import logging
import math
import os
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Collection, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone
from redis import RedisError

from articles.models import Article, PendingInvalidation, Placement
from pagecache import edge
from pagecache.keys import EVERYTHING
from pagecache.redis_backend import WatchUnavailable

logger = logging.getLogger(__name__)

# Every purge takes the next value of this clock and writes it as the purge record of each key it
# drops; a page is stored with the clock's value from before it was made, and is current while
# none of its keys has a later record.
CLOCK_KEY = "newsroom:purge-clock"
PURGED_PREFIX = "newsroom:purged:"
# How long a page stays in the cache. A change drops it sooner; this bounds how long a change
# made without signals (a bulk update() in a shell) can go unseen.
PAGE_SECONDS = 10 * 60
# A purge record must outlive every page made before it.
RECORD_SECONDS = PAGE_SECONDS + 60
# After Redis could not be watched, how long each process serves without copies before trying again.
WATCH_RETRY_SECONDS = 1.0
# How often each process asks the database for changes the cache was not told of, and for the
# next moment a scheduled story becomes public; how often one that knows of an untold change
# tries again to drop the pages; when the database could not be asked, how long until it is.
CHECK_SECONDS = 1.0
RETRY_SECONDS = 1.0
DATABASE_RETRY_SECONDS = 10.0


def _cache():
    return caches[DEFAULT_CACHE_ALIAS]


def record_key(key: str) -> str:
    return PURGED_PREFIX + key


@dataclass(frozen=True)
class Entry:
    """A stored page: the clock before it was made, what it shows, and the response."""

    clock: int
    keys: tuple[str, ...]
    content: bytes
    headers: list[tuple[str, str]]


def _now_microseconds() -> int:
    return time.time_ns() // 1000


# Purge records. Taking the clock and writing the records is one step, so that no purge writes a
# record lower than one written after it: in Redis, a script (and Redis's own time, so a clock
# lost with Redis restarts above every page it held); elsewhere under a lock.

_PURGE_SCRIPT = """
local now = redis.call('TIME')
local clock = tonumber(now[1]) * 1000000 + tonumber(now[2])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
if clock <= last then clock = last + 1 end
redis.call('SET', KEYS[1], clock)
for i = 2, #KEYS do redis.call('SET', KEYS[i], clock, 'EX', ARGV[1]) end
return clock
"""

_thread_lock = threading.Lock()


@contextmanager
def _purge_lock(cache):
    """Purges of one cache, one at a time: across processes for a folder, across threads otherwise."""
    if isinstance(cache, FileBasedCache):
        os.makedirs(cache._dir, exist_ok=True)
        with open(os.path.join(cache._dir, "purge.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    else:
        with _thread_lock:
            yield


def _write_records(cache, keys: Collection[str]) -> None:
    names = [record_key(key) for key in keys]
    if hasattr(cache, "run_script"):
        cache.run_script(_PURGE_SCRIPT, [CLOCK_KEY, *names], [RECORD_SECONDS])
        return
    with _purge_lock(cache):
        clock = max((cache.get(CLOCK_KEY) or 0) + 1, _now_microseconds())
        cache.set(CLOCK_KEY, clock, timeout=None)
        cache.set_many(dict.fromkeys(names, clock), RECORD_SECONDS)


def clock_now(cache) -> int:
    return cache.get(CLOCK_KEY) or 0


def is_current(cache, entry: Entry) -> bool:
    records = cache.get_many([record_key(key) for key in entry.keys])
    return all(purged <= entry.clock for purged in records.values())


# Pages in the cache, and looking one up: the clock, the page if it is current, and the
# schedule's record. In Redis that is one round trip: a page is a hash of its pickled entry and,
# in plain text for the script to read, its clock and keys, and a script checks the keys'
# records where they are. Elsewhere, the page and then its keys' records.

_LOOK_UP_SCRIPT = """
local page = false
local meta = false
-- Anything else under the page's name (a page as an earlier release stored it) is a miss.
if redis.call('TYPE', KEYS[2]).ok == 'hash' then meta = redis.call('HGET', KEYS[2], 'meta') end
if meta then
  local clock, names = nil, {}
  for word in string.gmatch(meta, '%S+') do
    if clock == nil then clock = tonumber(word) else names[#names + 1] = ARGV[1] .. word end
  end
  local current = true
  for first = 1, #names, 500 do
    local records = redis.call('MGET', unpack(names, first, math.min(first + 499, #names)))
    for _, record in ipairs(records) do
      if record and tonumber(record) > clock then current = false end
    end
  end
  if current then page = redis.call('HGET', KEYS[2], 'entry') end
end
return {redis.call('GET', KEYS[1]), page, redis.call('GET', KEYS[3]), redis.call('PTTL', KEYS[2])}
"""

_STORE_SCRIPT = """
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'meta', ARGV[1], 'entry', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
"""


@dataclass(frozen=True)
class Found:
    clock: int  # the purge clock, to store a page made now under
    entry: Entry | None  # the page, if it is current
    schedule_record: object  # the SCHEDULE key's record
    # How long the cache keeps the page yet: a copy kept in a process must not outlive it.
    seconds_left: float = PAGE_SECONDS


def look_up(cache, page_key: str) -> Found:
    if hasattr(cache, "run_script"):
        names = [CLOCK_KEY, page_key, record_key(SCHEDULE)]
        *values, milliseconds_left = cache.run_script(
            _LOOK_UP_SCRIPT, names, [cache.redis_name(PURGED_PREFIX)]
        )
        clock, entry, schedule_record = (None if raw is None else cache.loads(raw) for raw in values)
        return Found(clock or 0, entry, schedule_record, max(0, milliseconds_left) / 1000)
    found = cache.get_many([CLOCK_KEY, page_key, record_key(SCHEDULE)])
    entry = found.get(page_key)
    current = isinstance(entry, Entry) and is_current(cache, entry)
    return Found(found.get(CLOCK_KEY) or 0, entry if current else None, found.get(record_key(SCHEDULE)))


def store(cache, page_key: str, entry: Entry) -> None:
    if hasattr(cache, "run_script"):
        meta = " ".join((str(entry.clock), *entry.keys))
        cache.run_script(_STORE_SCRIPT, [page_key], [meta, cache.dumps(entry), PAGE_SECONDS])
    else:
        cache.set(page_key, entry, PAGE_SECONDS)


def find(cache, name: str, known: "Schedule") -> tuple[int | None, Entry | None]:
    """
    The page (or part of one: pagecache.kept) stored under ``name`` if it is current, from this
    process's copies or the cache, and otherwise the purge clock to store one made now under
    (read before it is made: a purge meanwhile makes it stale at once).
    """
    now = time.time()
    near = near_copies(cache)
    if near is not None:
        try:
            watching = near.refresh(now)
        except WatchUnavailable as error:
            unwatchable(cache, error)
            near, watching = None, False
        if watching:
            if near.schedule_changed:
                known.told, near.schedule_changed = True, False
            if (entry := near.page(name, now)) is not None:
                return None, entry
    found = look_up(cache, name)
    known.record_seen(found.schedule_record)
    if found.entry is not None:
        if near is not None:
            near.keep(name, found.entry, now, found.seconds_left)
        return None, found.entry
    return found.clock, None


def find_current(cache, name: str, known: "Schedule") -> tuple[int | None, Entry | None] | None:
    """
    find(), once what came due is dropped (the first request after a scheduled story's time
    drops what it changes); None while a change the cache was not told of is known: go without.
    """
    clock, entry = find(cache, name, known)
    if known.check(making=entry is None):
        clock, entry = find(cache, name, known)
    if not cache_is_current(untold_changes(cache), served_from_cache=entry is not None):
        return None
    return clock, entry


def keep(cache, name: str, entry: Entry) -> None:
    """Stores ``entry`` in the cache and in this process's copies."""
    store(cache, name, entry)
    if (near := near_copies(cache)) is not None:
        near.keep(name, entry, time.time())


# Copies in each process (with Redis): pages this process served lately, each dropped when Redis
# says one of its keys was purged.


class NearCopies:
    """
    Up to settings.PAGE_CACHE_NEAR_BYTES of pages (their bodies and headers), the one served
    longest ago going first.
    """

    def __init__(self, watch, prefix: str):
        self.watch = watch
        self.prefix = prefix  # the purge records' prefix as Redis names them
        # page key: (entry, when it expires), the least recently served first
        self.pages: OrderedDict[str, tuple[Entry, float]] = OrderedDict()
        self.by_key: dict[str, set[str]] = {}
        self.size = 0
        self.watching = False
        self.retry_at = 0.0
        self.schedule_changed = False

    def refresh(self, now: float) -> bool:
        """Drops the copies whose keys were purged since; False: none may be served now."""
        self.watching = False
        if now < self.retry_at:
            return False
        try:
            purged = self.watch.changes()
        except (RedisError, OSError):
            logger.warning("Could not watch the purge records in Redis.", exc_info=True)
            self.forget()
            self.retry_at = now + WATCH_RETRY_SECONDS
            return False
        self.watching = True
        if purged is None:
            self.forget()
            self.schedule_changed = True
        else:
            for name in purged:
                self._drop(name.removeprefix(self.prefix))
        return True

    def page(self, page_key: str, now: float) -> Entry | None:
        kept = self.pages.get(page_key)
        if kept is None or now >= kept[1]:
            return None
        self.pages.move_to_end(page_key)
        return kept[0]

    def keep(self, page_key: str, entry: Entry, now: float, seconds: float = PAGE_SECONDS) -> None:
        """Keeps ``entry`` for ``seconds`` at most: as long as the shared cache keeps it."""
        if not self.watching:
            return
        self._remove(page_key)
        size, limit = _size(entry), settings.PAGE_CACHE_NEAR_BYTES
        if size > limit:
            return
        while self.pages and self.size + size > limit:
            self._remove(next(iter(self.pages)))  # the one served longest ago
        self.pages[page_key] = (entry, now + seconds)
        self.size += size
        for key in entry.keys:
            self.by_key.setdefault(key, set()).add(page_key)

    def _drop(self, key: str) -> None:
        if key == SCHEDULE:
            self.schedule_changed = True
            return
        if key == EVERYTHING:
            self.forget()
            return
        for page_key in self.by_key.pop(key, ()):
            self._remove(page_key)

    def _remove(self, page_key: str) -> None:
        kept = self.pages.pop(page_key, None)
        if kept is None:
            return
        self.size -= _size(kept[0])
        for key in kept[0].keys:
            pages = self.by_key.get(key)
            if pages is not None:
                pages.discard(page_key)
                if not pages:
                    del self.by_key[key]

    def forget(self) -> None:
        self.pages.clear()
        self.by_key.clear()
        self.size = 0


def _size(entry: Entry) -> int:
    return len(entry.content) + sum(len(name) + len(value) for name, value in entry.headers)


_near_copies = weakref.WeakKeyDictionary()


def near_copies(cache) -> NearCopies | None:
    """This process's copies for ``cache``, if it can watch keys (Redis, when it lets it); else None."""
    if not hasattr(cache, "watch"):
        return None
    if cache not in _near_copies:
        try:
            watch = cache.watch(PURGED_PREFIX)
        except WatchUnavailable as error:
            unwatchable(cache, error)
        else:
            _near_copies[cache] = NearCopies(watch, watch.prefix)
    return _near_copies[cache]


def unwatchable(cache, error: WatchUnavailable) -> None:
    # Every page then costs a round trip to Redis, as it would without copies.
    logger.warning("Redis will not track the purge records (%s): no pages are kept in process.", error)
    _near_copies[cache] = None


def _forget_near_copies() -> None:
    near = _near_copies.get(_cache())
    if near is not None:
        near.forget()


# Moments the pages change with no save: a scheduled story becomes public, a placement ends. Each
# process knows the next one from the database, asks again when a story is scheduled anywhere
# (the purge of SCHEDULE, which no page carries, tells every process through the cache), and at
# that moment drops the keys of what became public or left the front page. Several processes may
# drop the same keys: a page is then made once more, never kept stale. As a safety net, a process
# making pages also asks at least once a RECHECK_SECONDS; one serving copies asks only when told.

SCHEDULE = "~schedule"
RECHECK_SECONDS = 60.0


class Schedule:
    def __init__(self):
        self.next_moment: float | None = None  # a Unix time
        self.checked_at = -math.inf  # time.monotonic()
        self.check_every = CHECK_SECONDS
        self.told = True  # the schedule may have changed: ask before trusting next_moment
        self.seen = None  # the last SCHEDULE record read from the cache
        # Pages older than PAGE_SECONDS are gone: nothing due before then is left to drop.
        self.done_until: datetime = timezone.now() - timedelta(seconds=PAGE_SECONDS)

    def seconds_left(self, now: float, limit: int) -> int:
        """``limit`` seconds, or fewer if the pages change by themselves sooner."""
        if self.next_moment is None:
            return limit
        return max(0, min(limit, int(self.next_moment - now)))

    def record_seen(self, record) -> None:
        if record != self.seen:
            self.seen, self.told = record, True

    def check(self, making: bool, using: str = DEFAULT_DB_ALIAS) -> bool:
        """Drops what came due; True if it dropped anything (pages looked up before are stale)."""
        now = time.monotonic()
        if now - self.checked_at < self.check_every and self.check_every > CHECK_SECONDS:
            return False  # the database did not answer a moment ago
        due = self.next_moment is not None and time.time() >= self.next_moment
        periodic = making and now - self.checked_at >= RECHECK_SECONDS
        if not (due or self.told or periodic):
            return False
        self.checked_at, self.told = now, False
        try:
            dropped = self._drop_what_came_due(using)
        except DatabaseError:
            self.check_every = DATABASE_RETRY_SECONDS
            logger.warning("Could not look for scheduled stories; looking again in %g s.", self.check_every)
            return False
        self.check_every = CHECK_SECONDS
        return dropped

    def _drop_what_came_due(self, using: str) -> bool:
        from pagecache.changes import became_public

        until = timezone.now()
        articles = Article.objects.using(using).filter(
            status=Article.Status.PUBLISHED, published_at__gt=self.done_until, published_at__lte=until
        )
        ended = Placement.objects.using(using).filter(expires_at__gt=self.done_until, expires_at__lte=until)
        keys = became_public(articles, using) | ({"front"} if ended.exists() else set())
        if keys:
            purge(keys, using)
        self.done_until = until
        scheduled = (
            Article.objects.using(using)
            .filter(status=Article.Status.PUBLISHED, published_at__gt=until)
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        expiring = (
            Placement.objects.using(using)
            .filter(expires_at__gt=until)
            .order_by("expires_at")
            .values_list("expires_at", flat=True)
            .first()
        )
        moments = [moment.timestamp() for moment in (scheduled, expiring) if moment is not None]
        self.next_moment = min(moments) if moments else None
        return bool(keys)


_schedules = weakref.WeakKeyDictionary()


def schedule(cache) -> Schedule:
    if cache not in _schedules:
        _schedules[cache] = Schedule()
    return _schedules[cache]


# Changes the cache was not told of: a failed purge goes on record in the database
# (PendingInvalidation), and every process sharing the cache serves without it until one of
# them has dropped every page.


class UntoldChanges:
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
            _write_records(_cache(), [EVERYTHING, SCHEDULE])
            _forget_near_copies()
            edge.purge([EVERYTHING])
            logger.info("Dropped the cached pages for a change the cache had not been told of.")
        if latest is not None:
            PendingInvalidation.objects.filter(pk__lte=latest).delete()
    except Exception:
        changes.retry_at = now + RETRY_SECONDS
        logger.warning("Still cannot drop the cached pages; serving without them.", exc_info=True)
        return
    changes.pending, changes.unrecorded, changes.looked_at = False, False, now


def cache_is_current(changes: UntoldChanges | None, served_from_cache: bool) -> bool:
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


# Purging. A change's keys are dropped at once, in this cache only (so the very next request
# sees the edit, even before the transaction ends), and again when the transaction commits, here
# and in the HTTP caches in front (so a page made from the old rows by another request meanwhile
# is not kept). Without a transaction the change is already committed: both happen at once.

_local = threading.local()


def _purge_here(keys: Collection[str], using: str) -> bool:
    try:
        _write_records(_cache(), keys)
    except Exception as error:  # the edit must still save, and readers must not keep the old pages
        _not_dropped(using, error)
        return False
    return True


def _pending_for_commit(using: str) -> set[str]:
    """The keys this transaction has purged so far, purged again when it commits."""
    # Django replaces a connection's list of commit hooks at every commit and rollback: while it
    # is the same list, this transaction already has its hook and its set of keys.
    hooks = connections[using].run_on_commit
    if getattr(_local, "hooks", None) is not hooks:
        _local.hooks, keys = hooks, set()
        _local.keys = keys
        transaction.on_commit(lambda: _purge_everywhere(keys, using), using=using, robust=True)
    return _local.keys


def _purge_everywhere(keys: Collection[str], using: str) -> None:
    if keys and _purge_here(keys, using):
        edge.purge(set(keys) - {SCHEDULE})


def purge(keys: Iterable[str], using: str = DEFAULT_DB_ALIAS) -> None:
    """Drop every cached page showing any of ``keys``, here and in the HTTP caches in front."""
    keys = set(keys)
    if not keys:
        return
    if getattr(_local, "depth", 0):
        _local.batched.update(keys)
        return
    if connections[using].in_atomic_block:
        _purge_here(keys, using)
        _pending_for_commit(using).update(keys)
    else:
        _purge_everywhere(keys, using)


def content_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Drop every cached page: after bulk updates, whose rows the signals do not see."""
    purge([EVERYTHING], using)


def batching() -> bool:
    return bool(getattr(_local, "depth", 0))


@contextmanager
def batched_changes(using: str = DEFAULT_DB_ALIAS):
    """
    Within the block, changes drop every page, once, at the end: for loads of many rows (an
    archive, an import), where working out each row's keys would cost more than the pages.
    """
    if not getattr(_local, "depth", 0):
        _local.batched = set()
    _local.depth = getattr(_local, "depth", 0) + 1
    try:
        yield
    finally:
        _local.depth -= 1
        if not _local.depth:
            keys, _local.batched = _local.batched, set()
            purge(keys, using)
