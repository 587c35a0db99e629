"""
gunicorn's configuration for measuring where a worker's CPU goes, layer by layer: the production
one (newsroom/gunicorn.conf.py), and each worker's CPU time (time.thread_time_ns) summed around
each layer below. Every REPORT_EVERY requests a worker writes its sums to
``$LAYER_CLOCK_DIR/<pid>.txt``; bench/cpu_split.py --layers reads them. A clock costs about half a
microsecond a call, so a layer's number includes the clocks of the layers inside it.
"""

import collections
import os
import time
from pathlib import Path

exec((Path(__file__).resolve().parent.parent / "newsroom" / "gunicorn.conf.py").read_text())

REPORT_EVERY = 200


def _layers():
    """(label, owner, attribute): what is timed, outermost first."""
    from corsheaders.middleware import CorsMiddleware
    from django.core.handlers.base import BaseHandler
    from django.http.response import HttpResponseBase
    from django.middleware.security import SecurityMiddleware
    from gunicorn.http import wsgi
    from gunicorn.workers import sync
    from whitenoise.middleware import WhiteNoiseMiddleware

    from api.middleware import ApiGuardMiddleware
    from newsroom.head_requests import HeadWithoutBodyMiddleware
    from pagecache import middleware, purges

    return [
        ("worker: a connection, all of it", sync.SyncWorker, "handle"),
        ("worker: the request, once parsed", sync.SyncWorker, "handle_request"),
        ("worker: headers checked", wsgi.Response, "start_response"),
        ("worker: body written", wsgi.Response, "write"),
        ("worker: file sent", wsgi.Response, "write_file"),
        ("worker: connection closed", sync.util, "close_graceful"),
        ("django: every middleware and the view", BaseHandler, "get_response"),
        ("django: the response closed", HttpResponseBase, "close"),
        ("middleware: HeadWithoutBody and inside", HeadWithoutBodyMiddleware, "__call__"),
        ("middleware: Security and inside", SecurityMiddleware, "__call__"),
        ("middleware: Cors and inside", CorsMiddleware, "__call__"),
        ("middleware: WhiteNoise and inside", WhiteNoiseMiddleware, "__call__"),
        ("middleware: ApiGuard and inside", ApiGuardMiddleware, "__call__"),
        ("middleware: the page cache and inside", middleware.PublicPageCacheMiddleware, "__call__"),
        ("page cache: the page's key", middleware, "_page_key"),
        ("page cache: found (copies, watch, Redis)", middleware, "find_current"),
        ("page cache: the watch looked at", purges.NearCopies, "refresh"),
        ("page cache: Redis asked", purges, "look_up"),
        ("page cache: the response set up", middleware, "StoredPage"),
        ("page cache: the response set up", middleware, "_stored_page"),  # before StoredPage
    ]


def post_fork(server, worker):
    totals = collections.Counter()
    clock = time.thread_time_ns
    folder = Path(os.environ["LAYER_CLOCK_DIR"])

    def timed(function, label):
        def layer(*args, **kwargs):
            started = clock()
            try:
                return function(*args, **kwargs)
            finally:
                totals[label] += clock() - started

        return layer

    def counted(handle_request):
        def request(*args, **kwargs):
            try:
                return handle_request(*args, **kwargs)
            finally:
                totals["requests"] += 1
                if totals["requests"] % REPORT_EVERY == 0:
                    lines = "".join(f"{label}\t{value}\n" for label, value in totals.items())
                    (folder / f"{os.getpid()}.txt").write_text(lines)

        return request

    load_wsgi = worker.load_wsgi

    def load_and_time():
        from gunicorn.workers import sync

        load_wsgi()  # Django set up: its classes can be reached now
        for label, owner, attribute in _layers():
            if hasattr(owner, attribute):  # older code may not have it
                setattr(owner, attribute, timed(getattr(owner, attribute), label))
        sync.SyncWorker.handle_request = counted(sync.SyncWorker.handle_request)

    worker.load_wsgi = load_and_time
