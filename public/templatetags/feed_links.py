from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe

from newsroom import fragments
from public.feeds import FEEDS

register = template.Library()


@register.simple_tag
def alternate_feeds(kind: str, obj=None) -> SafeString:
    """
    <link rel="alternate"> to the RSS and Atom feeds of a page: "latest", or a section, tag or
    person. Kept by the row they name (newsroom.fragments): the same on every page of it.
    """
    made_of = (kind, fragments.row(obj), settings.SITE_NAME, get_script_prefix(), get_urlconf())
    return mark_safe(fragments.kept("feed-links", made_of, lambda: _feed_links(kind, obj)))


def _feed_links(kind: str, obj) -> str:
    kwargs = {"slug": obj.slug} if obj is not None else {}
    values = {
        "title": FEEDS[kind]().title(obj),
        "rss_url": reverse(f"articles:{kind}-rss", kwargs=kwargs),
        "atom_url": reverse(f"articles:{kind}-atom", kwargs=kwargs),
    }
    return render_to_string("includes/feed_links.html", values)
