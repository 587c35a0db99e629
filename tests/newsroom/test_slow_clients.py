"""
Clients that send a request slowly never hold gunicorn's workers: `make serve` puts nginx in
front, which reads every request whole before gunicorn sees it, and drops a client that has not
finished its headers within ``client_header_timeout``.

The site runs as `make serve` runs it (the Makefile's own recipe, DEBUG off, gunicorn's
configuration file), on a free port, with a SQLite database and static files of its own. The
same server shows that its answers are compressed for clients that ask.
"""

import gzip
import http.client
import os
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import SEED_SLUG

PROJECT = Path(__file__).resolve().parents[2]
WORKERS = 2
SLOW_CLIENTS = 2 * WORKERS + 1
# An answer at all, not a speed: a worker held by a slow client never answers within it.
ANSWER_SECONDS = 5
# The site's nginx drops unfinished headers after 10 s; sync workers hold them until killed at 30 s.
DISCONNECTED_WITHIN_SECONDS = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(folder: Path, **extra) -> dict:
    # A `make test` run passes its flags and job server down; this make is a separate one.
    inherited = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CACHE_URL", "DEBUG", "MAKEFLAGS", "MAKELEVEL", "MFLAGS"}
    }
    return {
        **inherited,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "CACHE_URL": "locmem://",
        "SECRET_KEY": "slow-clients-" + "k" * 40,
        "WEB_CONCURRENCY": str(WORKERS),
        **extra,
    }


def get(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=ANSWER_SECONDS)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@pytest.fixture(scope="module")
def site():
    """What `make serve` serves (its `serve-site` step): static files and the database side by side."""
    with tempfile.TemporaryDirectory(prefix="newsroom-slow-") as name:
        folder = Path(name)
        env = environment(folder, DEBUG="false", ALLOWED_HOSTS="127.0.0.1")
        steps = [
            ["collectstatic", "--noinput", "-v0"],
            [
                "shell",
                "-c",
                "from django.core.management import call_command as run; "
                "run('migrate', interactive=False, verbosity=0); "
                "run('load_seed', if_empty=True, verbosity=0)",
            ],
        ]
        running = [
            subprocess.Popen(
                [sys.executable, "manage.py", *step], cwd=PROJECT, env=env, stderr=subprocess.PIPE
            )
            for step in steps
        ]
        errors = [process.communicate(timeout=120)[1].decode() for process in running]
        assert [process.returncode for process in running] == [0, 0], "\n".join(errors)
        yield folder


@pytest.fixture(scope="module")
def server(site):
    """`make serve` on a free port, stopped with everything it started."""
    with make_serve(site, environment(site)) as port:
        yield port


@contextmanager
def make_serve(folder: Path, env: dict):
    """
    `make serve` on a free port for a site made in ``folder`` already (its database and static
    files); yields the port once /healthz answers, and stops make, nginx and gunicorn after.
    """
    port = free_port()
    log_path = folder / "serve.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            # The site is made already; the virtualenv and the secret key are the test's own.
            [
                "make",
                "--no-print-directory",
                "-o",
                ".venv/.installed",
                "-o",
                ".secret-key",
                "-o",
                "serve-site",
            ]
            + ["serve", f"PORT={port}", f"SERVE_RUN={folder / 'run'}"],
            cwd=PROJECT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: make, nginx, gunicorn and its workers
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"make serve stopped:\n{log_path.read_text()}"
            try:
                if get(port, "/healthz") == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"make serve did not answer:\n{log_path.read_text()}"
            time.sleep(0.2)
        yield port
    finally:
        stop_group(process)


def stop_group(process: subprocess.Popen) -> None:
    """Ctrl-C, as in a terminal, to make and everything it started; then wait until all have gone."""
    signal_group(process.pid, signal.SIGINT)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        process.poll()  # reaps make itself, so that only live processes count
        if not signal_group(process.pid, 0):
            return
        time.sleep(0.1)
    signal_group(process.pid, signal.SIGKILL)
    process.wait()


def signal_group(group: int, number: int) -> bool:
    """Sends the signal to the process group; False if none of its processes is left."""
    try:
        os.killpg(group, number)
    except ProcessLookupError:
        return False
    return True


class SlowClients:
    """Connections that send a header line every second and never finish the request."""

    def __init__(self, port: int, count: int):
        self.opened = time.monotonic()
        self.sockets = []
        for number in range(count):
            connection = socket.create_connection(("127.0.0.1", port))
            connection.sendall(f"GET /?slow={number} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode())
            self.sockets.append(connection)
        self.closed = {}  # socket: seconds after opening at which the server closed it
        self._stop = threading.Event()
        self._trickle = threading.Thread(target=self._send_slowly, daemon=True)
        self._trickle.start()

    def _send_slowly(self):
        line = 0
        while not self._stop.is_set():
            open_ones = [connection for connection in self.sockets if connection not in self.closed]
            if not open_ones:
                return
            # Readable means the server answered or closed: either way it let go.
            readable, _, _ = select.select(open_ones, [], [], 1.0)
            for connection in readable:
                self.closed[connection] = time.monotonic() - self.opened
            line += 1
            for connection in open_ones:
                if connection in self.closed:
                    continue
                try:
                    connection.sendall(f"X-Slow-{line}: still sending\r\n".encode())
                except OSError:
                    self.closed[connection] = time.monotonic() - self.opened

    def wait_until_all_closed(self, seconds: float) -> None:
        self._trickle.join(timeout=max(0.0, self.opened + seconds - time.monotonic()))

    def close(self):
        self._stop.set()
        self._trickle.join()
        for connection in self.sockets:
            connection.close()


@pytest.fixture(scope="module")
def slow_clients(server):
    clients = SlowClients(server, SLOW_CLIENTS)
    time.sleep(1)  # each one is past its first header line, where a sync worker would wait for the rest
    yield clients
    clients.close()


@pytest.mark.parametrize("path", ["/", "/healthz", f"/articles/{SEED_SLUG}/"])
def test_pages_are_answered_while_more_slow_clients_than_workers_are_connected(server, slow_clients, path):
    assert len(slow_clients.closed) < SLOW_CLIENTS, (
        "every slow client was let go before the pages were asked for"
    )
    try:
        status = get(server, path)
    except TimeoutError:
        pytest.fail(f"{path} had no answer within {ANSWER_SECONDS} s: slow clients hold every worker")
    assert status == 200


def test_a_client_that_never_finishes_its_headers_is_disconnected(slow_clients):
    slow_clients.wait_until_all_closed(DISCONNECTED_WITHIN_SECONDS)
    assert len(slow_clients.closed) == SLOW_CLIENTS, (
        f"{SLOW_CLIENTS - len(slow_clients.closed)} of {SLOW_CLIENTS} slow clients still connected "
        f"after {DISCONNECTED_WITHIN_SECONDS} s"
    )


# The same server answers in gzip whoever asks for it (newsroom/serve-nginx.conf): pages, feeds,
# sitemaps, style sheets.


def fetch(port: int, path: str, **headers) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=ANSWER_SECONDS)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


@pytest.mark.parametrize(
    "path, starts",
    [
        ("/", b"<!doctype html>"),
        (f"/articles/{SEED_SLUG}/", b"<!doctype html>"),
        ("/feeds/latest/rss/", b"<?xml"),
        ("/sitemap.xml", b"<?xml"),
    ],
)
def test_make_serve_compresses_text_for_clients_that_accept_gzip(server, path, starts):
    plain = fetch(server, path)
    compressed = fetch(server, path, **{"Accept-Encoding": "gzip"})

    assert plain.status == compressed.status == 200
    assert plain.getheader("Content-Encoding") is None
    assert compressed.getheader("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in compressed.getheader("Vary")
    assert gzip.decompress(compressed.body).startswith(starts)
    assert len(compressed.body) < len(plain.body) / 2


def test_make_serve_compresses_the_style_sheet(server):
    page = fetch(server, "/").body.decode()
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+site[^"]*\.css)"', page).group(1)

    response = fetch(server, stylesheet, **{"Accept-Encoding": "gzip"})

    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert b".masthead" in gzip.decompress(response.body)
