"""
Pieces of reader pages kept by what they are made of (newsroom.fragments, docs/performance.md):
the masthead and footer of every page, an article's own part of its page and what to read
next, a person's lists. Each is rendered from the values given to it, not the page's context,
and kept by every row those values show.
"""

import functools

from django import template
from django.conf import settings
from django.db.models import prefetch_related_objects
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from articles.models import story_relations
from bodytext import image_ids_named
from newsroom import fragments
from pagecache import kept as kept_by_keys
from pagecache import keys
from public import structured_data
from public.related import linked_ids, more_from_section, related_articles
from public.templatetags.cards import card_rows

register = template.Library()


def _render(context, name: str, values: dict) -> str:
    return context.template.engine.get_template(name).render(context.new(values))


def _site(context) -> tuple:
    """What every piece is written for: the site's address and name, the reader's time and language."""
    request = context.get("request")
    return (
        request.build_absolute_uri("/") if request is not None else None,
        get_script_prefix(),
        get_urlconf(),
        settings.SITE_NAME,
        timezone.get_current_timezone_name(),
        translation.get_language(),
    )


def _kept(context, kind: str, name: str, values: dict, *inputs) -> SafeString:
    made_of = (_site(context), *inputs)
    return mark_safe(fragments.kept(kind, made_of, lambda: _render(context, name, values)))


@register.simple_tag(takes_context=True)
def masthead(context) -> SafeString:
    """includes/masthead.html: the site's name, its sections and search, kept by the sections."""
    request = context.get("request")
    here = getattr(getattr(request, "resolver_match", None), "url_name", None)
    sections = list(context.get("nav_sections") or ())
    current = context.get("current_section_slug")
    values = {
        "site_name": settings.SITE_NAME,
        "nav_sections": sections,
        "current_section_slug": current,
        "here": here,
    }
    rows = [fragments.row(section) for section in sections]
    return _kept(context, "masthead", "includes/masthead.html", values, rows, current, here)


@register.simple_tag(takes_context=True)
def site_footer(context) -> SafeString:
    """includes/footer.html: the same on every page."""
    return _kept(context, "footer", "includes/footer.html", {"site_name": settings.SITE_NAME})


def _where(context) -> tuple:
    """What an article's part is written for: the site, the page's address, its language and logo."""
    return (
        _site(context),
        context["request"].path,
        settings.LANGUAGE_CODE,
        static("favicon.svg"),  # the publisher's logo in the structured data
    )


def _story(context, article) -> tuple[str, SafeString | None]:
    """
    Everything an article's own part of its page is made of, as one key: every row it shows,
    the page's address, whether it is public, and the HTML of the pictures its body names (the
    body as rendered, which costs a query for them; a body without pictures is made of the rows).
    The body too, when it was rendered for the key.
    """
    quotes = article.quotes.all()
    rows = (
        article,
        article.section,
        article.lead_image,
        *article.authors.all(),
        *article.tags.all(),
        *article.people.all(),
        *article.notes.all(),
        *quotes,
        *(quote.speaker for quote in quotes),
    )
    body_html = article.body_html() if image_ids_named(article.body) else None
    inputs = (_where(context), article.is_public, body_html, [fragments.row(row) for row in rows])
    return fragments.key("story", inputs), body_html


STORY_PARTS = {
    "head": "articles/includes/article_head.html",
    "story": "articles/includes/article_story.html",
}


def _shown_before(*rows) -> None:
    """Records, in a kept part, the rows it was handed (loaded, and recorded, before it began)."""
    keys.record(*(keys.of(row) for row in rows if row is not None))


def _once_per_page(make):
    """``make(context, subject, …)`` once in a page's rendering: several tags print its parts."""

    @functools.wraps(make)
    def once(context, subject, *args):
        made = context.render_context.get(once)
        if made is not None and made[0] is subject:
            return made[1]
        parts = make(context, subject, *args)
        context.render_context[once] = (subject, parts)
        return parts

    return once


@_once_per_page
def _article_parts(context, article, preview: bool) -> dict[str, str]:
    """
    The article's head and story, made together: kept by the keys of what they show
    (pagecache.kept), and beneath that by all they are made of (_story). The rows they show are
    fetched only when they are made. A staff preview is made afresh.
    """
    request = context["request"]

    def build() -> dict[str, str]:
        _shown_before(article, article.section, article.lead_image)
        prefetch_related_objects([article], *story_relations())
        made_of, body_html = _story(context, article)
        parts = {}
        for part, name in STORY_PARTS.items():

            def render_part(part=part, name=name) -> str:
                values = {"request": request, "site_name": settings.SITE_NAME, "article": article}
                body = body_html if body_html is not None or part != "story" else article.body_html()
                return _render(context, name, values | {"body_html": body, "preview": preview})

            if preview:  # a preview's byline links only the authors with a page: the database says
                parts[part] = render_part()
            else:
                parts[part] = fragments.kept(f"article-{part}", made_of, render_part)
        return parts

    if preview:
        return build()
    # Named by the rows it was handed, as read-next is (read_next).
    handed = [fragments.row(row) for row in (article, article.section, article.lead_image)]
    return kept_by_keys.kept("story", (_where(context), handed), build)


@register.simple_tag(takes_context=True)
def article_part(context, part: str, article, preview=False) -> SafeString:
    """``part`` of an article's page: "head", its meta tags and structured data, or "story"."""
    return mark_safe(_article_parts(context, article, preview)[part])


@register.simple_tag(takes_context=True)
def read_next(context, article, preview=False) -> SafeString:
    """
    articles/includes/related_stories.html: the related stories and more from the section. Kept
    by the keys of what it shows: the cards' briefs, the lists they were chosen from, the story's
    brief (its people and tags choose them); and beneath that by the cards' rows and the story's.
    """

    # Named by all it was handed (the story's section and links, read before it is looked up): a
    # part made from rows read before an edit, and stored after the edit's purge, is never
    # asked for again.
    linked = linked_ids(article)

    def build() -> str:
        _shown_before(article.section)
        keys.record(keys.brief_of_pk(article.pk))
        related = related_articles(article, linked=linked)
        more = more_from_section(article, exclude=related)
        prefetch_related_objects([*related, *more], "authors")  # every byline, in one query
        values = {"article": article, "related": related, "more": more}
        rows = (
            [fragments.row(article), fragments.row(article.section)],
            [tuple(map(fragments.row, card_rows(story))) for story in related],
            [tuple(map(fragments.row, card_rows(story))) for story in more],
        )
        return _kept(context, "read-next", "articles/includes/related_stories.html", values, rows)

    if preview:
        return mark_safe(build())
    inputs = (_site(context), article.pk, fragments.row(article.section), linked)
    return mark_safe(kept_by_keys.kept("read-next", inputs, build))


PERSON_PARTS = {
    "quotes": "articles/includes/person_quotes.html",
    "articles": "articles/includes/person_articles.html",
}


@_once_per_page
def _person_parts(context, person, quotes, articles) -> dict:
    """
    A person's lists, their quotes and the articles naming them, with the quotes' structured
    data: kept by the keys of what they show (pagecache.kept), which the person's own row is
    not, so that an edit to it, or a page kept in no cache (staff's), reads neither list. The
    lists are read only when they are made: ``quotes`` and ``articles`` are pages of querysets
    not yet run.
    """
    request = context["request"]

    def build() -> dict:
        keys.lists_of(person)
        values = {"request": request, "quotes": quotes, "articles": articles}
        parts = {part: _render(context, name, values) for part, name in PERSON_PARTS.items()}
        return {"quotations": structured_data.their_quotations(quotes.object_list, request), **parts}

    # Named by the counts it was handed (read_next says why), and by the whole query: the pages'
    # links keep every parameter of it (page_url).
    counted = (person.quotes_counted, person.articles_counted)
    inputs = (_where(context), request.get_full_path(), person.pk, counted)
    return kept_by_keys.kept("person-lists", inputs, build)


@register.simple_tag(takes_context=True)
def person_part(context, part: str, person, quotes, articles) -> SafeString:
    """``part`` of a person's page: "head" (its structured data), "quotes" or "articles"."""
    parts = _person_parts(context, person, quotes, articles)
    if part == "head":
        data = structured_data.profile_page(person, parts["quotations"], context["request"])
        return structured_data.json_ld_script(data)
    return mark_safe(parts[part])
