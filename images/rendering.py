"""
The HTML and metadata pages use for a library image, from its recorded renditions alone: no
storage call and no query at page time (URLs come from the storage's ``url``, which only builds
a string for the local folder and for S3 without signatures).
"""

from django.core.files.storage import default_storage
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# The fallback <img src> for browsers without srcset: the first width at least this wide.
FALLBACK_WIDTH = 960


def _srcset(pairs) -> str:
    return ", ".join(f"{default_storage.url(name)} {width}w" for width, name in pairs)


def _fallback(pairs) -> str:
    name = next((name for width, name in pairs if width >= FALLBACK_WIDTH), pairs[-1][1])
    return default_storage.url(name)


def picture_html(image, kind: str, sizes: str = "100vw", loading: str = "lazy") -> str:
    """
    ``<picture>`` with a WebP source and a JPEG (or PNG) ``<img>``, explicit width and height so
    nothing moves as it loads, and alt="" for a decorative picture; "" when there is nothing to show.
    ``loading="eager"`` is for the picture above the fold, which also gets fetchpriority="high".
    """
    entry = (image.renditions or {}).get(kind) if image is not None else None
    if not entry or "sources" not in entry:
        return ""
    sources = entry["sources"]
    fallback = sources.get("png") or sources.get("jpeg")
    if not fallback:
        return ""
    webp = (
        format_html('<source type="image/webp" srcset="{}" sizes="{}">', _srcset(sources["webp"]), sizes)
        if sources.get("webp")
        else ""
    )
    eager = loading == "eager"
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" '
        'loading="{}"{} decoding="async"></picture>',
        webp,
        _fallback(fallback),
        _srcset(fallback),
        sizes,
        entry["width"],
        entry["height"],
        "" if image.decorative else image.alt_text,
        "eager" if eager else "lazy",
        # A picture loaded at once is above the fold, usually the page's largest: fetched first.
        mark_safe(' fetchpriority="high"') if eager else "",
    )


def social_image(image) -> dict | None:
    """The 1200 × 630 card picture: url (absolute path, or the object store's URL), size, type."""
    entry = (image.renditions or {}).get("social") if image is not None else None
    if not entry:
        return None
    return {
        "url": default_storage.url(entry["name"]),
        "width": entry["width"],
        "height": entry["height"],
        "type": entry["type"],
        "bytes": entry.get("bytes", 0),
    }
