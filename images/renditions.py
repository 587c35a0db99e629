"""
The sizes and formats pages serve, made from an image's master with Willow (on Pillow) and
written to Django's default storage; ``Image.renditions`` records them, so a page builds its
``srcset`` without asking the storage anything.

Kinds: "landscape" (3:2) and "square" (1:1), cropped around the focal point; "inline", the
picture's own shape; "social", 1200 × 630 JPEG for link previews. Each of the first three comes
in WebP and a fallback (JPEG, or PNG for a picture with transparency), at widths up to 1600 px and
never wider than the source. A rendition's name is a digest of what made it (the master, the
kind, the focal point, the width, the format): a new focal point makes new names, so browsers and
CDNs may keep any name for a year.
"""

import hashlib
import warnings
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PILImage
from willow.plugins.pillow import PillowImage

# Bump when encoding changes (quality, formats): every name changes, so caches never mix the two.
VERSION = 1
WIDTHS = (320, 640, 960, 1280, 1600)
RATIOS = {"landscape": (3, 2), "square": (1, 1), "inline": None}
SOCIAL_SIZE = (1200, 630)
QUALITY = {"webp": 80, "jpeg": 82}
CONTENT_TYPES = {"webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"webp": "webp", "jpeg": "jpg", "png": "png"}


class RenditionError(Exception):
    """The master could not be read or the renditions not written; the message says which image."""


@dataclass(frozen=True)
class Rendition:
    kind: str
    fmt: str
    width: int
    height: int
    name: str


def focal_crop(width: int, height: int, ratio, focal_x: float, focal_y: float) -> tuple[int, int, int, int]:
    """The largest ``ratio`` box inside width × height, centred on the focal point as far as it fits."""
    if ratio is None:
        return 0, 0, width, height
    ratio_w, ratio_h = ratio
    if width * ratio_h > height * ratio_w:
        crop_w, crop_h = max(1, round(height * ratio_w / ratio_h)), height
    else:
        crop_w, crop_h = width, max(1, round(width * ratio_h / ratio_w))
    left = min(max(round(focal_x * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(focal_y * height - crop_h / 2), 0), height - crop_h)
    return left, top, left + crop_w, top + crop_h


def widths_for(source_width: int) -> list[int]:
    """The srcset widths for a crop ``source_width`` wide: the standard ones below it, then its own."""
    largest = min(source_width, WIDTHS[-1])
    return [width for width in WIDTHS if width < largest] + [largest]


def _name(master_hash: str, kind: str, width: int, fmt: str, focal: str) -> str:
    digest = hashlib.sha256(f"{VERSION}|{master_hash}|{kind}|{focal}|{width}|{fmt}".encode()).hexdigest()[:16]
    return f"renditions/{master_hash[:2]}/{digest}-{kind}-{width}.{EXTENSIONS[fmt]}"


def _focal(image, kind: str) -> str:
    # The uncropped kind does not depend on the focal point: its files stay when the point moves.
    return "" if RATIOS.get(kind, ()) is None else f"{image.focal_x:.4f},{image.focal_y:.4f}"


def open_master(image) -> tuple[PillowImage, str]:
    """
    The master, decoded within the pixel limit, as RGB(A) with only its colour profile kept; and
    the digest of its bytes, which names its renditions (the same master, the same names).
    """
    master = image.file
    # A new upload is still in memory, to be stored after this: read, but left open for that.
    was_closed = master.closed
    try:
        master.open("rb")
        master.seek(0)
        data = master.read()
        master.seek(0)
        if was_closed:
            master.close()
    except OSError as error:
        raise RenditionError(
            f"Image {image.pk}: its file {image.file.name!r} cannot be read ({error})."
        ) from None
    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            picture = PILImage.open(BytesIO(data))
            if picture.width * picture.height > settings.IMAGE_MAX_PIXELS:
                raise RenditionError(
                    f"Image {image.pk}: {picture.width} × {picture.height} is over the pixel limit."
                )
            picture.load()
        except RenditionError:
            raise
        except Exception as error:
            raise RenditionError(
                f"Image {image.pk}: its file {image.file.name!r} does not decode ({error})."
            ) from None
    icc_profile = picture.info.get("icc_profile")
    willow = PillowImage(picture)
    if picture.mode == "CMYK":
        willow = willow.transform_colorspace_to_srgb()
        icc_profile = willow.get_icc_profile()
    picture = willow.image
    if picture.mode not in {"RGB", "RGBA"}:
        picture = picture.convert("RGBA" if willow.has_alpha() else "RGB")
    if picture.mode == "RGBA" and picture.getchannel("A").getextrema()[0] == 255:
        picture = picture.convert("RGB")  # an alpha channel with nothing see-through in it
    # A big master is reduced first by a whole factor (fast, averaging), keeping its short side at
    # least as wide as the widest rendition: every crop then still has the pixels it needs.
    factor = min(picture.size) // WIDTHS[-1]
    if factor >= 2:
        picture = picture.reduce(factor)
    # Willow writes back whatever info holds (EXIF among it): only the colour profile goes on.
    picture.info = {"icc_profile": icc_profile} if icc_profile else {}
    return PillowImage(picture), hashlib.sha256(data).hexdigest()


def _encode(picture: PillowImage, fmt: str) -> bytes:
    out = BytesIO()
    if fmt == "webp":
        picture.save_as_webp(out, quality=QUALITY["webp"], apply_optimizers=False)
    elif fmt == "jpeg":
        picture.save_as_jpeg(out, quality=QUALITY["jpeg"], progressive=True, apply_optimizers=False)
    else:
        picture.save_as_png(out, optimize=True, apply_optimizers=False)
    return out.getvalue()


def _resized(picture: PillowImage, width: int) -> PillowImage:
    source_w, source_h = picture.get_size()
    if width == source_w:
        return picture
    return picture.resize((width, max(1, round(source_h * width / source_w))))


def plan(image, source: PillowImage, master_hash: str) -> tuple[dict, list[tuple[Rendition, object]]]:
    """The renditions JSON for ``image`` and, for each file, how to make its bytes."""
    source_w, source_h = source.get_size()
    fallback = "png" if source.has_alpha() else "jpeg"
    renditions, work = {}, []
    for kind, ratio in RATIOS.items():
        box = focal_crop(source_w, source_h, ratio, image.focal_x, image.focal_y)
        crop_w, crop_h = box[2] - box[0], box[3] - box[1]
        widths = widths_for(crop_w)
        largest_h = max(1, round(crop_h * widths[-1] / crop_w))
        sources = {}
        for fmt in ("webp", fallback):
            sources[fmt] = []
            for width in widths:
                height = max(1, round(crop_h * width / crop_w))
                rendition = Rendition(
                    kind, fmt, width, height, _name(master_hash, kind, width, fmt, _focal(image, kind))
                )
                sources[fmt].append([width, rendition.name])
                work.append((rendition, box))
        renditions[kind] = {"width": widths[-1], "height": largest_h, "sources": sources}
    social_w, social_h = SOCIAL_SIZE
    social_box = focal_crop(source_w, source_h, SOCIAL_SIZE, image.focal_x, image.focal_y)
    social_name = _name(master_hash, "social", social_w, "jpeg", _focal(image, "social"))
    social = Rendition("social", "jpeg", social_w, social_h, social_name)
    renditions["social"] = {"width": social_w, "height": social_h, "name": social.name, "type": "image/jpeg"}
    work.append((social, social_box))
    return renditions, work


def make(image, storage=None, force: bool = False, dry_run: bool = False) -> tuple[dict, int]:
    """
    Make ``image``'s renditions and write the missing ones (all, with ``force``) to ``storage``.
    Returns the renditions JSON and how many files were written; writes nothing with ``dry_run``.
    """
    storage = storage or default_storage
    source, master_hash = open_master(image)
    renditions, work = plan(image, source, master_hash)
    crops: dict[tuple, PillowImage] = {}
    written = 0
    for rendition, box in work:
        exists = storage.exists(rendition.name)
        if exists and not force:
            if rendition.kind == "social":
                renditions["social"]["bytes"] = storage.size(rendition.name)
            continue
        if dry_run:
            written += 1
            continue
        crop_key = (rendition.kind, box)
        if crop_key not in crops:
            cropped = source.crop(box) if box != (0, 0, *source.get_size()) else source
            # Smaller widths come from the largest: one resize of a big master per kind.
            if rendition.kind == "social":
                cropped = cropped.resize(SOCIAL_SIZE)
                if cropped.has_alpha():
                    cropped = cropped.set_background_color_rgb((255, 255, 255))
            else:
                cropped = _resized(cropped, min(cropped.get_size()[0], WIDTHS[-1]))
            crops[crop_key] = cropped
        picture = _resized(crops[crop_key], rendition.width)
        data = _encode(picture, rendition.fmt)
        if exists:
            storage.delete(rendition.name)
        if rendition.kind == "social":
            # Feeds' enclosures give the file's length; known here, it costs pages no storage call.
            renditions["social"]["bytes"] = len(data)
        saved = storage.save(rendition.name, ContentFile(data))
        if saved != rendition.name:
            raise RenditionError(f"Image {image.pk}: the storage renamed {rendition.name!r} to {saved!r}.")
        written += 1
    return renditions, written


def names(renditions: dict) -> set[str]:
    """Every storage name a renditions JSON refers to."""
    found = set()
    for kind, entry in renditions.items():
        if kind == "social":
            found.add(entry["name"])
            continue
        for pairs in entry["sources"].values():
            found.update(name for _, name in pairs)
    return found
