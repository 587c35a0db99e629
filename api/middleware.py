"""
Before the page cache, for /api/ only: the per-client rate limit, and the refusal of query
parameters an endpoint does not read. Both hold for answers from the cache too.

**Rate limit.** Each client may make ``API_RATE_LIMIT`` requests in each minute (a fixed window,
counted in Django's cache): a client with a key counts under its key, anyone else under their
address (newsroom.client_address, as the login throttle counts). Past it, 429 with Retry-After:
the seconds until the minute ends. Requests with a key that turns out unknown or revoked also
count against their address, and an address that sent ``BAD_KEYS`` of them in a minute is
refused keys until the minute ends, so guessing keys is as slow as logging in. A cache that
fails to count lets the request through: the limit is a guard, not a condition of service.

**Unknown parameters.** The page cache keeps only the parameters an endpoint reads (so that
``?x=1``, ``?x=2``, … make no new entries) and would drop a misspelt filter without a word:
``?speakr=…`` would answer every quote. Here such a request is a 400 naming the parameters the
endpoint reads.
"""

import json
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from api.models import KEY_START, digest
from newsroom.client_address import client_address
from pagecache import pages
from pagecache.redis_backend import NO_ANSWER, RedisCache

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
# Unknown or revoked keys one address may send in a window before it is refused keys.
BAD_KEYS = 10


def refusal(status: int, detail: str, **headers) -> HttpResponse:
    response = HttpResponse(json.dumps({"detail": detail}), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _count(bucket: str, window: int, add: bool = True) -> int | None:
    """This window's count for ``bucket`` (after adding one); None when the cache cannot count."""
    key = f"newsroom:api-rate:{bucket}:{window}"
    try:
        if not add:
            return cache.get(key, 0)
        if isinstance(cache, RedisCache):
            return _count_in_redis(cache, key)
        try:
            return cache.incr(key)
        except ValueError:  # the window's first request
            if cache.add(key, 1, WINDOW_SECONDS + 5):
                return 1
            return cache.incr(key)
    except Exception:
        logger.warning("Could not count an API request; letting it through.", exc_info=True)
        return None


def _count_in_redis(redis_cache: RedisCache, key: str) -> int:
    """
    INCR and EXPIRE in one round trip: Django's ``incr`` asks whether the key exists first, and
    one round trip more on every request would cost the API a third of a cached answer's time.
    """
    backend = redis_cache._cache
    backend.backoff.check()  # Redis did not answer a moment ago: not asked again yet
    name = redis_cache.make_and_validate_key(key)
    try:
        pipeline = backend.get_client(name, write=True).pipeline(transaction=False)
        pipeline.incr(name)
        pipeline.expire(name, WINDOW_SECONDS + 5)
        count, _expires = pipeline.execute()
    except NO_ANSWER as error:
        backend.backoff.failed(error)
        raise
    return count


class ApiGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith("/api/") or request.method == "OPTIONS":
            return self.get_response(request)
        limit = settings.API_RATE_LIMIT
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        retry_after = str(math.ceil((window + 1) * WINDOW_SECONDS - now))
        address = f"address:{client_address(request)}"
        key = self._key(request)
        if limit > 0:
            if key is not None and (_count(f"bad-keys:{address}", window, add=False) or 0) >= BAD_KEYS:
                return refusal(
                    429,
                    "Too many unknown API keys from this address: wait, then send a valid key.",
                    Retry_After=retry_after,
                )
            count = _count(key or address, window)
            if count is not None and count > limit:
                return refusal(
                    429,
                    f"Too many requests: at most {limit} a minute from one client; "
                    f"try again in {retry_after} seconds.",
                    Retry_After=retry_after,
                )
        unknown = self._unknown_parameters(request)
        if unknown is not None:
            return unknown
        response = self.get_response(request)
        if limit > 0 and key is not None and response.status_code == 401:
            _count(f"bad-keys:{address}", window)
        return response

    @staticmethod
    def _key(request: HttpRequest) -> str | None:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if not header:
            return None
        if scheme.lower() == "bearer" and token.strip().startswith(KEY_START):
            return f"key:{digest(token.strip())}"
        return "key:malformed"

    @staticmethod
    def _unknown_parameters(request: HttpRequest) -> HttpResponse | None:
        if not request.GET:
            return None
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return None
        reads = pages.reads(match.func)
        if reads is None:
            return None
        unknown = sorted(name for name in request.GET if name not in reads)
        if not unknown:
            return None
        known = ", ".join(reads) if reads else "none"
        return refusal(400, f"Unknown query parameter {unknown[0]!r}: this endpoint reads {known}.")
