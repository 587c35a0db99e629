"""
Article and quote cards, each rendered once per version of what it shows and kept in the
process (newsroom.fragments): the same card stands on the front page, its section, its tags,
its people's pages and under related stories.
"""

from django import template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from newsroom import fragments

register = template.Library()

ARTICLE_CARD = "articles/includes/article_card.html"
QUOTE_CARD = "articles/includes/quote_card.html"
SEARCH_RESULT = "articles/includes/search_result.html"


def _render(context, name: str, values: dict) -> str:
    return context.template.engine.get_template(name).render(context.new(values))


def _made_of(*rows) -> tuple:
    # Pages are written in the reader's time zone and language: the same for every reader today,
    # in the key all the same.
    return (timezone.get_current_timezone_name(), translation.get_language(), *map(fragments.row, rows))


@register.simple_tag(takes_context=True)
def article_card(
    context, article, lead=False, top=False, show_section=False, brief=False, loading=""
) -> SafeString:
    """
    articles/includes/article_card.html: picture, section, headline, standfirst and byline; a
    brief (pagecache.keys.ARTICLE_BRIEF), under "Read next", without the standfirst.
    """
    values = {
        "article": article,
        "lead": lead,
        "top": top,
        "show_section": show_section,
        "brief": brief,
        "loading": loading,
    }
    made_of = (
        (bool(lead), bool(top), bool(show_section), bool(brief), loading),
        _made_of(article, article.section, article.lead_image, *article.authors.all()),
    )
    return mark_safe(fragments.kept("article-card", made_of, lambda: _render(context, ARTICLE_CARD, values)))


@register.simple_tag(takes_context=True)
def quote_card(context, quote, show_speaker=False) -> SafeString:
    """articles/includes/quote_card.html: the words, their context, article and (or not) speaker."""
    values = {"quote": quote, "show_speaker": show_speaker}
    rows = (quote, quote.article, *((quote.speaker,) if show_speaker else ()))
    made_of = (bool(show_speaker), _made_of(*rows))
    return mark_safe(fragments.kept("quote-card", made_of, lambda: _render(context, QUOTE_CARD, values)))


@register.simple_tag(takes_context=True)
def search_result(context, article) -> SafeString:
    """articles/includes/search_result.html: a card with the passage that matched the search."""
    values = {"article": article}
    rows = (article, article.section, article.lead_image, *article.authors.all())
    made_of = (str(getattr(article, "passage_html", "")), _made_of(*rows))
    return mark_safe(
        fragments.kept("search-result", made_of, lambda: _render(context, SEARCH_RESULT, values))
    )
