from django import template
from django.urls import reverse

from public.feeds import FEEDS

register = template.Library()


@register.inclusion_tag("includes/feed_links.html")
def alternate_feeds(kind: str, obj=None) -> dict:
    """<link rel="alternate"> to the RSS and Atom feeds of a page: "latest", or a section, tag or person."""
    kwargs = {"slug": obj.slug} if obj is not None else {}
    return {
        "title": FEEDS[kind]().title(obj),
        "rss_url": reverse(f"articles:{kind}-rss", kwargs=kwargs),
        "atom_url": reverse(f"articles:{kind}-atom", kwargs=kwargs),
    }
