"""
Django's Redis cache backend, keeping its redis-py client, and able to watch a key.

Django's client makes a new ``redis.Redis`` object for every cache operation, and making one
costs more CPU than the operation itself (about 0.1 ms: redis-py copies its table of some 170
response handlers each time). A warm page is two cache reads, so that was a fifth of its time.
A ``redis.Redis`` is thread-safe and cheap to keep: here there is one per connection pool.
``CACHE_URL=redis://…`` selects this backend (newsroom/settings.py).

**Watching a key** (``RedisCache.watch``) uses Redis's server-assisted client-side caching
("tracking", Redis 6 and later) in broadcasting mode: on its own connection, which speaks RESP3,
the watcher asks Redis to push a notice whenever the key changes, is deleted or is evicted.
Asking whether it changed is then a look at that socket, with no round trip. Redis writes the
notice while it runs the command that changed the key, before it answers any later command, so
whoever changed the key has its answer, and anyone it tells has theirs, only once the notice
is on its way.

**A Redis that does not answer** (stopped, frozen, out of reach) costs one short wait, not one per
request: the client's connect and read timeouts (``socket_connect_timeout`` and
``socket_timeout``, set from ``REDIS_TIMEOUT_MS`` in newsroom/settings.py) end it, and for
``RETRY_SECONDS`` after that, every operation on this cache, and the watch, fails at once
(``Unreachable``) instead of waiting again. Callers serve without the cache meanwhile.
"""

import functools
import logging
import os
import select
import ssl
import time
from collections import deque

import redis as redis_py
from django.core.cache.backends import redis

logger = logging.getLogger(__name__)

# After Redis failed to answer, how long this process goes without asking it again.
RETRY_SECONDS = 1.0


class Unreachable(redis_py.ConnectionError):
    """Redis did not answer a moment ago: not asked again yet."""


class Backoff:
    """When Redis last failed to answer, and whether to leave it alone for now."""

    def __init__(self):
        self.until = 0.0  # time.monotonic()

    def check(self) -> None:
        if time.monotonic() < self.until:
            raise Unreachable("Redis did not answer a moment ago; it is asked again shortly.")

    def failed(self, error: Exception) -> None:
        self.until = time.monotonic() + RETRY_SECONDS
        logger.warning("Redis did not answer (%s): going without it for %g s.", error, RETRY_SECONDS)


# Redis did not answer: refused, lost or timed-out connections. An answer, even a refusal (a full
# Redis refusing a write), is no reason to stop asking.
NO_ANSWER = (redis_py.ConnectionError, redis_py.TimeoutError)


def _backing_off(operation):
    @functools.wraps(operation)
    def guarded(self, *args, **kwargs):
        self.backoff.check()
        try:
            return operation(self, *args, **kwargs)
        except NO_ANSWER as error:
            self.backoff.failed(error)
            raise

    return guarded


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._scripts = {}
        self.backoff = Backoff()

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return self._clients[index]

    add = _backing_off(redis.RedisCacheClient.add)
    get = _backing_off(redis.RedisCacheClient.get)
    set = _backing_off(redis.RedisCacheClient.set)
    touch = _backing_off(redis.RedisCacheClient.touch)
    delete = _backing_off(redis.RedisCacheClient.delete)
    get_many = _backing_off(redis.RedisCacheClient.get_many)
    has_key = _backing_off(redis.RedisCacheClient.has_key)
    incr = _backing_off(redis.RedisCacheClient.incr)
    set_many = _backing_off(redis.RedisCacheClient.set_many)
    delete_many = _backing_off(redis.RedisCacheClient.delete_many)
    clear = _backing_off(redis.RedisCacheClient.clear)

    @_backing_off
    def run_script(self, script: str, keys: list[str], args: list) -> object:
        if script not in self._scripts:  # sent by its digest once Redis has it (EVALSHA)
            self._scripts[script] = self.get_client(write=True).register_script(script)
        return self._scripts[script](keys=keys, args=args)


class WatchUnavailable(Exception):
    """The Redis server does not let this client track keys (before Redis 6, or its ACL forbids it)."""


class KeyWatch:
    """
    Which keys under one prefix changed since the last time this was asked.

    A connection can also die without a word (a crashed host, a failover, a firewall dropping
    idle connections): no notice would ever come again. So the watch sends a PING when it has
    heard nothing for ``HEARTBEAT_SECONDS`` and counts the connection as lost when the answer
    takes longer than ``ANSWER_SECONDS``: a change is then never missed for longer than their
    sum. Asked after hearing nothing for longer than that (a process with no readers for a
    while), it sends a PING and waits for the answer, which Redis sends after every notice
    written before it: the process keeps its copies for one round trip, where forgetting them
    would cost one for every page it serves next.
    """

    HEARTBEAT_SECONDS = 1.0
    ANSWER_SECONDS = 1.0

    def __init__(self, url: str, prefix: str, timeout: float | None = None, backoff: Backoff | None = None):
        """``timeout``: seconds to connect, and to wait for an answer (ANSWER_SECONDS if None)."""
        self._pool = redis_py.ConnectionPool.from_url(url)
        # Pushed notices need RESP3, whatever the address asks for; and no wait without a limit.
        self._pool.connection_kwargs["protocol"] = 3
        for option in ("socket_timeout", "socket_connect_timeout"):
            self._pool.connection_kwargs.setdefault(option, timeout or self.ANSWER_SECONDS)
        self._pool.connection_kwargs.setdefault("socket_keepalive", True)
        # The heartbeat below does its work; redis-py's own (?health_check_interval=) would read
        # its PING's answer past a notice waiting before it, and the notice would be lost.
        self._pool.connection_kwargs["health_check_interval"] = 0
        # Shared with the cache's client: a Redis that did not answer one is left alone by both.
        self._backoff = backoff or Backoff()
        self.prefix = prefix
        self._connection = None
        self._pid = os.getpid()
        # Up to when the connection is known to have carried every notice (time.monotonic()):
        # when tracking began, or when the latest answered PING was sent.
        self._heard = 0.0
        self._pings: deque[float] = deque()  # when each unanswered PING was sent
        # Set once everything read from the socket has been taken (None until then): nothing can
        # have come while the socket has nothing to read.
        self._socket_poll = None
        # How long a request waits for the answer that settles an idle watch: a Redis that
        # does not answer costs no more than any other cache operation's timeout.
        self._settle_seconds = min(timeout or self.ANSWER_SECONDS, self.ANSWER_SECONDS)

    def changes(self) -> set[str] | None:
        """
        The keys (as Redis names them) that changed since the last call; None when what changed
        is not known: on the first call, after the connection was lost, when Redis emptied its
        database. Raises redis-py's ``RedisError`` when Redis cannot be reached, and
        ``WatchUnavailable`` when it refuses to track keys.
        """
        if self._pid != os.getpid():  # a forked process must not read its parent's socket
            self._connection, self._pid = None, os.getpid()
        if self._connection is None:
            self._start()
            return None
        try:
            return self._read()
        except (redis_py.RedisError, OSError):
            self.close()
            return None
        except BaseException:
            self.close()
            raise

    def _read(self) -> set[str] | None:
        connection, now = self._connection, time.monotonic()
        changed: set[str] | None = set()
        # Asked on every request: one poll() costs a tenth of redis-py's read that times out.
        if self._socket_poll is None or self._socket_poll.poll(0):
            while connection.can_read(timeout=0):
                changed = self._take(connection.read_response(push_request=True), changed)
            self._socket_poll = self._socket_poll or _socket_poll(connection)
        if self._pings and now - self._pings[0] > self.ANSWER_SECONDS:
            raise redis_py.ConnectionError("Redis did not answer the watch's PING in time.")
        quiet = now - self._heard
        if quiet > self.HEARTBEAT_SECONDS + self.ANSWER_SECONDS:
            # Nothing heard for longer than a heartbeat and its answer (an idle process): the
            # connection may have died unnoticed, and a notice with it. A PING settles it: Redis
            # answers it after every notice it wrote before, so once every PING is answered,
            # nothing is missing, and the copies are kept.
            return self._settle(connection, changed)
        if not self._pings and quiet > self.HEARTBEAT_SECONDS:
            self._ping(connection, now)
        return changed

    def _ping(self, connection, now: float) -> None:
        connection.send_command("PING")
        self._pings.append(now)

    def _settle(self, connection, changed: set[str] | None) -> set[str] | None:
        self._ping(connection, time.monotonic())
        deadline = time.monotonic() + self._settle_seconds
        while self._pings:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not connection.can_read(timeout=remaining):
                raise redis_py.ConnectionError("Redis did not answer the watch's PING in time.")
            changed = self._take(connection.read_response(push_request=True), changed)
        self._socket_poll = None  # what came with the answer may wait in redis-py's buffer
        return changed

    def _take(self, reply, changed: set[str] | None) -> set[str] | None:
        """What ``reply`` says changed, added to ``changed`` (None: whatever may have)."""
        if reply in (b"PONG", "PONG"):
            # Only an answer vouches for the connection, and only up to when its PING was sent:
            # a notice read now may have waited in the socket since before the path died.
            self._heard = max(self._heard, self._pings.popleft())
            return changed
        if isinstance(reply, list) and len(reply) == 2 and reply[0] in (b"invalidate", "invalidate"):
            if reply[1] is None or changed is None:  # FLUSHDB, FLUSHALL
                return None
            changed.update(_text(name) for name in reply[1])
            return changed
        return None  # anything unexpected: whatever may have changed

    def close(self) -> None:
        if self._connection is not None:
            self._connection.disconnect()
            self._connection = None

    def _start(self) -> None:
        self._backoff.check()
        connection = self._pool.make_connection()
        try:
            connection.connect()
            if str(connection.protocol) != "3":
                raise WatchUnavailable("the connection does not speak RESP3")
            # Notices are handed over as they come, with the names of the keys.
            connection._parser.set_invalidation_push_handler(lambda notice: notice)
            # NOLOOP is not wanted: a change this process makes must reach its watch too.
            connection.send_command("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", self.prefix)
            connection.read_response()
        except redis_py.ResponseError as error:  # RESP3 or CLIENT TRACKING refused
            connection.disconnect()
            raise WatchUnavailable(str(error)) from error
        except NO_ANSWER as error:
            connection.disconnect()
            self._backoff.failed(error)
            raise
        except BaseException:
            connection.disconnect()
            raise
        self._connection, self._heard, self._pings = connection, time.monotonic(), deque()
        self._socket_poll = None


def _socket_poll(connection):
    """A poll of the connection's socket; None over TLS, which may hold bytes the socket no longer shows."""
    sock = connection._sock
    if sock is None or isinstance(sock, ssl.SSLSocket):
        return None
    poll = select.poll()
    poll.register(sock, select.POLLIN)
    return poll


def _text(name) -> str:
    return name.decode() if isinstance(name, bytes) else name


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def watch(self, prefix: str) -> KeyWatch:
        """A watch on the keys starting with ``prefix`` (before the backend's prefix and version)."""
        if len(self._servers) > 1:
            # Reads go to a replica, which may not have the change a notice announced yet.
            raise WatchUnavailable("the cache reads from replicas")
        return KeyWatch(
            self._servers[0],
            self.make_and_validate_key(prefix),
            timeout=self._options.get("socket_timeout"),
            backoff=self._cache.backoff,
        )

    def run_script(self, script: str, keys: list[str], args: list) -> object:
        """Runs a Lua script on the primary; ``keys`` are cache keys, named as the backend names them."""
        return self._cache.run_script(script, [self.make_and_validate_key(key) for key in keys], args)

    def redis_name(self, key: str) -> str:
        """``key`` as Redis names it (the backend's prefix and version before it)."""
        return self.make_and_validate_key(key)

    def dumps(self, value) -> bytes | int:
        """``value`` as the backend writes it."""
        return self._cache._serializer.dumps(value)

    def loads(self, data: bytes):
        return self._cache._serializer.loads(data)
