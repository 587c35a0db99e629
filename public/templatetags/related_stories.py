from django import template

from public.related import more_from_section, related_articles

register = template.Library()


@register.inclusion_tag("articles/includes/related_stories.html")
def related_stories(article):
    """Related stories (shared people and tags) and more from the article's section: two queries."""
    related = related_articles(article)
    return {"article": article, "related": related, "more": more_from_section(article, exclude=related)}
