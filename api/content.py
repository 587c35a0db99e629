"""
What each client may read, and each item as the API gives it.

Anonymous clients read what readers read, from the one definition of public:
``Article.objects.published()``, ``Quote.objects.published()``, ``Person.objects.public()``,
``Author.objects.public()``. A client with a key (api.models) also reads drafts, scheduled and
withdrawn stories, for preview apps. Nobody reads staff data through the API: no accounts, emails
or user ids, no revisions, no workflow steps, no search documents, no library bookkeeping.

Every list fetches its relations up front, so a page costs the same few queries however many
quotes, tags and people its items carry (tests/api/test_query_counts.py).
"""

import datetime
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from ninja.errors import HttpError
from taggit.models import Tag

from api.paging import Order
from articles.models import Article, Author, Person, Quote, Section, TaggedArticle, public
from images.rendering import social_image

# A person's newest quotes and articles on their own item; the lists have the rest.
PERSON_QUOTES = 20
PERSON_ARTICLES = 20


@dataclass(frozen=True)
class Viewer:
    """Who is asking: anyone, or a preview app with a key."""

    key: object = None

    @property
    def sees_unpublished(self) -> bool:
        return self.key is not None


ANYONE = Viewer()


# What each viewer may read


def articles(viewer: Viewer) -> QuerySet:
    if viewer.sees_unpublished:
        # Drafts have no publication time: they sort by when they were begun.
        return Article.objects.annotate(moment=Coalesce("published_at", "created_at"))
    return Article.objects.published()


def quotes(viewer: Viewer) -> QuerySet:
    if viewer.sees_unpublished:
        return Quote.objects.annotate(moment=Coalesce("article__published_at", "article__created_at"))
    return Quote.objects.published()


def people(viewer: Viewer) -> QuerySet:
    return Person.objects.all() if viewer.sees_unpublished else Person.objects.public()


def authors(viewer: Viewer) -> QuerySet:
    return Author.objects.all() if viewer.sees_unpublished else Author.objects.public()


def tags(viewer: Viewer) -> QuerySet:
    """Tags that a published article carries: a tag only drafts carry has no page either."""
    if viewer.sees_unpublished:
        return Tag.objects.all()
    carried = TaggedArticle.objects.filter(public(through="content_object__"), tag=OuterRef("pk"))
    return Tag.objects.filter(Exists(carried))


def sections() -> QuerySet:
    return Section.objects.all()


def _moment(viewer: Viewer, published_at: str) -> str:
    return "moment" if viewer.sees_unpublished else published_at


def article_order(viewer: Viewer, order: str) -> Order:
    newest = order == "newest"
    return Order(f"articles:{order}", ((_moment(viewer, "published_at"), newest), ("id", newest)))


def quote_order(viewer: Viewer, order: str) -> Order:
    newest = order == "newest"
    keys = ((_moment(viewer, "article__published_at"), newest), ("article_id", newest), ("order", not newest))
    return Order(f"quotes:{order}", keys)


# What each list's cursor holds: its sort values' types.
ARTICLE_KEYS = (datetime.datetime, int)
QUOTE_KEYS = (datetime.datetime, int, int)
NAME_KEYS = (str, int)


def by_name(name: str, field: str = "name") -> Order:
    return Order(name, ((field, False), ("id", False)))


# What each filter names by its slug.
FILTERED_BY_SLUG = {
    "section": Section,
    "tag": Tag,
    "author": Author,
    "person": Person,
    "speaker": Person,
    "article": Article,
}


def filtered(queryset: QuerySet, query, lookups: dict[str, str]) -> QuerySet:
    """
    ``queryset`` narrowed by the filters ``query`` sets, each slug found first: the database then
    plans for that one speaker or tag (a person quoted ten thousand times is read newest first
    off an index, not sorted whole), as the person's page does.
    """
    for name, lookup in lookups.items():
        slug = getattr(query, name)
        if not slug:
            continue
        found = FILTERED_BY_SLUG[name]._default_manager.filter(slug=slug).values_list("pk", flat=True).first()
        if found is None:
            return queryset.none()
        queryset = queryset.filter(**{lookup: found})
    return queryset


def within(queryset: QuerySet, viewer: Viewer, field: str, since, until) -> QuerySet:
    field = _moment(viewer, field)
    if since is not None:
        queryset = queryset.filter(**{f"{field}__gte": since})
    if until is not None:
        queryset = queryset.filter(**{f"{field}__lt": until})
    return queryset


# Which fields an answer carries


@dataclass(frozen=True)
class Selection:
    names: frozenset[str]

    def __contains__(self, name: str) -> bool:
        return name in self.names


def select(
    fields: str | None, include: str | None, *, basic, extra=(), detail_only=(), what: str
) -> Selection:
    """
    The fields to give: ``fields=`` names them all; otherwise the basic ones and what ``include=``
    adds. A name that is no field of ``what`` is refused with the list of those that are.
    """
    known = (*basic, *extra)
    for given, allowed in ((fields, known), (include, extra)):
        for name in given.split(",") if given else ():
            if name in detail_only:
                raise HttpError(400, f"{name} is given only by the single {what} endpoint, not by the list.")
            if name not in allowed:
                raise HttpError(400, f"{what} have no field {name!r}: use {', '.join(allowed) or 'none'}.")
    if fields:
        return Selection(frozenset(fields.split(",")))
    return Selection(frozenset(basic) | frozenset(include.split(",") if include else ()))


ARTICLE_BASIC = (
    "slug", "url", "headline", "standfirst", "status", "section", "tags", "authors", "byline",
    "published_at", "updated_at", "lead_image",
)  # fmt: skip
ARTICLE_EXTRA = ("body", "quotes", "people", "corrections")
ARTICLE_DETAIL = (*ARTICLE_BASIC, *ARTICLE_EXTRA, "body_html")
PERSON_BASIC = ("slug", "url", "name", "role", "affiliation", "bio", "wikidata_id", "portrait")
PERSON_DETAIL = (*PERSON_BASIC, "quotes", "quotes_url", "articles", "articles_url")
QUOTE_FIELDS = ("anchor", "order", "text", "context", "url", "speaker", "article")
SECTION_FIELDS = ("slug", "name", "description", "url")
TAG_FIELDS = ("slug", "name", "url")
AUTHOR_FIELDS = ("slug", "name", "bio", "url")


def with_relations(queryset: QuerySet, selection: Selection) -> QuerySet:
    """An article queryset fetching, up front, every relation the selected fields print."""
    related = [name for name in ("section", "lead_image") if name in selection]
    queryset = queryset.select_related(*related)
    prefetches = [name for name in ("tags", "authors", "people") if name in selection]
    if "corrections" in selection or "updated_at" in selection:
        prefetches.append("notes")
    if "quotes" in selection or "body_html" in selection:
        prefetches.append(
            Prefetch("quotes", queryset=Quote.objects.select_related("speaker").order_by("order"))
        )
    if "body_html" in selection and "people" not in selection:
        prefetches.append("people")
    if "body" not in selection and "body_html" not in selection:
        queryset = queryset.defer("body", "body_text")
    return queryset.prefetch_related(*prefetches)


# Items


def state(article: Article) -> str:
    return "scheduled" if article.is_scheduled else article.status


def picture(image, request: HttpRequest) -> dict | None:
    """A library image with its renditions' absolute URLs; None without one, or before its renditions."""
    if image is None or not image.renditions:
        return None
    absolute = request.build_absolute_uri
    renditions = {}
    for kind in ("landscape", "square", "inline"):
        entry = image.renditions.get(kind)
        if entry and "sources" in entry:
            renditions[kind] = {
                "width": entry["width"],
                "height": entry["height"],
                "sources": {
                    kind_of_file: [
                        {"width": width, "url": absolute(default_storage.url(name))} for width, name in pairs
                    ]
                    for kind_of_file, pairs in entry["sources"].items()
                },
            }
    social = social_image(image)
    if social is not None:
        social = {**social, "url": absolute(social["url"])}
    return {
        "alt": "" if image.decorative else image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "width": image.width,
        "height": image.height,
        "renditions": renditions,
        "social": social,
    }


def link(obj, name: str, request: HttpRequest) -> dict:
    return {"slug": obj.slug, "name": name, "url": request.build_absolute_uri(page_of(obj))}


def page_of(obj) -> str:
    if isinstance(obj, Tag):  # django-taggit's tags have no address of their own
        return reverse("articles:tag", kwargs={"slug": obj.slug})
    return obj.get_absolute_url()


def article_ref(article: Article, request: HttpRequest) -> dict:
    return {
        "slug": article.slug,
        "headline": article.headline,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "published_at": article.published_at,
    }


def quote_item(
    quote: Quote, request: HttpRequest, selection: Selection, article: Article | None = None
) -> dict:
    article = article or quote.article
    url = request.build_absolute_uri(article.get_absolute_url())
    values = {
        "anchor": lambda: quote.anchor,
        "order": lambda: quote.order,
        "text": lambda: quote.text,
        "context": lambda: quote.context,
        "url": lambda: f"{url}#{quote.anchor}",
        "speaker": lambda: link(quote.speaker, quote.speaker.name, request),
        "article": lambda: article_ref(article, request),
    }
    return {name: value() for name, value in values.items() if name in selection}


QUOTE_IN_ARTICLE = Selection(frozenset(("anchor", "order", "text", "context", "url", "speaker")))


def article_item(article: Article, request: HttpRequest, selection: Selection) -> dict:
    values = {
        "slug": lambda: article.slug,
        "url": lambda: request.build_absolute_uri(article.get_absolute_url()),
        "headline": lambda: article.headline,
        "standfirst": lambda: article.dek,
        "status": lambda: state(article),
        "section": lambda: link(article.section, article.section.name, request) if article.section else None,
        "tags": lambda: [link(tag, tag.name, request) for tag in sorted(article.tags.all(), key=_by_name)],
        "authors": lambda: [link(author, author.display_name, request) for author in article.authors.all()],
        "byline": lambda: article.credit,
        "published_at": lambda: article.published_at,
        "updated_at": lambda: article.modified_at,
        "lead_image": lambda: picture(article.lead_image, request),
        "body": lambda: article.body,
        "body_html": lambda: str(article.body_html()),
        "quotes": lambda: [
            quote_item(quote, request, QUOTE_IN_ARTICLE, article) for quote in article.quotes.all()
        ],
        "people": lambda: [person_ref(person, request) for person in article.people.all()],
        "corrections": lambda: [
            {"kind": note.kind, "text": note.text, "noted_at": note.noted_at} for note in article.notes.all()
        ],
    }
    return {name: value() for name, value in values.items() if name in selection}


def _by_name(tag) -> str:
    return tag.name.casefold()


def person_ref(person: Person, request: HttpRequest) -> dict:
    return {
        **link(person, person.name, request),
        "role": person.role,
        "affiliation": person.affiliation,
    }


def person_item(person: Person, request: HttpRequest, selection: Selection) -> dict:
    values = {
        "slug": lambda: person.slug,
        "url": lambda: request.build_absolute_uri(person.get_absolute_url()),
        "name": lambda: person.name,
        "role": lambda: person.role,
        "affiliation": lambda: person.affiliation,
        "bio": lambda: person.bio,
        "wikidata_id": lambda: person.wikidata_id,
        "portrait": lambda: picture(person.portrait, request),
    }
    return {name: value() for name, value in values.items() if name in selection}


def person_detail(person: Person, viewer: Viewer, request: HttpRequest, selection: Selection) -> dict:
    """A person, with their newest quotes and articles and where to find the rest."""
    item = person_item(person, request, selection)
    if "quotes" in selection:
        said = (
            quotes(viewer)
            .filter(speaker=person)
            .select_related("article", "speaker")
            .defer("article__body", "article__body_text")
        )
        said = said.order_by(*quote_order(viewer, "newest").order_by())[:PERSON_QUOTES]
        every_field = Selection(frozenset(QUOTE_FIELDS))
        item["quotes"] = [quote_item(quote, request, every_field) for quote in said]
    if "articles" in selection:
        named = articles(viewer).filter(people=person).defer("body", "body_text")
        named = named.order_by(*article_order(viewer, "newest").order_by())[:PERSON_ARTICLES]
        item["articles"] = [article_ref(article, request) for article in named]
    for name, listing in (("quotes_url", "speaker"), ("articles_url", "person")):
        if name in selection:
            endpoint = "api:quotes" if listing == "speaker" else "api:articles"
            item[name] = request.build_absolute_uri(f"{reverse(endpoint)}?{listing}={person.slug}")
    return item


def section_item(section: Section, request: HttpRequest, selection: Selection) -> dict:
    values = {
        "slug": lambda: section.slug,
        "name": lambda: section.name,
        "description": lambda: section.description,
        "url": lambda: request.build_absolute_uri(section.get_absolute_url()),
    }
    return {name: value() for name, value in values.items() if name in selection}


def tag_item(tag: Tag, request: HttpRequest, selection: Selection) -> dict:
    values = {
        "slug": lambda: tag.slug,
        "name": lambda: tag.name,
        "url": lambda: request.build_absolute_uri(page_of(tag)),
    }
    return {name: value() for name, value in values.items() if name in selection}


def author_item(author: Author, request: HttpRequest, selection: Selection) -> dict:
    values = {
        "slug": lambda: author.slug,
        "name": lambda: author.display_name,
        "bio": lambda: author.bio,
        "url": lambda: request.build_absolute_uri(author.get_absolute_url()),
    }
    return {name: value() for name, value in values.items() if name in selection}
