"""
`make serve` serves uploaded images itself: nginx answers /media/ from MEDIA_ROOT with year-long
cache headers, picture types only, and nothing there can run as a page.
"""

import http.client
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.newsroom.test_slow_clients import environment, make_serve

PROJECT = Path(__file__).resolve().parents[2]


def fetch(port: int, path: str) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def served():
    """`make serve` on a free port, its database seeded (the seed's picture in MEDIA_ROOT)."""
    with tempfile.TemporaryDirectory(prefix="newsroom-media-") as name:
        folder = Path(name)
        media = folder / "media"
        env = environment(folder, DEBUG="false", ALLOWED_HOSTS="127.0.0.1", MEDIA_ROOT=str(media))
        script = (
            "from django.core.management import call_command as run; "
            "run('migrate', interactive=False, verbosity=0); run('load_seed', verbosity=0); "
            "from images.models import Image; "
            "print(Image.objects.get().renditions['inline']['sources']['webp'][0][1])"
        )
        setup = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", script],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            timeout=120,
        )
        assert setup.returncode == 0, setup.stderr.decode()
        rendition = setup.stdout.decode().split()[-1]
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=PROJECT,
            env=env,
            check=True,
        )
        (media / "renditions" / "page.html").write_text("<script>alert(1)</script>")
        with make_serve(folder, environment(folder, MEDIA_ROOT=str(media))) as port:
            yield port, rendition


def test_make_serve_serves_renditions_from_the_media_folder_for_a_year(served):
    port, rendition = served

    status, headers, body = fetch(port, f"/media/{rendition}")

    assert status == 200
    assert headers["content-type"] == "image/webp" and body[8:12] == b"WEBP"
    assert "max-age=31536000" in headers["cache-control"] and "immutable" in headers["cache-control"]
    assert headers["x-content-type-options"] == "nosniff"


def test_a_file_in_the_media_folder_that_is_not_a_picture_cannot_run_as_a_page(served):
    port, _ = served

    status, headers, _ = fetch(port, "/media/renditions/page.html")

    assert status == 200
    assert headers["content-type"] == "application/octet-stream"
    assert "sandbox" in headers["content-security-policy"]


def test_missing_media_and_paths_out_of_the_folder_are_404(served):
    port, _ = served

    assert fetch(port, "/media/renditions/none.webp")[0] == 404
    assert fetch(port, "/media/../manage.py")[0] in {400, 404}
