"""
Article and quote cards, each rendered once per version of what it shows and kept in the
process (newsroom.fragments): the same card stands on the front page, its section, its tags,
its people's pages and under related stories. A list's cards are kept as one piece as well.
"""

from django import template
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.html import format_html
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
        _made_of(*card_rows(article)),
    )
    return mark_safe(fragments.kept("article-card", made_of, lambda: _render(context, ARTICLE_CARD, values)))


# A list's bylines, fetched for all its cards in one query and kept on each article as a list:
# making each article its related manager's queryset costs more than the query.
CARD_AUTHORS = Prefetch("authors", to_attr="card_authors")


@register.filter
def card_authors(article) -> list:
    """The authors a card names: as a list fetched them (CARD_AUTHORS), or the article's own."""
    listed = getattr(article, "card_authors", None)
    return listed if listed is not None else list(article.authors.all())


def card_rows(article) -> tuple:
    """The rows an article card shows."""
    return (article, article.section, article.lead_image, *card_authors(article))


@register.simple_tag(takes_context=True)
def article_cards(context, articles, top=False, show_section=False, brief=False) -> SafeString:
    """
    A list's article cards, one after another: kept as one piece by every card's rows, so that a
    list of twenty costs one key, not twenty (each card is still kept by itself, for other lists).
    """
    flags = {"top": bool(top), "show_section": bool(show_section), "brief": bool(brief)}
    made_of = (
        tuple(flags.values()),
        _made_of(),
        [tuple(map(fragments.row, card_rows(a))) for a in articles],
    )
    return mark_safe(
        fragments.kept(
            "article-cards",
            made_of,
            lambda: "\n".join(article_card(context, article, **flags) for article in articles),
        )
    )


@register.simple_tag(takes_context=True)
def quote_card(context, quote, show_speaker=False) -> SafeString:
    """articles/includes/quote_card.html: the words, their context, article and (or not) speaker."""
    values = {"quote": quote, "show_speaker": show_speaker}
    made_of = (bool(show_speaker), _made_of(*_quote_rows(quote, show_speaker)))
    return mark_safe(fragments.kept("quote-card", made_of, lambda: _render(context, QUOTE_CARD, values)))


def _quote_rows(quote, show_speaker) -> tuple:
    return (quote, quote.article, *((quote.speaker,) if show_speaker else ()))


@register.simple_tag(takes_context=True)
def quote_cards(context, quotes, show_speaker=False) -> SafeString:
    """A list's quote cards, each an item (<li>) of it: kept as one piece, as article_cards."""
    made_of = (
        bool(show_speaker),
        _made_of(),
        [tuple(map(fragments.row, _quote_rows(quote, show_speaker))) for quote in quotes],
    )

    def build() -> str:
        return "\n".join(
            format_html("<li>{}</li>", quote_card(context, quote, show_speaker)) for quote in quotes
        )

    return mark_safe(fragments.kept("quote-cards", made_of, build))


@register.simple_tag(takes_context=True)
def search_result(context, article) -> SafeString:
    """articles/includes/search_result.html: a card with the passage that matched the search."""
    values = {"article": article}
    rows = card_rows(article)
    made_of = (str(getattr(article, "passage_html", "")), _made_of(*rows))
    return mark_safe(
        fragments.kept("search-result", made_of, lambda: _render(context, SEARCH_RESULT, values))
    )
