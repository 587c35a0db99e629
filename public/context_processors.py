from django.conf import settings

from articles.models import Section


def navigation(request):
    """The site's name and its sections, for the masthead on every page."""
    return {
        "site_name": settings.SITE_NAME,
        # Lazy: evaluated only by templates that draw the navigation (not the admin).
        "nav_sections": Section.objects.only("name", "slug"),
    }
