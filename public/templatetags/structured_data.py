from django import template
from django.utils.safestring import mark_safe

from newsroom import fragments
from public import structured_data

register = template.Library()


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, article):
    """<script type="application/ld+json"> with the article as a schema.org NewsArticle."""
    return structured_data.json_ld_script(structured_data.news_article(article, context["request"]))


@register.simple_tag(takes_context=True)
def profile_page_json_ld(context, person, quotes):
    """
    <script type="application/ld+json"> with a person's page as a schema.org ProfilePage: kept in
    the process by its site address and every row it reads (newsroom.fragments).
    """
    request = context["request"]
    rows = [
        person,
        person.portrait,
        *(row for quote in quotes for row in (quote, quote.article, quote.speaker)),
    ]
    made_of = (request.build_absolute_uri("/"), request.path, [fragments.row(row) for row in rows])
    html = fragments.kept(
        "profile-json-ld",
        made_of,
        lambda: structured_data.json_ld_script(structured_data.profile_page(person, quotes, request)),
    )
    return mark_safe(html)
