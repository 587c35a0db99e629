"""
What the API takes and gives, as pydantic models: Django Ninja makes the OpenAPI schema from them
and checks every answer against it. Each item's fields are optional in the schema because
``fields=`` and ``include=`` choose which of them an answer carries; a field sent is never
absent-and-null by surprise (null is written out only where the schema says a value may be null).
"""

import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import field_validator

from api.paging import MAX_CURSOR_LENGTH

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
SLUG = r"^[-\w]+$"
NAMES = r"^[a-z_]+(,[a-z_]+)*$"


class Problem(Schema):
    detail: str = Field(description="What was wrong, and what to do instead: one line.")


ERRORS = {400: Problem, 401: Problem, 404: Problem, 429: Problem}


# What clients send


class Fields(Schema):
    fields: str | None = Field(
        None, max_length=300, pattern=NAMES, description="Only these fields of each item, comma-separated."
    )


class ArticleShape(Fields):
    include: str | None = Field(
        None, max_length=100, pattern=NAMES, description="Add body, quotes, people or corrections."
    )


class Paging(Fields):
    cursor: str | None = Field(
        None,
        max_length=MAX_CURSOR_LENGTH,
        description="next_cursor of the page before; none for the first page.",
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page, 1 to {MAX_LIMIT}.")


class Window(Schema):
    since: datetime.datetime | None = Field(
        None, description="Published at or after: a date (2025-01-31) or a time (2025-01-31T12:00:00Z)."
    )
    until: datetime.datetime | None = Field(None, description="Published before this date or time.")

    @field_validator("since", "until")
    @classmethod
    def within_range(cls, value: datetime.datetime | None):
        if value is None:
            return value
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        try:
            value.astimezone(datetime.UTC)
        except OverflowError:
            raise ValueError("a date between the years 1 and 9999") from None
        return value


def _slug(description: str):
    return Field(None, max_length=300, pattern=SLUG, description=description)


class ArticleQuery(Paging, ArticleShape, Window):
    section: str | None = _slug("Only this section's articles (its slug).")
    tag: str | None = _slug("Only articles with this tag (its slug).")
    author: str | None = _slug("Only this author's articles (their slug).")
    person: str | None = _slug("Only articles naming or quoting this person (their slug).")
    order: Literal["newest", "oldest"] = Field("newest", description="Newest first (the default) or oldest.")


class QuoteQuery(Paging, Window):
    speaker: str | None = _slug("Only this person's quotes (their slug).")
    article: str | None = _slug("Only this article's quotes (its slug).")
    tag: str | None = _slug("Only quotes in articles with this tag (its slug).")
    section: str | None = _slug("Only quotes in this section's articles (its slug).")
    q: str | None = Field(None, max_length=200, description="Only quotes whose words contain this text.")
    order: Literal["newest", "oldest"] = Field("newest", description="Newest first (the default) or oldest.")

    @field_validator("q")
    @classmethod
    def printable(cls, value: str | None):
        if value is not None and any(ord(character) < 32 for character in value):
            raise ValueError("text without control characters")
        return value


# What clients get


class Link(Schema):
    slug: str
    name: str
    url: str = Field(description="The public page.")


class Source(Schema):
    width: int
    url: str


class Rendition(Schema):
    width: int
    height: int
    sources: dict[str, list[Source]] = Field(description="By format (webp, jpeg or png), widths ascending.")


class Social(Schema):
    url: str
    width: int
    height: int
    type: str


class Picture(Schema):
    alt: str = Field(description="Empty for a decorative picture.")
    caption: str
    credit: str
    width: int
    height: int
    renditions: dict[str, Rendition] = Field(
        description="landscape (3:2), square (1:1) and inline (as shot)."
    )
    social: Social | None


class Correction(Schema):
    kind: str
    text: str
    noted_at: datetime.datetime


class Speaker(Schema):
    slug: str
    name: str
    url: str


class ArticleRef(Schema):
    slug: str
    headline: str
    url: str
    published_at: datetime.datetime | None


class QuoteOut(Schema):
    anchor: str = None
    order: int = None
    text: str = None
    context: str = None
    url: str = Field(None, description="The quote in its article's page.")
    speaker: Speaker = None
    article: ArticleRef = None


class PersonRef(Schema):
    slug: str
    name: str
    role: str
    affiliation: str
    url: str


class ArticleOut(Schema):
    slug: str = None
    url: str = Field(None, description="The public page.")
    headline: str = None
    standfirst: str = None
    status: Literal["draft", "review", "scheduled", "published", "withdrawn"] = None
    section: Link | None = None
    tags: list[Link] = None
    authors: list[Link] = None
    byline: str = Field(None, description="A credit printed after the authors, e.g. an agency.")
    published_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = Field(None, description="The last revision or correction.")
    lead_image: Picture | None = None
    body: str = Field(None, description="The body in its stored form (docs/editors.md).")
    body_html: str = Field(None, description="The body as the page shows it.")
    quotes: list[QuoteOut] = None
    people: list[PersonRef] = None
    corrections: list[Correction] = None


class PersonOut(Schema):
    slug: str = None
    url: str = None
    name: str = None
    role: str = None
    affiliation: str = None
    bio: str = None
    wikidata_id: str = None
    portrait: Picture | None = None
    quotes: list[QuoteOut] = Field(None, description="The newest quotes; quotes_url has them all.")
    quotes_url: str = None
    articles: list[ArticleRef] = Field(None, description="The newest articles; articles_url has them all.")
    articles_url: str = None


class SectionOut(Schema):
    slug: str = None
    name: str = None
    description: str = None
    url: str = None


class TagOut(Schema):
    slug: str = None
    name: str = None
    url: str = None


class AuthorOut(Schema):
    slug: str = None
    name: str = None
    bio: str = None
    url: str = None


def _page_of(item: type[Schema], name: str) -> type[Schema]:
    return type(
        name,
        (Schema,),
        {
            "__annotations__": {"items": list[item], "next_cursor": str | None, "next": str | None},
            "next_cursor": Field(description="Pass as cursor= for the next page; null on the last."),
            "next": Field(description="The next page's address; null on the last."),
        },
    )


ArticlePage = _page_of(ArticleOut, "ArticlePage")
QuotePage = _page_of(QuoteOut, "QuotePage")
PersonPage = _page_of(PersonOut, "PersonPage")
TagPage = _page_of(TagOut, "TagPage")
AuthorPage = _page_of(AuthorOut, "AuthorPage")


class SectionList(Schema):
    items: list[SectionOut]
