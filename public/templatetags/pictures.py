"""The pictures the reader pages print, beyond the image library's own tag."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from images.rendering import picture_html, social_image

register = template.Library()

# The article's own picture spans the text column: 46rem at most.
LEAD_SIZES = "(min-width: 48rem) 46rem, 100vw"


@register.simple_tag
def lead_picture(image) -> SafeString:
    """
    The article's lead picture: loaded at once and first (it is the page's largest element, the
    one its loading time is judged by), never lazily.
    """
    return mark_safe(picture_html(image, "landscape", LEAD_SIZES, loading="eager"))


@register.simple_tag(takes_context=True)
def social_card(context, image) -> dict | None:
    """
    The picture social networks show with a link to the page (og:image, twitter:image): the
    image's 1200 × 630 rendition, at a full URL, with its size, type and alt text; None without one.
    """
    picture = social_image(image) if image else None
    if picture is None:
        return None
    url = context["request"].build_absolute_uri(picture["url"])
    return {**picture, "url": url, "alt": "" if image.decorative else image.alt_text}
