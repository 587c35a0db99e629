"""
An uploaded picture is hostile input until proven otherwise (docs/security.md, "Uploaded images").

``prepare`` takes the upload as the browser sent it and either refuses it with one sentence that
says what to do, or returns what the library stores: a master copy decoded and encoded again
without its EXIF, XMP, IPTC or comments (GPS and camera serials go with them; the colour profile
stays), turned upright, with the caption and credit its metadata carried.
"""

import hashlib
import logging
import re
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageOps

from images.metadata import Described, describe

logger = logging.getLogger(__name__)

# Sniffed MIME type → (Pillow's format name, the master's format, its extension).
ACCEPTED = {
    "image/jpeg": ("JPEG", "JPEG", "jpg"),
    "image/png": ("PNG", "PNG", "png"),
    "image/webp": ("WEBP", "WEBP", "webp"),
    # A GIF keeps its first frame only: an animation is not a news picture.
    "image/gif": ("GIF", "PNG", "png"),
    "image/avif": ("AVIF", "AVIF", "avif"),
}
KINDS = "JPEG, PNG, WebP, GIF or AVIF"
EXIF_ORIENTATION = 0x0112


class UploadRefused(ValidationError):
    """A file the library will not take; the message says what to do instead."""


@dataclass
class Prepared:
    content: ContentFile  # the master, named safely, ready for a FileField
    sha256: str  # of the bytes as uploaded: the same file uploaded again is found by it
    width: int
    height: int
    described: Described


def accepted_types() -> dict:
    """The accepted types this Pillow can decode (AVIF needs Pillow built with libavif)."""
    from PIL import features

    return {mime: kind for mime, kind in ACCEPTED.items() if mime != "image/avif" or features.check("avif")}


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def _looks_like_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<svg"):
        return True
    return text.startswith((b"<?xml", b"<!doctype svg", b"<!--")) and b"<svg" in text


def sniff(head: bytes) -> tuple[str, str, str]:
    """The picture's type from its first bytes, never from its name or the browser's word."""
    guess = filetype.guess(head)
    kinds = accepted_types()
    if guess is not None and guess.mime in kinds:
        return kinds[guess.mime]
    if _looks_like_svg(head):
        raise UploadRefused(
            "SVG drawings are not accepted: they can carry scripts. "
            "Export the drawing as PNG and upload that.",
            code="svg",
        )
    what = f"a {guess.extension.upper()} file" if guess is not None else "not a picture"
    raise UploadRefused(
        f"This file is {what}, whatever its name says: upload a {KINDS} picture.", code="wrong_type"
    )


def _decode(data: bytes, pillow_format: str) -> PILImage.Image:
    """The picture decoded, within the pixel limit, or UploadRefused."""
    limit = settings.IMAGE_MAX_PIXELS
    # Pillow warns above MAX_IMAGE_PIXELS and refuses at twice that; both are refusals here.
    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            picture = PILImage.open(BytesIO(data), formats=[pillow_format])
            if picture.width * picture.height > limit:
                raise UploadRefused(
                    _too_many_pixels(picture.width * picture.height, limit), code="too_many_pixels"
                )
            picture.seek(0)
            picture.load()
        except UploadRefused:
            raise
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as error:
            # Pillow stopped at the header: its message has the pixels the file declares.
            declared = re.search(r"\((\d+) pixels\)", str(error))
            pixels = int(declared.group(1)) if declared else limit + 1
            raise UploadRefused(_too_many_pixels(pixels, limit), code="too_many_pixels") from None
        except Exception as error:  # any decoder's failure on hostile bytes is a refusal
            logger.info("Refused an upload that does not decode: %r", error)
            raise UploadRefused(
                "The picture is damaged or cut short and cannot be read: "
                "export it again and upload the new file.",
                code="damaged",
            ) from None
    if picture.width < 1 or picture.height < 1:
        raise UploadRefused("The picture has no pixels: export it again.", code="damaged")
    return picture


def _too_many_pixels(pixels: int, limit: int) -> str:
    return (
        f"The picture has {pixels / 1e6:,.2f}".rstrip("0").rstrip(".")
        + f" megapixels, more than the {limit / 1e6:g} the library takes: export it smaller and upload that."
    )


def strip(picture: PILImage.Image, master_format: str) -> tuple[bytes, int, int]:
    """
    The master: upright, encoded again with the colour profile and nothing else from the file's
    metadata. Pillow writes EXIF, XMP and IPTC only when asked to, and is asked for none.
    """
    icc_profile = picture.info.get("icc_profile")
    transparency = picture.info.get("transparency")
    orientation = picture.getexif().get(EXIF_ORIENTATION, 1)
    upright = ImageOps.exif_transpose(picture) if orientation != 1 else picture
    # A JPEG comment, PNG text chunks and the rest of info are written back from here otherwise.
    upright.info = {}
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if master_format == "JPEG":
        if upright is picture and picture.mode != "CMYK":
            # The file's own quantisation: no second generation of JPEG loss.
            options.update(quality="keep", subsampling="keep")
        else:
            options.update(quality=92)
        if upright.mode not in {"RGB", "L", "CMYK"}:
            upright = upright.convert("RGB")
        options["exif"] = b""
    elif master_format == "PNG":
        if picture.format == "GIF":
            upright = upright.convert("RGBA" if transparency is not None else "RGB")
        elif transparency is not None:
            options["transparency"] = transparency
    elif master_format == "WEBP":
        options.update(quality=95, exif=b"", xmp=b"")
    elif master_format == "AVIF":
        options.update(quality=90, exif=b"", xmp=b"")
    out = BytesIO()
    upright.save(out, master_format, **options)
    return out.getvalue(), upright.width, upright.height


def safe_name(uploaded_name: str, extension: str) -> str:
    """A storage name from the upload's name, with the extension of what the bytes are."""
    stem = slugify(PurePath(uploaded_name or "").stem)[:60].strip("-_") or "image"
    return f"{stem}.{extension}"


def prepare(upload) -> Prepared:
    """The master and metadata of ``upload`` (a Django UploadedFile), or UploadRefused."""
    size = upload.size or 0
    if size == 0:
        raise UploadRefused("The file is empty: choose the picture again.", code="empty")
    limit = settings.IMAGE_MAX_UPLOAD_BYTES
    if size > limit:
        raise UploadRefused(
            f"The file is {_megabytes(size)}, more than the {_megabytes(limit)} the library takes: "
            "export it smaller (a JPEG of 2,000 pixels across is plenty) and upload that.",
            code="too_big",
        )
    upload.seek(0)
    data = upload.read()
    pillow_format, master_format, extension = sniff(data[:4096])
    picture = _decode(data, pillow_format)
    described = describe(picture)
    master, width, height = strip(picture, master_format)
    return Prepared(
        content=ContentFile(master, name=safe_name(upload.name, extension)),
        sha256=hashlib.sha256(data).hexdigest(),
        width=width,
        height=height,
        described=described,
    )


def title_from_name(uploaded_name: str) -> str:
    """A library title from a file name: "bridge_opening-2.jpg" → "bridge opening 2"."""
    return re.sub(r"[-_.\s]+", " ", PurePath(uploaded_name or "").stem).strip()[:200]
