"""The "images" template library: {% picture image "landscape" sizes="…" loading="lazy" %}."""

from django import template

from images.rendering import picture_html

register = template.Library()


@register.simple_tag
def picture(image, kind: str = "inline", sizes: str = "100vw", loading: str = "lazy"):
    """A responsive <picture> of ``image`` cropped as ``kind``; nothing when there is no image."""
    return picture_html(image, kind, sizes=sizes or "100vw", loading=loading or "lazy")
