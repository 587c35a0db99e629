"""The HTTP caches in front of the site (Varnish, a CDN): the keys pages carry, and their purges."""

import atexit
import http.client
import json
import logging
import os
import threading
import time
from collections.abc import Collection, Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse

logger = logging.getLogger(__name__)

# Keys per purge request: Cloudflare takes 30 tags a call, Fastly 256 surrogate keys; a Varnish
# request header holds 8 KB by default (http_req_hdr_len), which 200 keys stay well under.
BATCH = {"varnish": 200, "fastly": 256, "cloudflare": 30}
# The header each engine reads a page's keys from, and what separates them.
HEADERS = {"varnish": ("xkey", " "), "fastly": ("Surrogate-Key", " "), "cloudflare": ("Cache-Tag", ",")}
# Retries of a purge that failed: waits doubling from the first to the last, then given up with an
# error in the log. Pages are kept in front only for their s-maxage (two minutes), so a page a purge
# missed is gone by the time retrying stops.
RETRY_FIRST_SECONDS = 0.5
RETRY_LAST_SECONDS = 30.0
RETRY_FOR_SECONDS = 600.0
# Varnish is purged again this long after an edit (see purge()).
REPEAT_AFTER_SECONDS = 2.0
# A CDN's API is across the internet, and asked from a thread of its own: it may take longer.
CDN_TIMEOUT_SECONDS = 10.0
# Keys waiting to be retried, at most: past that, every page is purged (every page carries "all").
MAX_PENDING_KEYS = 5000
# How long a process that is ending waits for its purges still pending.
EXIT_WAIT_SECONDS = 5.0


class PurgeRefused(Exception):
    """An answer a retry would not change (a bad token, an unknown zone): logged, not retried."""


def _backends() -> list[dict]:
    return list(getattr(settings, "HTTP_CACHE_PURGE", []))


def tag(response: HttpResponse, keys: Collection[str]) -> None:
    """Gives ``response`` the keys of what it shows, in the header of each HTTP cache in front."""
    if not keys:
        return
    ordered = sorted(set(keys))
    response.headers["xkey"] = " ".join(ordered)
    for backend in _backends():
        name, separator = HEADERS[backend["engine"]]
        if name != "xkey":
            response.headers[name] = separator.join(ordered)


def purge(keys: Collection[str]) -> None:
    """
    Drops, in every HTTP cache in front, the pages carrying any of ``keys``. Never raises: Varnish
    is told at once (the next request sees the change), and again a moment later; a CDN from a
    thread of its own; what fails is retried from that thread and logged.
    """
    try:
        keys = sorted(set(keys))
        if not keys:
            return
        for backend in _backends():
            if backend["engine"] == "varnish":
                try:
                    _send(backend, keys)
                except PurgeRefused as error:
                    logger.error("%s refused a purge of %s: %s", _name(backend), " ".join(keys), error)
                except Exception as error:
                    logger.warning("Could not purge %s, retrying: %s", _name(backend), error)
                    _retries().add(backend, keys, failed=True)
                else:
                    # A page being made from the old rows as the purge arrived is kept after it:
                    # purged again once any such request has had time to finish.
                    _retries().add(backend, keys, after=REPEAT_AFTER_SECONDS)
            else:
                _retries().add(backend, keys)
    except Exception:
        logger.exception("Could not purge the HTTP caches in front")


def flush(timeout: float = EXIT_WAIT_SECONDS) -> bool:
    """Waits up to ``timeout`` seconds for the purges waiting to be sent; True when none is left."""
    queue = _queue
    return queue is None or queue.wait_empty(timeout)


def _name(backend: dict) -> str:
    return f"{backend['engine']} {backend.get('url') or backend.get('zone') or backend.get('service')}"


def _ident(backend: dict) -> str:
    return repr(sorted(backend.items()))


def _batches(keys: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def _request(
    url: str, method: str, headers: dict, body: bytes | None = None, timeout: float | None = None
) -> tuple[int, bytes]:
    parts = urlsplit(url)
    timeout = CDN_TIMEOUT_SECONDS if timeout is None else timeout
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, parts.path or "/", body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _check(backend: dict, status: int, body: bytes) -> None:
    if 200 <= status < 300:
        return
    text = body[:300].decode("utf-8", "replace").strip()
    if status in (408, 429) or status >= 500:
        raise OSError(f"HTTP {status}: {text}")
    raise PurgeRefused(f"HTTP {status}: {text}")


def _send(backend: dict, keys: list[str]) -> None:
    """Sends one purge of ``keys`` to ``backend``, in batches; raises when any batch fails."""
    engine = backend["engine"]
    for batch in _batches(keys, BATCH[engine]):
        if engine == "varnish":
            # newsroom/varnish.vcl: a PURGE with the keys in xkey, from an address its ACL lets in.
            timeout = settings.HTTP_CACHE_PURGE_TIMEOUT_MS / 1000
            status, body = _request(backend["url"], "PURGE", {"xkey": " ".join(batch)}, timeout=timeout)
        elif engine == "fastly":
            # https://www.fastly.com/documentation/reference/api/purging/ (bulk purge by key)
            status, body = _request(
                f"{backend['api']}/service/{backend['service']}/purge",
                "POST",
                {
                    "Fastly-Key": backend["token"],
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                },
                json.dumps({"surrogate_keys": batch}).encode(),
            )
        elif engine == "cloudflare":
            # https://developers.cloudflare.com/api/resources/cache/methods/purge/ (purge by tag)
            status, body = _request(
                f"{backend['api']}/zones/{backend['zone']}/purge_cache",
                "POST",
                {"Authorization": f"Bearer {backend['token']}", "Content-Type": "application/json"},
                json.dumps({"tags": batch}).encode(),
            )
        else:
            raise PurgeRefused(f"unknown engine {engine!r}")
        _check(backend, status, body)


class _Retries:
    """The purges waiting to be sent or sent again, per backend, and the thread sending them."""

    def __init__(self):
        self.pid = os.getpid()
        self.condition = threading.Condition()
        self.pending: dict[str, tuple[dict, set[str], float]] = {}  # backend -> keys, since when
        self.not_before: dict[str, float] = {}
        self.waits: dict[str, float] = {}
        self.busy = 0
        self.thread = threading.Thread(target=self._run, name="edge-purge", daemon=True)
        self.thread.start()

    def add(self, backend: dict, keys: Collection[str], failed: bool = False, after: float = 0.0) -> None:
        ident = _ident(backend)
        with self.condition:
            _, waiting, since = self.pending.get(ident, (backend, set(), time.monotonic()))
            waiting.update(keys)
            if len(waiting) > MAX_PENDING_KEYS:
                waiting.clear()
                waiting.add("all")
            self.pending[ident] = (backend, waiting, since)
            if failed:
                self._back_off(ident)
            if after:
                self.not_before[ident] = max(self.not_before.get(ident, 0), time.monotonic() + after)
            self.condition.notify_all()

    def _back_off(self, ident: str) -> None:
        wait = min(self.waits.get(ident, RETRY_FIRST_SECONDS / 2) * 2, RETRY_LAST_SECONDS)
        self.waits[ident] = wait
        self.not_before[ident] = time.monotonic() + wait

    def wait_empty(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self.condition:
            while self.pending or self.busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.condition.wait(left)
            return True

    def _next(self) -> tuple[str, dict, list[str], float]:
        with self.condition:
            while True:
                now = time.monotonic()
                ready = [ident for ident in self.pending if self.not_before.get(ident, 0) <= now]
                if ready:
                    ident = ready[0]
                    backend, keys, since = self.pending.pop(ident)
                    self.busy += 1
                    return ident, backend, sorted(keys), since
                waits = [self.not_before[ident] - now for ident in self.pending if ident in self.not_before]
                self.condition.wait(min(waits) if waits else None)

    def _run(self) -> None:
        while True:
            ident, backend, keys, since = self._next()
            try:
                _send(backend, keys)
            except PurgeRefused as error:
                logger.error("%s refused a purge of %s: %s", _name(backend), " ".join(keys), error)
                self._done(ident, sent=True)
            except Exception as error:
                if time.monotonic() - since > RETRY_FOR_SECONDS:
                    logger.error("Gave up purging %s of %s: %s", _name(backend), " ".join(keys), error)
                    self._done(ident, sent=True)
                else:
                    logger.warning("Could not purge %s, retrying: %s", _name(backend), error)
                    with self.condition:
                        _, waiting, _ = self.pending.get(ident, (backend, set(), since))
                        waiting.update(keys)
                        self.pending[ident] = (backend, waiting, since)
                        self._back_off(ident)
                    self._done(ident, sent=False)
            else:
                self._done(ident, sent=True)

    def _done(self, ident: str, sent: bool) -> None:
        with self.condition:
            self.busy -= 1
            if sent:
                self.waits.pop(ident, None)
                if ident not in self.pending:  # keys added meanwhile keep their time
                    self.not_before.pop(ident, None)
            self.condition.notify_all()


_queue: _Retries | None = None
_queue_lock = threading.Lock()


def _retries() -> _Retries:
    """This process's retries (a process forked from another starts its own thread)."""
    global _queue
    with _queue_lock:
        if _queue is None or _queue.pid != os.getpid():
            _queue = _Retries()
        return _queue


atexit.register(flush)
