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
"""

import os

import redis as redis_py
from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return self._clients[index]


class WatchUnavailable(Exception):
    """The Redis server does not let this client track keys (before Redis 6, or its ACL forbids it)."""


class KeyWatch:
    """Whether one Redis key may have changed since the last time this was asked."""

    def __init__(self, url: str, key: str):
        self._pool = redis_py.ConnectionPool.from_url(url, protocol=3)
        self._key = key
        self._connection = None
        self._pid = os.getpid()

    def changed(self) -> bool:
        """
        True if the key changed since the last call, and also on the first call and after the
        connection was lost, since changes made meanwhile are not known. Raises redis-py's
        ``ConnectionError`` when Redis cannot be reached, and ``WatchUnavailable`` when it
        refuses to track the key.
        """
        if self._pid != os.getpid():  # a forked process must not read its parent's socket
            self._connection, self._pid = None, os.getpid()
        if self._connection is None:
            self._start()
            return True
        try:
            if not self._connection.can_read(timeout=0):
                return False
            while self._connection.can_read(timeout=0):
                self._connection.read_response(push_request=True)
        except (redis_py.RedisError, OSError):
            self.close()
        return True

    def close(self) -> None:
        if self._connection is not None:
            self._connection.disconnect()
            self._connection = None

    def _start(self) -> None:
        connection = self._pool.make_connection()
        try:
            connection.connect()
            # NOLOOP is not wanted: a change this process makes must reach its watcher too.
            connection.send_command("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", self._key)
            connection.read_response()
        except redis_py.ResponseError as error:  # RESP3 or CLIENT TRACKING refused
            connection.disconnect()
            raise WatchUnavailable(str(error)) from error
        except BaseException:
            connection.disconnect()
            raise
        self._connection = connection


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def watch(self, key: str) -> KeyWatch:
        """A watch on ``key`` (a cache key, before the backend's prefix and version)."""
        return KeyWatch(self._servers[0], self.make_and_validate_key(key))
