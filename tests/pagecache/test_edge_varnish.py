"""
Varnish in front of the site, for real: Debian's varnishd with newsroom/varnish.vcl rendered as
its comment says, in front of the test's live server, purged by the keys pages carry.
"""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.test import Client

from articles.models import Article
from pagecache import edge
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
VCL = Path(django_settings.BASE_DIR) / "newsroom" / "varnish.vcl"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Varnish:
    def __init__(self, port: int, process: subprocess.Popen):
        self.port = port
        self.process = process

    def request(self, method: str, path: str, headers: dict | None = None, source: str = "127.0.0.1"):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(source, 0)
        )
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
        finally:
            connection.close()

    def get(self, path: str, headers: dict | None = None):
        return self.request("GET", path, headers)


@pytest.fixture(scope="module")
def varnishd(live_server, tmp_path_factory):
    """varnishd on a port of its own, in front of the live server, for this module's tests."""
    tmp_path = tmp_path_factory.mktemp("varnish")
    backend = urlsplit(live_server.url)
    host = "127.0.0.1" if backend.hostname == "localhost" else backend.hostname
    # The render step the VCL's comment gives, as it is given.
    rendered = subprocess.run(
        [
            "sed",
            "-e",
            f"s/@BACKEND_HOST@/{host}/",
            "-e",
            f"s/@BACKEND_PORT@/{backend.port}/",
            "-e",
            "s|@PURGE_FROM@||",
            str(VCL),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    (tmp_path / "newsroom.vcl").write_text(rendered)
    port = _free_port()
    log = (tmp_path / "varnishd.log").open("w")
    process = subprocess.Popen(
        [
            VARNISHD,
            "-F",
            # As the user running the tests, so it can read their temporary folder (as root,
            # varnishd would otherwise drop to its own user).
            "-j",
            "none",
            "-n",
            str(tmp_path / "work"),
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(tmp_path / "newsroom.vcl"),
            "-s",
            "malloc,64m",
            "-p",
            "http_resp_hdr_len=32k",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, for pausing it (and only it)
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "varnishd.log").read_text()
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline, "varnishd did not start listening"
                time.sleep(0.1)
        yield Varnish(port, process)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGCONT)
            process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture
def varnish(varnishd, settings, monkeypatch):
    """The module's Varnish, empty, which the site purges."""
    monkeypatch.setattr(edge, "REPEAT_AFTER_SECONDS", 0.3)  # far longer than these pages take
    settings.HTTP_CACHE_PURGE = [{"engine": "varnish", "url": f"http://127.0.0.1:{varnishd.port}"}]
    assert varnishd.request("PURGE", "/", {"xkey": "all"})[0] == 200
    yield varnishd
    os.killpg(varnishd.process.pid, signal.SIGCONT)  # a test that paused it failed midway
    queue = edge._queue
    if queue is not None:
        with queue.condition:
            queue.pending.clear()


@pytest.fixture
def story(varnish):
    published = ArticleFactory(headline="Harbour reopens after the storm", dek="The first standfirst.")
    assert edge.flush(30)  # its publication's purges are done with before the test begins
    return published


def test_a_public_page_is_a_miss_then_a_hit(varnish, story):
    status, headers, body = varnish.get(story.get_absolute_url())
    assert (status, headers["x-cache"]) == (200, "MISS")
    assert "Harbour reopens after the storm" in body
    status, headers, again = varnish.get(story.get_absolute_url())
    assert (status, headers["x-cache"]) == (200, "HIT")
    assert again == body


def test_readers_never_see_the_keys(varnish, story):
    for _ in range(2):
        _status, headers, _body = varnish.get(story.get_absolute_url())
        assert "xkey" not in headers


def test_the_site_gives_varnish_the_keys_of_what_a_page_shows(varnish, story):
    # Straight from the site, not through Varnish: what Varnish reads and keeps to itself.
    response = Client().get(story.get_absolute_url())
    keys = response["xkey"].split()
    assert {f"article-{story.pk}", f"section-{story.section_id}", "all"} <= set(keys)
    assert keys == sorted(keys)


def test_an_edit_to_a_published_story_shows_on_the_next_request(varnish, story):
    varnish.get(story.get_absolute_url())
    assert varnish.get(story.get_absolute_url())[1]["x-cache"] == "HIT"

    story.dek = "A corrected standfirst."
    story.save()

    status, headers, body = varnish.get(story.get_absolute_url())
    assert (status, headers["x-cache"]) == (200, "MISS")
    assert "A corrected standfirst." in body
    assert "The first standfirst." not in body


def test_an_edit_is_purged_again_for_a_page_made_from_the_old_rows_meanwhile(varnish, story):
    story.dek = "A corrected standfirst."
    story.save()
    varnish.get(story.get_absolute_url())
    assert varnish.get(story.get_absolute_url())[1]["x-cache"] == "HIT"

    assert edge.flush(30)  # the second purge, which a page made before the edit would not outlive

    assert varnish.get(story.get_absolute_url())[1]["x-cache"] == "MISS"


def test_saving_a_draft_purges_nothing(varnish, story):
    varnish.get(story.get_absolute_url())
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, section=story.section)
    draft.dek = "Still being written."
    draft.save()

    status, headers, _body = varnish.get(story.get_absolute_url())
    assert (status, headers["x-cache"]) == (200, "HIT")


def test_a_withdrawn_story_is_gone_at_once(varnish, story):
    varnish.get(story.get_absolute_url())
    assert varnish.get(story.get_absolute_url())[1]["x-cache"] == "HIT"

    story.status = Article.Status.WITHDRAWN
    story.save()

    status, _headers, body = varnish.get(story.get_absolute_url())
    assert status == 410
    assert "The first standfirst." not in body
    assert varnish.get(story.get_absolute_url())[0] == 410  # and not kept


def test_a_withdraw_while_varnish_cannot_answer_reaches_it_once_it_can(varnish, story, settings):
    settings.HTTP_CACHE_PURGE_TIMEOUT_MS = 200
    varnish.get(story.get_absolute_url())
    assert varnish.get(story.get_absolute_url())[1]["x-cache"] == "HIT"

    os.killpg(varnish.process.pid, signal.SIGSTOP)  # Varnish hangs: connections wait, unanswered
    try:
        story.status = Article.Status.WITHDRAWN
        story.save()  # the editor's save goes through all the same
        assert not edge.flush(0.5)  # the purge is waiting to be sent again
    finally:
        os.killpg(varnish.process.pid, signal.SIGCONT)

    assert edge.flush(30)
    assert varnish.get(story.get_absolute_url())[0] == 410


def test_an_editor_with_a_session_is_passed_to_the_site(varnish, story):
    editor = User.objects.create_user("editor", password="a long password 1", is_staff=True)
    client = Client()
    client.force_login(editor)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    varnish.get(story.get_absolute_url())  # a reader's copy is kept

    for _ in range(2):
        status, headers, _body = varnish.get(story.get_absolute_url(), {"Cookie": cookie})
        assert (status, headers["x-cache"]) == (200, "PASS")
        assert "private" in headers["cache-control"]


def test_an_api_key_is_passed_to_the_site(varnish, story):
    varnish.get(story.get_absolute_url())
    status, headers, _body = varnish.get(story.get_absolute_url(), {"Authorization": "Bearer some-key"})
    assert headers["x-cache"] == "PASS"


def test_readers_other_cookies_share_one_copy(varnish, story):
    varnish.get(story.get_absolute_url())
    status, headers, _body = varnish.get(
        story.get_absolute_url(), {"Cookie": "_ga=GA1.2.345.678; consent=yes"}
    )
    assert (status, headers["x-cache"]) == (200, "HIT")


def test_a_page_not_found_is_not_kept(varnish, transactional_db):
    for _ in range(2):
        status, headers, _body = varnish.get("/articles/no-such-story/")
        assert status == 404
        assert headers["x-cache"] != "HIT"


def test_a_purge_from_an_address_outside_the_acl_is_refused(varnish, story):
    varnish.get(story.get_absolute_url())
    status, _headers, _body = varnish.request("PURGE", "/", {"xkey": "all"}, source="127.0.0.2")
    assert status == 403
    assert varnish.get(story.get_absolute_url())[1]["x-cache"] == "HIT"


def test_a_purge_from_the_acl_drops_the_pages_with_its_keys(varnish, story):
    varnish.get(story.get_absolute_url())
    status, _headers, body = varnish.request("PURGE", "/", {"xkey": f"tag-0 article-{story.pk}"})
    assert status == 200
    assert body.startswith("Purged 1 ")
    assert varnish.get(story.get_absolute_url())[1]["x-cache"] == "MISS"


def test_a_purge_without_keys_is_refused(varnish):
    status, _headers, body = varnish.request("PURGE", "/")
    assert status == 400
    assert "xkey" in body
