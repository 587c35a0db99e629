"""
What a picture's own metadata says about it: the caption, credit and title agencies and cameras
write into IPTC, XMP and EXIF. Read once, on upload, to fill the library's empty fields; the
metadata itself is never stored (images.uploads strips it).
"""

import re
from dataclasses import dataclass

from PIL import IptcImagePlugin

# IPTC-IIM record 2 datasets.
IPTC_TITLE = (2, 5)
IPTC_BYLINE = (2, 80)
IPTC_CREDIT = (2, 110)
IPTC_COPYRIGHT = (2, 116)
IPTC_CAPTION = (2, 120)
# EXIF (TIFF) tags of the first IFD.
EXIF_DESCRIPTION = 0x010E
EXIF_ARTIST = 0x013B
EXIF_COPYRIGHT = 0x8298

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Described:
    title: str = ""
    caption: str = ""
    credit: str = ""


def _clean(value, limit: int) -> str:
    """Text from a metadata value (bytes, text or a list of them), tidied and cut to ``limit``."""
    if isinstance(value, list | tuple):
        value = "; ".join(filter(None, (_clean(item, limit) for item in value)))
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            value = value.decode("latin-1")
    if not isinstance(value, str):
        return ""
    value = CONTROL.sub("", value).replace("\r\n", "\n").strip()
    return value[:limit].strip()


def _first(*values) -> str:
    return next((value for value in values if value), "")


def _iptc(picture) -> dict:
    try:
        return IptcImagePlugin.getiptcinfo(picture) or {}
    except Exception:  # a malformed IPTC block leaves the fields to the editor
        return {}


def _xmp_text(node) -> str:
    """The text of an XMP property: plain, or the first entry of its Alt, Seq or Bag."""
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return "; ".join(filter(None, (_xmp_text(item) for item in node)))
    if isinstance(node, dict):
        for key in ("Alt", "Seq", "Bag", "li"):
            if key in node:
                inner = node[key]
                if key == "Alt" and isinstance(inner, dict) and isinstance(inner.get("li"), list):
                    return _xmp_text(inner["li"][0])  # the default language comes first
                return _xmp_text(inner)
        return node.get("text", "") if isinstance(node.get("text"), str) else ""
    return ""


def _xmp_descriptions(picture) -> list[dict]:
    try:
        xmp = picture.getxmp()
    except Exception:  # malformed or hostile XML (defusedxml refuses entities): no fields from it
        return []
    description = xmp.get("xmpmeta", {}).get("RDF", {}).get("Description", [])
    return [item for item in (description if isinstance(description, list) else [description]) if item]


def _xmp(picture, name: str) -> str:
    for description in _xmp_descriptions(picture):
        if isinstance(description, dict) and name in description:
            return _xmp_text(description[name])
    return ""


def describe(picture) -> Described:
    """Title, caption and credit from the picture's IPTC, then XMP, then EXIF."""
    iptc = _iptc(picture)
    try:
        exif = picture.getexif()
    except Exception:
        exif = {}
    byline = _clean(iptc.get(IPTC_BYLINE), 100)
    agency = _clean(iptc.get(IPTC_CREDIT), 100)
    iptc_credit = "/".join(dict.fromkeys(filter(None, [byline, agency])))
    credit = _first(
        iptc_credit,
        _clean(_xmp(picture, "Credit"), 200),
        _clean(_xmp(picture, "creator"), 200),
        _clean(exif.get(EXIF_ARTIST), 200),
        _clean(iptc.get(IPTC_COPYRIGHT), 200),
        _clean(_xmp(picture, "rights"), 200),
        _clean(exif.get(EXIF_COPYRIGHT), 200),
    )
    return Described(
        title=_first(_clean(iptc.get(IPTC_TITLE), 200), _clean(_xmp(picture, "title"), 200)),
        caption=_first(
            _clean(iptc.get(IPTC_CAPTION), 2000),
            _clean(_xmp(picture, "description"), 2000),
            _clean(exif.get(EXIF_DESCRIPTION), 2000),
        ),
        credit=credit[:200],
    )
