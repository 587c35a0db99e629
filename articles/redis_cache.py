"""
Django's Redis cache backend, keeping its redis-py client.

Django's client makes a new ``redis.Redis`` object for every cache operation, and making one
costs more CPU than the operation itself (about 0.1 ms: redis-py copies its table of some 170
response handlers each time). A warm page is two cache reads, so that was a fifth of its time.
A ``redis.Redis`` is thread-safe and cheap to keep: here there is one per connection pool.
``CACHE_URL=redis://…`` selects this backend (newsroom/settings.py).
"""

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


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
