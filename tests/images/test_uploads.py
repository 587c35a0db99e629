"""
Uploads are hostile input: by real admin POSTs, each bad file gets its own one-line form error and
stores nothing; a good one is stored without its private metadata, upright, with its caption and
credit read from IPTC, XMP or EXIF.
"""

import struct
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from PIL import ImageCms

from images.models import Image
from images.renditions import names
from tests.html_tree import parse_html
from tests.images.pictures import GPS_IFD, picture_bytes, with_gps

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/images/image/add/"


def upload(client, data: bytes, name: str = "picture.jpg", content_type: str = "image/jpeg", **fields):
    """The library's add form posted as a browser would, the browser's content type included."""
    form = {"title": "", "alt_text": "", "caption": "", "credit": "", **fields}
    form["file"] = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(ADD_URL, form)


def form_errors(response) -> list[str]:
    """The messages of the form's error lists, as the page shows them."""
    tree = parse_html(response.content)
    return [
        item.text.strip()
        for errors in tree.find_all("ul", class_="errorlist")
        for item in errors.find_all("li")
    ]


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def bomb_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG of a few dozen bytes whose header declares width × height pixels."""
    real = picture_bytes(size=(1, 1), fmt="PNG")
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk) & 0xFFFFFFFF)
    # The 1×1 picture's IHDR sits right after the 8-byte signature: 4 + 4 + 13 + 4 bytes.
    return real[:8] + ihdr + real[8 + 25 :]


SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"

BAD_UPLOADS = {
    # name: (file name, bytes, browser's content type, the error's start)
    "bmp named jpg": ("photo.jpg", lambda: picture_bytes(fmt="BMP"), "image/jpeg", "This file is a BMP file"),
    "tiff named png": (
        "photo.png",
        lambda: picture_bytes(fmt="TIFF"),
        "image/png",
        "This file is a TIF file",
    ),
    "svg": ("drawing.svg", lambda: SVG, "image/svg+xml", "SVG drawings are not accepted"),
    "svg named png": ("drawing.png", lambda: SVG, "image/png", "SVG drawings are not accepted"),
    "svg without xml declaration": (
        "d.jpg",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        "image/jpeg",
        "SVG drawings are not accepted",
    ),
    "html named jpg": ("page.jpg", lambda: HTML, "image/jpeg", "This file is not a picture"),
    "truncated jpeg": (
        "cut.jpg",
        lambda: picture_bytes(size=(800, 600), color=(10, 200, 90))[:600],
        "image/jpeg",
        "The picture is damaged or cut short",
    ),
    "decompression bomb png": (
        "bomb.png",
        bomb_png,
        "image/png",
        "The picture has 10,000 megapixels, more than the 50",
    ),
    "zero bytes": ("empty.jpg", lambda: b"", "image/jpeg", "The file is empty"),
}


@pytest.mark.parametrize("case", BAD_UPLOADS, ids=list(BAD_UPLOADS))
def test_a_bad_upload_gets_its_form_error_and_stores_nothing(editor_client, case):
    name, data, content_type, message = BAD_UPLOADS[case]

    response = upload(editor_client, data(), name=name, content_type=content_type, alt_text="A picture")

    assert response.status_code == 200
    errors = form_errors(response)
    assert len(errors) == 1 and errors[0].startswith(message), errors
    assert not Image.objects.exists()
    assert stored_files() == []


def test_a_file_over_the_size_limit_is_refused_before_it_is_decoded(editor_client, settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 50_000
    noise = PILImage.effect_noise((400, 400), 100).convert("RGB")
    out = BytesIO()
    noise.save(out, "PNG")
    assert len(out.getvalue()) > 50_000

    response = upload(editor_client, out.getvalue(), name="noise.png", content_type="image/png")

    errors = form_errors(response)
    assert len(errors) == 1 and "more than the 49 KB" in errors[0] and "export it smaller" in errors[0]
    assert not Image.objects.exists()
    assert stored_files() == []


def test_a_picture_over_the_pixel_limit_is_refused(editor_client, settings):
    settings.IMAGE_MAX_PIXELS = 100 * 100

    response = upload(editor_client, picture_bytes(size=(200, 100)))

    assert form_errors(response) == [
        "The picture has 0.02 megapixels, more than the 0.01 the library takes: "
        "export it smaller and upload that."
    ]
    assert stored_files() == []


@pytest.mark.parametrize("fmt, name", [("JPEG", "gps.jpg"), ("PNG", "gps.png"), ("WEBP", "gps.webp")])
def test_gps_and_camera_details_reach_neither_the_master_nor_any_rendition(editor_client, fmt, name):
    data = with_gps(fmt)
    assert PILImage.open(BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the upload has a position

    response = upload(editor_client, data, name=name, alt_text="A blue square")

    assert response.status_code == 302, form_errors(response)
    image = Image.objects.get()
    files = stored_files()
    assert len(files) == 1 + len(names(image.renditions))
    for path in files:
        raw = path.read_bytes()
        assert b"Example Camera Co" not in raw and b"SN-0042" not in raw, path
        stored = PILImage.open(path)
        assert not stored.getexif(), path
        assert "exif" not in stored.info and "xmp" not in stored.info, path


def test_the_colour_profile_is_kept_in_the_master_and_renditions(editor_client):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = picture_bytes(icc_profile=profile, exif=with_gps_exif())

    upload(editor_client, data, alt_text="A red rectangle")

    image = Image.objects.get()
    assert PILImage.open(image.file.path).info.get("icc_profile") == profile
    for path in stored_files():
        assert PILImage.open(path).info.get("icc_profile") == profile, path


def with_gps_exif():
    exif = PILImage.Exif()
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (1.0, 2.0, 3.0)})
    return exif


def test_the_upload_is_stored_under_a_name_of_what_it_is(editor_client):
    upload(editor_client, picture_bytes(fmt="PNG"), name="../../evil.html.jpg", alt_text="A red rectangle")

    image = Image.objects.get()
    assert image.file.name.startswith("images/") and image.file.name.endswith("/evilhtml.png")
    assert (image.width, image.height) == (600, 400)


def test_an_animated_gif_keeps_its_first_frame(editor_client):
    frames = [PILImage.new("RGB", (300, 200), colour) for colour in ((250, 0, 0), (0, 250, 0))]
    out = BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)

    upload(editor_client, out.getvalue(), name="anim.gif", content_type="image/gif", alt_text="Red")

    master = PILImage.open(Image.objects.get().file.path)
    assert master.format == "PNG" and getattr(master, "n_frames", 1) == 1
    assert master.convert("RGB").getpixel((150, 100))[0] > 200


def test_exif_orientation_is_applied_to_the_master(editor_client):
    exif = PILImage.Exif()
    exif[0x0112] = 6  # the camera was turned: the picture is to be shown rotated 90° clockwise
    data = picture_bytes(size=(600, 400), exif=exif)

    upload(editor_client, data, alt_text="A red rectangle")

    image = Image.objects.get()
    assert (image.width, image.height) == (400, 600)
    assert PILImage.open(image.file.path).size == (400, 600)
    assert image.renditions["inline"]["width"] == 400 and image.renditions["inline"]["height"] == 600


# Caption and credit from the file's metadata.


def exif_described() -> bytes:
    exif = PILImage.Exif()
    exif[0x010E] = "Flood water reaches the town hall steps."
    exif[0x013B] = "Jane Camera"
    exif[0x8298] = "(c) Example Agency"
    return picture_bytes(exif=exif)


XMP = """<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Credit="Wire Photos">
<dc:description><rdf:Alt>
<rdf:li xml:lang="x-default">The bridge opens to traffic.</rdf:li></rdf:Alt></dc:description>
<dc:creator><rdf:Seq><rdf:li>Sam Lens</rdf:li></rdf:Seq></dc:creator>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Bridge opening</rdf:li></rdf:Alt></dc:title>
</rdf:Description></rdf:RDF></x:xmpmeta>"""


def xmp_described() -> bytes:
    return picture_bytes(xmp=XMP.encode())


def iptc_described() -> bytes:
    """A JPEG with an IPTC block in Photoshop's APP13 segment, as agencies' pictures carry it."""

    def dataset(number: int, value: str) -> bytes:
        encoded = value.encode()
        return b"\x1c\x02" + bytes([number]) + struct.pack(">H", len(encoded)) + encoded

    iptc = (
        dataset(5, "Harbour storm")
        + dataset(80, "Ana Photo")
        + dataset(110, "City Agency")
        + dataset(120, "Waves break over the harbour wall.")
    )
    if len(iptc) % 2:
        iptc += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    payload = b"Photoshop 3.0\x00" + resource
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    jpeg = picture_bytes()
    return jpeg[:2] + segment + jpeg[2:]


@pytest.mark.parametrize(
    "make, caption, credit, title",
    [
        (exif_described, "Flood water reaches the town hall steps.", "Jane Camera", "described"),
        (xmp_described, "The bridge opens to traffic.", "Wire Photos", "Bridge opening"),
        (iptc_described, "Waves break over the harbour wall.", "Ana Photo/City Agency", "Harbour storm"),
    ],
    ids=["exif", "xmp", "iptc"],
)
def test_caption_credit_and_title_are_read_from_the_files_metadata(
    editor_client, make, caption, credit, title
):
    response = upload(editor_client, make(), name="described.jpg", alt_text="A red rectangle")

    assert response.status_code == 302, form_errors(response)
    image = Image.objects.get()
    assert (image.caption, image.credit, image.title) == (caption, credit, title)
    # ...and the metadata itself is not kept.
    raw = Path(image.file.path).read_bytes()
    assert caption.encode() not in raw


def test_what_the_editor_wrote_is_kept_over_the_files_metadata(editor_client):
    upload(editor_client, iptc_described(), caption="Our own caption.", credit="Staff", alt_text="Waves")

    image = Image.objects.get()
    assert (image.caption, image.credit) == ("Our own caption.", "Staff")


def test_the_editor_is_told_when_the_same_picture_is_already_in_the_library(editor_client):
    data = picture_bytes(color=(1, 2, 3))
    upload(editor_client, data, alt_text="First copy", title="First copy")

    response = upload(editor_client, data, alt_text="Second copy")
    page = editor_client.get(response.url).content.decode()

    first, second = Image.objects.order_by("pk")
    assert second.sha256 == first.sha256
    assert "The same picture is already in the library" in page and "First copy" in page


def test_a_reporter_can_upload_and_the_uploader_is_recorded(client, reporter):
    client.force_login(reporter)

    response = upload(client, picture_bytes(), alt_text="A red rectangle")

    assert response.status_code == 302
    assert Image.objects.get().uploaded_by == reporter


def avif_bytes() -> bytes:
    return picture_bytes(fmt="AVIF")


def cmyk_jpeg() -> bytes:
    return picture_bytes(mode="CMYK", color=(0, 255, 255, 0))  # cyan-free: red


def grey_16_bit_png() -> bytes:
    return picture_bytes(mode="I;16", color=40000, fmt="PNG")


def palette_png_with_transparency() -> bytes:
    picture = PILImage.new("P", (300, 200), 0)
    picture.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    picture.paste(1, (0, 0, 150, 200))  # the left half see-through
    out = BytesIO()
    picture.save(out, "PNG", transparency=1)
    return out.getvalue()


@pytest.mark.parametrize(
    "make, name, master_format, fallback",
    [
        (lambda: picture_bytes(), "a.jpg", "JPEG", "jpeg"),
        (lambda: picture_bytes(fmt="PNG"), "a.png", "PNG", "jpeg"),
        (lambda: picture_bytes(fmt="WEBP"), "a.webp", "WEBP", "jpeg"),
        (lambda: picture_bytes(fmt="GIF"), "a.gif", "PNG", "jpeg"),
        (avif_bytes, "a.avif", "AVIF", "jpeg"),
        (cmyk_jpeg, "cmyk.jpg", "JPEG", "jpeg"),
        (grey_16_bit_png, "grey16.png", "PNG", "jpeg"),
        (palette_png_with_transparency, "palette.png", "PNG", "png"),
    ],
    ids=["jpeg", "png", "webp", "gif", "avif", "cmyk-jpeg", "16-bit-png", "palette-png"],
)
def test_each_accepted_kind_of_picture_is_stored_with_its_renditions(
    editor_client, make, name, master_format, fallback
):
    response = upload(editor_client, make(), name=name, content_type="application/octet-stream", alt_text="A")

    assert response.status_code == 302, form_errors(response)
    image = Image.objects.get()
    assert PILImage.open(image.file.path).format == master_format
    assert set(image.renditions["inline"]["sources"]) == {"webp", fallback}
    assert len(stored_files()) == 1 + len(names(image.renditions))
