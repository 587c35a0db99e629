"""
The keys pages carry for the HTTP caches in front, and the purges sent to a hosted CDN's API.
No CDN can run here, so its API is a small local HTTP server that records what it is sent and
answers as told; Varnish itself is tested for real (test_edge_varnish.py).
"""

import json
import logging
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse

from newsroom.settings import http_cache_purge
from pagecache import edge


class FakeApi:
    """A CDN's API on 127.0.0.1: records each request; answers with the statuses it is given."""

    def __init__(self):
        self.requests = []
        self.answers = []  # (status, seconds to wait first), one per request; then 200
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                api.requests.append(
                    {"method": "POST", "path": self.path, "headers": dict(self.headers), "body": body}
                )
                status, delay = api.answers.pop(0) if api.answers else (200, 0)
                time.sleep(delay)
                answer = json.dumps({"success": 200 <= status < 300}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass  # the client gave up waiting

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def api():
    server = FakeApi()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def _nothing_left_to_retry():
    """A purge a test left failing is not retried into the next test."""
    yield
    queue = edge._queue
    if queue is not None:
        with queue.condition:
            queue.pending.clear()


def fastly(api):
    return {"engine": "fastly", "service": "SERVICE1", "token": "fastly-secret", "api": api.url}


def cloudflare(api):
    return {"engine": "cloudflare", "zone": "ZONE1", "token": "cloudflare-secret", "api": api.url}


def test_a_page_carries_its_keys_sorted_in_xkey(settings):
    settings.HTTP_CACHE_PURGE = []
    response = HttpResponse("page")
    edge.tag(response, ["article-12", "all", "section-2", "article-12"])
    assert response["xkey"] == "all article-12 section-2"
    assert "Surrogate-Key" not in response
    assert "Cache-Tag" not in response


def test_a_page_carries_its_keys_in_the_header_of_each_cdn_configured(settings, api):
    settings.HTTP_CACHE_PURGE = [fastly(api), cloudflare(api)]
    response = HttpResponse("page")
    edge.tag(response, ["tag-5", "all", "article-1"])
    assert response["xkey"] == "all article-1 tag-5"
    assert response["Surrogate-Key"] == "all article-1 tag-5"
    assert response["Cache-Tag"] == "all,article-1,tag-5"


def test_fastly_is_sent_the_keys_with_the_services_token(settings, api):
    settings.HTTP_CACHE_PURGE = [fastly(api)]
    edge.purge({"article-12", "search"})
    assert edge.flush(10)
    [request] = api.requests
    assert request["path"] == "/service/SERVICE1/purge"
    assert request["headers"]["Fastly-Key"] == "fastly-secret"
    assert request["headers"]["Content-Type"] == "application/json"
    assert json.loads(request["body"]) == {"surrogate_keys": ["article-12", "search"]}


def test_cloudflare_is_sent_the_tags_with_a_bearer_token(settings, api):
    settings.HTTP_CACHE_PURGE = [cloudflare(api)]
    edge.purge(["article-12", "search"])
    assert edge.flush(10)
    [request] = api.requests
    assert request["method"] == "POST"
    assert request["path"] == "/zones/ZONE1/purge_cache"
    assert request["headers"]["Authorization"] == "Bearer cloudflare-secret"
    assert json.loads(request["body"]) == {"tags": ["article-12", "search"]}


@pytest.mark.parametrize(
    ("backend", "field", "most"), [(fastly, "surrogate_keys", 256), (cloudflare, "tags", 30)]
)
def test_many_keys_are_sent_in_batches_the_api_accepts(settings, api, backend, field, most):
    settings.HTTP_CACHE_PURGE = [backend(api)]
    keys = {f"article-{number}" for number in range(most * 2 + 5)}
    edge.purge(keys)
    assert edge.flush(10)
    batches = [json.loads(request["body"])[field] for request in api.requests]
    assert len(batches) == 3
    assert all(len(batch) <= most for batch in batches)
    assert {key for batch in batches for key in batch} == keys


@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_purge_the_cdn_fails_is_sent_again(settings, api, status):
    settings.HTTP_CACHE_PURGE = [cloudflare(api)]
    api.answers = [(status, 0)]
    edge.purge(["article-7"])
    assert edge.flush(10)
    assert [json.loads(request["body"]) for request in api.requests] == [{"tags": ["article-7"]}] * 2


def test_a_purge_the_cdn_does_not_answer_in_time_is_sent_again(settings, api, monkeypatch):
    monkeypatch.setattr(edge, "CDN_TIMEOUT_SECONDS", 0.2)
    settings.HTTP_CACHE_PURGE = [fastly(api)]
    api.answers = [(200, 1.0)]
    edge.purge(["article-7"])
    assert edge.flush(10)
    assert len(api.requests) == 2
    assert json.loads(api.requests[-1]["body"]) == {"surrogate_keys": ["article-7"]}


def test_keys_changed_while_a_purge_waits_to_be_retried_go_in_the_retry(settings, api):
    settings.HTTP_CACHE_PURGE = [fastly(api)]
    api.answers = [(503, 0.3)]
    edge.purge(["article-1"])
    edge.purge(["article-2"])
    assert edge.flush(10)
    sent = [set(json.loads(request["body"])["surrogate_keys"]) for request in api.requests]
    assert set().union(*sent) == {"article-1", "article-2"}
    assert {"article-1", "article-2"} <= set().union(*sent[1:])  # the failed batch was sent again


def test_a_purge_the_cdn_refuses_is_logged_and_not_repeated(settings, api, caplog):
    settings.HTTP_CACHE_PURGE = [cloudflare(api)]
    api.answers = [(403, 0)]
    with caplog.at_level(logging.ERROR, logger="pagecache.edge"):
        edge.purge(["article-7"])
        assert edge.flush(10)
    assert len(api.requests) == 1
    assert "cloudflare ZONE1 refused a purge of article-7: HTTP 403" in caplog.text


def test_a_purge_no_cache_answers_does_not_raise_and_is_kept_to_retry(settings, caplog):
    # Nothing listens on port 9 (discard) here: the connection is refused.
    varnish = {"engine": "varnish", "url": "http://127.0.0.1:9"}
    settings.HTTP_CACHE_PURGE = [varnish]
    with caplog.at_level(logging.WARNING, logger="pagecache.edge"):
        assert edge.purge(["article-3"]) is None
    assert "Could not purge varnish http://127.0.0.1:9, retrying" in caplog.text
    assert not edge.flush(0.1)
    _backend, keys, _since = edge._queue.pending[edge._ident(varnish)]
    assert keys == {"article-3"}


def test_keys_kept_to_retry_past_the_limit_become_a_purge_of_everything(settings, monkeypatch):
    monkeypatch.setattr(edge, "MAX_PENDING_KEYS", 10)
    varnish = {"engine": "varnish", "url": "http://127.0.0.1:9"}
    settings.HTTP_CACHE_PURGE = [varnish]
    edge.purge([f"article-{number}" for number in range(11)])
    _backend, keys, _since = edge._queue.pending[edge._ident(varnish)]
    assert keys == {"all"}


def test_the_caches_in_front_are_read_from_http_cache_purge(monkeypatch):
    monkeypatch.setenv("FASTLY_API_TOKEN", "f-token")
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "c-token")
    assert http_cache_purge(["varnish:http://10.0.0.5:6081", "fastly:SVC", "cloudflare:ZONE"]) == [
        {"engine": "varnish", "url": "http://10.0.0.5:6081"},
        {"engine": "fastly", "service": "SVC", "token": "f-token", "api": "https://api.fastly.com"},
        {
            "engine": "cloudflare",
            "zone": "ZONE",
            "token": "c-token",
            "api": "https://api.cloudflare.com/client/v4",
        },
    ]
    assert http_cache_purge([]) == []


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("varnish:127.0.0.1:6081", "HTTP_CACHE_PURGE entry 'varnish:127.0.0.1:6081' is not understood"),
        ("akamai:x", "use varnish:http://host:port, fastly:SERVICE_ID or cloudflare:ZONE_ID"),
        ("fastly:", "is not understood"),
        ("cloudflare:ZONE", "HTTP_CACHE_PURGE has cloudflare but CLOUDFLARE_API_TOKEN is not set"),
    ],
)
def test_a_cache_in_front_that_cannot_be_used_is_said_at_start(monkeypatch, entry, message):
    monkeypatch.delenv("CLOUDFLARE_API_TOKEN", raising=False)
    with pytest.raises(ImproperlyConfigured, match=message):
        http_cache_purge([entry])


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"HTTP_CACHE_PURGE": "varnish:6081"},
            "Configuration error: HTTP_CACHE_PURGE entry 'varnish:6081' is not understood: "
            "use varnish:http://host:port, fastly:SERVICE_ID or cloudflare:ZONE_ID, comma-separated.",
        ),
        (
            {"HTTP_CACHE_PURGE_TIMEOUT_MS": "0"},
            "Configuration error: HTTP_CACHE_PURGE_TIMEOUT_MS=0 is not a wait: "
            "use a number of milliseconds, e.g. 500.",
        ),
    ],
)
def test_a_malformed_cache_in_front_stops_start_up_with_one_line(env, message):
    environment = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=django_settings.BASE_DIR,
        env={**environment, **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert result.stderr.strip() == message
