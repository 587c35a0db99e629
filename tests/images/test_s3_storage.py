"""
Images on an S3-compatible object store, through django-storages, against a real S3 API server on
this machine: moto's server (moto[server]), started here as a process of its own on a free port.
An upload through the admin puts the master and renditions in the bucket, pages point at them,
and what the server hands back is a picture without EXIF.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from io import BytesIO
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from images.models import Image
from images.rendering import picture_html, social_image
from images.renditions import names
from newsroom.settings import media_origins, s3_media_storage
from tests.html_tree import parse_html
from tests.images.pictures import with_gps

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]
BUCKET = "newsroom-media"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "newsroom-test", "AWS_SECRET_ACCESS_KEY": "newsroom-test-secret"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory):
    """moto's S3 server on a free port, for this module's tests; stopped with them."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("moto") / "moto.log"
    endpoint = f"http://127.0.0.1:{port}"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"moto_server stopped:\n{log_path.read_text()}"
            try:
                with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, f"moto_server did not answer:\n{log_path.read_text()}"
                time.sleep(0.2)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def s3_media(s3_server, settings, monkeypatch):
    """The default storage is the bucket, configured from the environment as an operator would."""
    environment = {
        **CREDENTIALS,
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": s3_server,
        "AWS_S3_REGION_NAME": "us-east-1",
        # Readers fetch pictures without credentials: each object is public, as the docs ask.
        "AWS_DEFAULT_ACL": "public-read",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    if BUCKET not in [bucket["Name"] for bucket in client.list_buckets()["Buckets"]]:
        client.create_bucket(Bucket=BUCKET)
    for stored in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=stored["Key"])
    settings.STORAGES = {**settings.STORAGES, "default": s3_media_storage()}
    yield client


def keys(client) -> set[str]:
    return {stored["Key"] for stored in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_an_upload_through_the_admin_lands_in_the_bucket_and_pages_point_at_it(
    client, editor, s3_media, s3_server
):
    client.force_login(editor)
    picture = SimpleUploadedFile("harbour.jpg", with_gps(size=(1400, 900)), content_type="image/jpeg")

    response = client.post(
        reverse("admin:images_image_add"),
        {
            "file": picture,
            "title": "Harbour",
            "alt_text": "Boats in the harbour",
            "caption": "",
            "credit": "",
        },
    )

    assert response.status_code == 302
    image = Image.objects.get()
    in_bucket = keys(s3_media)
    assert image.file.name in in_bucket
    assert names(image.renditions) <= in_bucket
    assert len(in_bucket) == 1 + len(names(image.renditions))

    # Pages: the picture's srcset, the social card and the library's thumbnails are the bucket's URLs.
    bucket_url = f"{s3_server}/{BUCKET}/"
    srcset = parse_html(picture_html(image, "landscape", "100vw")).find("source").attrs["srcset"]
    urls = [candidate.split()[0] for candidate in srcset.split(", ")]
    assert urls and all(url.startswith(bucket_url + "renditions/") and "?" not in url for url in urls)
    assert social_image(image)["url"] == bucket_url + image.renditions["social"]["name"]
    changelist = parse_html(client.get(reverse("admin:images_image_changelist")).content)
    thumbnail = changelist.find("img", class_="image-thumbnail").attrs["src"]
    assert thumbnail.startswith(bucket_url + "renditions/")

    # What a reader's browser gets from the object store: a picture, with no EXIF and no position.
    for url in [urls[-1], social_image(image)["url"], thumbnail]:
        with urllib.request.urlopen(url, timeout=5) as answer:
            body = answer.read()
        served = PILImage.open(BytesIO(body))
        served.load()
        assert served.format in {"WEBP", "JPEG"}
        assert not served.getexif() and "exif" not in served.info
        assert b"Example Camera Co" not in body and b"SN-0042" not in body
    # The master, too, was stripped before it was stored.
    master = s3_media.get_object(Bucket=BUCKET, Key=image.file.name)["Body"].read()
    assert b"Example Camera Co" not in master and not PILImage.open(BytesIO(master)).getexif()
    # Renditions may be kept by browsers and CDNs for a year: their names change with their content.
    head = s3_media.head_object(Bucket=BUCKET, Key=image.renditions["social"]["name"])
    assert head["CacheControl"] == "public, max-age=31536000, immutable"
    assert default_storage.exists(image.renditions["social"]["name"])


def test_the_settings_read_the_object_store_from_the_environment():
    """A site started with the S3 variables: its storage, and its CSP allowing the store's pictures."""
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "MEDIA_"))},
        **CREDENTIALS,
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_CUSTOM_DOMAIN": "media.example.org",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    script = (
        "import json; from django.conf import settings; "
        "print(json.dumps([settings.STORAGES['default'], "
        "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    storage, img_src = json.loads(result.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == BUCKET
    assert storage["OPTIONS"]["querystring_auth"] is False
    assert img_src == ["'self'", "data:", "https://media.example.org"]


def test_the_media_origin_of_an_endpoint_is_its_scheme_and_host():
    storage = {"OPTIONS": {"bucket_name": "b", "endpoint_url": "https://s3.example.net:9000/path"}}

    assert media_origins(storage) == ["https://s3.example.net:9000"]
    assert media_origins({"BACKEND": "django.core.files.storage.FileSystemStorage"}) == []


def test_a_bucketless_s3_configuration_stops_the_site_with_what_to_do():
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "MEDIA_"))},
        "MEDIA_STORAGE": "s3",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME" in result.stderr


@pytest.mark.parametrize("failure", ["store not answering", "bucket missing"])
def test_an_upload_the_object_store_does_not_take_is_told_to_the_editor_and_saves_nothing(
    client, editor, s3_media, s3_server, settings, failure
):
    options = dict(settings.STORAGES["default"]["OPTIONS"])
    if failure == "store not answering":
        # A port nobody listens on: the connection is refused, as with a store that is down.
        options["endpoint_url"] = f"http://127.0.0.1:{free_port()}"
    else:
        options["bucket_name"] = "no-such-bucket"
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": options}}
    client.force_login(editor)
    picture = SimpleUploadedFile("harbour.jpg", with_gps(size=(800, 600)), content_type="image/jpeg")

    response = client.post(
        reverse("admin:images_image_add"),
        {"file": picture, "title": "Harbour", "alt_text": "Boats", "caption": "", "credit": ""},
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("admin:images_image_add"), 302)]
    message = " ".join(str(message) for message in response.context["messages"])
    assert "The picture could not be stored" in message and "Nothing was saved" in message
    assert not Image.objects.exists()
