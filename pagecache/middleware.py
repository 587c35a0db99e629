"""Serving anonymous readers' public pages from the cache, and the headers public pages carry."""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache.backends.dummy import DummyCache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.cookie import SimpleCookie
from django.http.response import ResponseHeaders
from django.middleware import http
from django.urls import Resolver404, resolve
from django.utils.cache import cc_delim_re, patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import http_date

from pagecache import edge, keys, pages
from pagecache.purges import Entry, Schedule, find_current, keep, schedule
from pagecache.purges import _cache as page_cache
from pagecache.redis_backend import Unreachable

logger = logging.getLogger(__name__)

# What browsers (max-age) and CDNs (s-maxage) may keep without asking again. They cannot be told
# of an edit, so these bound how late they show one; a 304 makes asking again cheap.
BROWSER_SECONDS = 60
SHARED_SECONDS = 120

UNCACHEABLE = {"private", "no-store", "no-cache"}


def _anonymous(request: HttpRequest) -> bool:
    # Credentials (an API key: api.access) may be answered with what others must not see.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "HTTP_AUTHORIZATION" not in request.META


def _public_page(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and pages.reads(match.func) is not None


def _storable(response: HttpResponse) -> bool:
    directives = {
        directive.split("=")[0].strip().lower()
        for directive in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not directives & UNCACHEABLE
    )


def _page_number(value: str) -> str:
    try:
        return str(int(value))  # as the paginator reads it: " 2", "02" and "+2" are page 2
    except ValueError:
        return value  # not a page: the view answers 404, which is not stored


def _only_what_the_page_reads(request: HttpRequest) -> None:
    """
    Keeps, of a public page's query, only the parameters it reads (pagecache.pages.public_page),
    in a fixed order. Other pages keep their whole query (the admin's login keeps ?next=).
    """
    if not request.META.get("QUERY_STRING"):
        return
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return  # a 404, never stored
    names = pages.reads(match.func)
    if names is None:
        return  # never stored
    query = QueryDict(mutable=True)
    for name in names:
        if value := request.GET.get(name):  # the last one, as the view reads it; empty is absent
            query[name] = _page_number(value) if name in pages.PAGE_NUMBERS else value
    request.META["QUERY_STRING"] = query.urlencode()
    request.GET = QueryDict(request.META["QUERY_STRING"])


# What request.get_host() answered for the headers it reads, once it accepted them: checking a
# host against ALLOWED_HOSTS cost a cached page more than the rest of its key. A host refused
# is never kept here, so it is refused every time.
_HOSTS_KEPT = 64
_hosts: dict[tuple[str, str], str] = {}


@receiver(setting_changed)
def _forget_hosts(setting: str, **kwargs) -> None:
    if setting in ("ALLOWED_HOSTS", "USE_X_FORWARDED_HOST", "DEBUG"):
        _hosts.clear()


def _host(request: HttpRequest) -> str:
    # The header get_host() reads, as HttpRequest._get_raw_host() chooses it.
    meta = request.META
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in meta:
        header = ("X-Forwarded-Host", meta["HTTP_X_FORWARDED_HOST"])
    elif "HTTP_HOST" in meta:
        header = ("Host", meta["HTTP_HOST"])
    else:
        return request.get_host()  # made from the server's name, its port and the scheme
    host = _hosts.get(header)
    if host is None:
        host = request.get_host()  # DisallowedHost for a host not allowed: a 400
        if len(_hosts) >= _HOSTS_KEPT:  # made-up hosts under a wildcard cannot fill the memory
            _hosts.clear()
        _hosts[header] = host
    return host


def _page_key(request: HttpRequest) -> str:
    # The address as the view reads it (build_absolute_uri() would quote it again, at a cost
    # every cached page pays), its host checked against ALLOWED_HOSTS.
    address = f"{request.scheme}://{_host(request)}{request.path}?{request.META.get('QUERY_STRING', '')}"
    return f"newsroom:page:{hashlib.sha256(address.encode('utf-8', 'surrogateescape')).hexdigest()[:32]}"


def _lifetimes(response: HttpResponse, known: Schedule | None) -> None:
    now = time.time()
    if known is None:
        browser, shared = BROWSER_SECONDS, SHARED_SECONDS
    else:
        browser = known.seconds_left(now, BROWSER_SECONDS)
        shared = known.seconds_left(now, SHARED_SECONDS)
    patch_cache_control(response, public=True, max_age=browser, s_maxage=shared)


def _make_public(response: HttpResponse, known: Schedule | None, shown: set[str] | None) -> None:
    if not response.has_header("ETag"):
        set_response_etag(response)
    _lifetimes(response, known)
    patch_vary_headers(response, ["Cookie"])
    if shown:
        edge.tag(response, shown)


CONDITIONS = frozenset(
    ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")
)


class ConditionalGetMiddleware(http.ConditionalGetMiddleware):
    """
    Django's, which returns a response that already has its ETag unchanged unless the request
    asks a condition (If-None-Match, If-Modified-Since, If-Match, If-Unmodified-Since): most
    readers' requests ask none, and are spared its reading of the dates (docs/performance.md).
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.has_header("ETag") and not CONDITIONS.intersection(request.META):
            return response
        return super().process_response(request, response)


class _StoredHeaders(ResponseHeaders):
    # Each name and value was checked when the page was made (ResponseHeaders.__setitem__).
    def __init__(self, items: list[tuple[str, str]]):
        self._store = {name.lower(): (name, value) for name, value in items}


class StoredPage(HttpResponse):
    """
    A page from the cache, set up as HttpResponse.__init__ would set it up, without checking
    again what was checked when the page was made: its headers, its content type and its body
    made bytes. In process, 1.5 µs instead of 4.5 (docs/performance.md).
    """

    def __init__(self, entry: Entry):
        self.headers = _StoredHeaders(entry.headers)
        self._charset = None
        self._resource_closers = []
        self._handler_class = None
        self.cookies = SimpleCookie()
        self.closed = False
        self._reason_phrase = None
        self._container = [entry.content]


class PublicPageCacheMiddleware:
    """
    Serves anonymous readers' public pages from the cache and stores them there (docs/architecture.md,
    "The page cache"). Goes after SecurityMiddleware, WhiteNoise and ConditionalGetMiddleware,
    which turns its pages into 304s, and before the rest: the Content-Security-Policy and the
    session and database middleware, so a cached page is served with its stored headers and
    needs neither the session nor the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not _anonymous(request):
            return self._fresh(request, self.get_response(request))
        try:
            cache = page_cache()
        except Exception:  # a cache folder that cannot be made, say
            logger.warning("Could not set up the page cache; serving uncached.", exc_info=True)
            return self._made(request, None)
        known = schedule(cache)
        if isinstance(cache, DummyCache) or not settings.PAGE_CACHE:
            known.check(making=True)
            return self._made(request, known)
        _only_what_the_page_reads(request)

        page_key = _page_key(request)
        try:
            found = find_current(cache, page_key, known)
        except Unreachable:  # said once, when Redis stopped answering
            return self._made(request, known)
        except Exception:  # Cache (or database) unreachable: the view serves the page, or a 503.
            logger.warning("Could not read the page cache; serving uncached.", exc_info=True)
            return self._made(request, known)
        if found is None:
            return self._made(request, known)
        clock, entry = found
        if entry is not None:
            response = StoredPage(entry)
            if known.seconds_left(time.time(), SHARED_SECONDS) < SHARED_SECONDS:
                _lifetimes(response, known)  # a scheduled story is due: keep it short
            return response

        with keys.collecting() as shown:
            response = self.get_response(request)
        if not _public_page(request) or not _storable(response):
            return self._fresh(request, response, known, shown)
        response.headers.setdefault("Last-Modified", http_date())
        _make_public(response, known, shown)
        if request.method == "GET":  # a HEAD response's body is not the page's
            try:
                entry = Entry(clock, tuple(sorted(shown)), response.content, list(response.headers.items()))
                keep(cache, page_key, entry)
            except Exception:
                logger.warning("Could not store a page in the cache.", exc_info=True)
        return response

    def _made(self, request: HttpRequest, known: Schedule | None) -> HttpResponse:
        """The page made now, not stored here; an HTTP cache in front still gets its keys."""
        with keys.collecting() as shown:
            response = self.get_response(request)
        return self._fresh(request, response, known, shown)

    def _fresh(
        self,
        request: HttpRequest,
        response: HttpResponse,
        known: Schedule | None = None,
        shown: set[str] | None = None,
    ) -> HttpResponse:
        """Headers for a public page that is not served from this cache."""
        if not _public_page(request) or response.has_header("Cache-Control"):
            return response
        if response.status_code == 200 and _anonymous(request) and _storable(response):
            _make_public(response, known, shown)
        elif not _anonymous(request):
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Cookie"])
        else:
            patch_cache_control(response, no_cache=True)
            patch_vary_headers(response, ["Cookie"])
        return response
