"""Pictures made by Pillow for the tests, and library images stored from them."""

import hashlib
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageDraw

from images.models import Image

GPS_IFD = 0x8825
GPS = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)}  # a place in London
EXIF_MAKE = 0x010F
EXIF_SERIAL = 0xA431  # BodySerialNumber, in the Exif IFD
EXIF_IFD = 0x8769


def picture_bytes(size=(600, 400), color=(200, 30, 30), fmt="JPEG", mode="RGB", **save) -> bytes:
    picture = PILImage.new(mode, size, color)
    out = BytesIO()
    picture.save(out, fmt, **save)
    return out.getvalue()


def with_gps(fmt="JPEG", size=(600, 400), **save) -> bytes:
    """A picture whose EXIF has a GPS position, the camera's make and its serial number."""
    picture = PILImage.new("RGB", size, (30, 120, 200))
    exif = PILImage.Exif()
    exif[EXIF_MAKE] = "Example Camera Co"
    exif.get_ifd(GPS_IFD).update(GPS)
    exif.get_ifd(EXIF_IFD)[EXIF_SERIAL] = "SN-0042"
    out = BytesIO()
    picture.save(out, fmt, exif=exif, **save)
    return out.getvalue()


def two_halves(size=(1200, 400), left=(255, 0, 0), right=(0, 0, 255), fmt="JPEG") -> bytes:
    """A wide picture, red on its left half and blue on its right: a crop shows which half it kept."""
    picture = PILImage.new("RGB", size, right)
    ImageDraw.Draw(picture).rectangle([0, 0, size[0] // 2 - 1, size[1]], fill=left)
    out = BytesIO()
    picture.save(out, fmt, quality=95)
    return out.getvalue()


def library_image(data: bytes | None = None, name: str = "picture.jpg", **fields) -> Image:
    """A library image stored from ``data`` (a plain JPEG by default), renditions made on save."""
    data = data or picture_bytes()
    fields = {"title": "A picture", "alt_text": "A red rectangle", **fields}
    image = Image(**fields, sha256=hashlib.sha256(data).hexdigest())
    image.file = ContentFile(data, name=name)  # as the upload form gives it
    image.save()
    return image
