from django import template

from public import structured_data

register = template.Library()


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, article):
    """<script type="application/ld+json"> with the article as a schema.org NewsArticle."""
    return structured_data.json_ld_script(structured_data.news_article(article, context["request"]))
