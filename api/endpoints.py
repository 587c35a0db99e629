"""
The content API's endpoints, with Django Ninja (docs/api.md for its users, docs/architecture.md
for why Ninja). Thin: each takes its checked query, asks api.content for what this client may
read, pages it by keyset (api.paging) and gives each item the fields asked for.
"""

from django.conf import settings
from django.http import HttpRequest
from ninja import NinjaAPI, Query, Swagger
from ninja.errors import HttpError, ValidationError

from api import content, schemas
from api.access import PreviewKey, anyone
from api.paging import BadCursor, page
from pagecache import keys


class ContentAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__  # "quote_list", not "api_endpoints_quote_list"

    def get_openapi_schema(self, *args, **kwargs):
        """The schema, saying that the key is optional: without one, an endpoint gives published content."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                if operation.get("security"):
                    operation["security"] = [*operation["security"], {}]
        return schema


api = ContentAPI(
    title=f"{settings.SITE_NAME} content API",
    version="1",
    description="Published stories, people and who said what (docs/api.md).",
    urls_namespace="api",
    auth=[PreviewKey(), anyone],
    # Swagger UI from Django Ninja's own static files, started by its script file: no CDN and no
    # inline script, so the site's Content-Security-Policy holds on the docs page too.
    docs=Swagger(settings={"validatorUrl": None, "tryItOutEnabled": True}),
)


@api.exception_handler(ValidationError)
def bad_parameter(request: HttpRequest, error: ValidationError):
    """A value the schema refuses: 400 and one line naming the parameter, not Ninja's 422 list."""
    first = error.errors[0]
    where = [str(part) for part in first.get("loc", ()) if part not in ("query", "path", "filters")]
    message = " ".join(str(first.get("msg", "not valid")).split()).removeprefix("Value error, ")
    name = where[-1] if where else "the query"
    return api.create_response(request, {"detail": f"Bad value for {name}: {message}."}, status=400)


@api.exception_handler(BadCursor)
def bad_cursor(request: HttpRequest, error: BadCursor):
    return api.create_response(request, {"detail": str(error)}, status=400)


@api.exception_handler(Exception)
def unexpected(request: HttpRequest, error: Exception):
    # Django's handlers answer, as for a page: the 503 page for a lost database, else the 500 page.
    raise error


def _next(request: HttpRequest, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _listing(request: HttpRequest, found, make) -> dict:
    return {
        "items": [make(row) for row in found.rows],
        "next_cursor": found.next_cursor,
        "next": _next(request, found.next_cursor),
    }


@api.get(
    "/articles/",
    response={200: schemas.ArticlePage, **schemas.ERRORS},
    url_name="articles",
    exclude_unset=True,
)
def article_list(request: HttpRequest, query: Query[schemas.ArticleQuery]):
    """Articles, newest first: filter by section, tag, author, person and publication time."""
    viewer = request.auth
    selection = content.select(
        query.fields,
        query.include,
        basic=content.ARTICLE_BASIC,
        extra=content.ARTICLE_EXTRA,
        detail_only=("body_html",),
        what="articles",
    )
    found = content.articles(viewer)
    found = content.filtered(
        found,
        query,
        {"section": "section_id", "tag": "tagged_items__tag_id", "author": "authors", "person": "people"},
    )
    found = content.within(found, viewer, "published_at", query.since, query.until)
    found = content.with_relations(found, selection)
    result = page(
        found, content.article_order(viewer, query.order), content.ARTICLE_KEYS, query.cursor, query.limit
    )
    return _listing(request, result, lambda article: content.article_item(article, request, selection))


@api.get(
    "/articles/{slug}/",
    response={200: schemas.ArticleOut, **schemas.ERRORS},
    url_name="article",
    exclude_unset=True,
)
def article_detail(request: HttpRequest, slug: str, query: Query[schemas.ArticleShape]):
    """An article: its body in the stored form and as HTML, its picture, quotes, people and tags."""
    selection = content.select(
        query.fields,
        query.include,
        basic=content.ARTICLE_DETAIL,
        extra=content.ARTICLE_EXTRA,
        what="articles",
    )
    article = content.with_relations(content.articles(request.auth), selection).filter(slug=slug).first()
    if article is None:
        raise HttpError(404, "No published article has this slug.")
    return content.article_item(article, request, selection)


@api.get(
    "/quotes/", response={200: schemas.QuotePage, **schemas.ERRORS}, url_name="quotes", exclude_unset=True
)
def quote_list(request: HttpRequest, query: Query[schemas.QuoteQuery]):
    """
    Quotes, newest first, each with its speaker and article: filter by speaker, article, tag,
    section, publication time and words. Everything one person said on a topic is
    ``?speaker=…&tag=…``.
    """
    viewer = request.auth
    selection = content.select(query.fields, None, basic=content.QUOTE_FIELDS, what="quotes")
    found = (
        content.quotes(viewer)
        .select_related("article", "speaker")
        .defer("article__body", "article__body_text")
    )
    lookups = {
        "speaker": "speaker_id",
        "article": "article_id",
        "tag": "article__tagged_items__tag_id",
        "section": "article__section_id",
    }
    found = content.filtered(found, query, lookups)
    if query.q:
        found = found.filter(text__icontains=query.q)
    found = content.within(found, viewer, "article__published_at", query.since, query.until)
    result = page(
        found, content.quote_order(viewer, query.order), content.QUOTE_KEYS, query.cursor, query.limit
    )
    return _listing(request, result, lambda quote: content.quote_item(quote, request, selection))


@api.get(
    "/people/", response={200: schemas.PersonPage, **schemas.ERRORS}, url_name="people", exclude_unset=True
)
def person_list(request: HttpRequest, query: Query[schemas.Paging]):
    """People in the news, by name."""
    selection = content.select(query.fields, None, basic=content.PERSON_BASIC, what="people")
    found = content.people(request.auth).select_related("portrait")
    result = page(found, content.by_name("people"), content.NAME_KEYS, query.cursor, query.limit)
    return _listing(request, result, lambda person: content.person_item(person, request, selection))


@api.get(
    "/people/{slug}/",
    response={200: schemas.PersonOut, **schemas.ERRORS},
    url_name="person",
    exclude_unset=True,
)
def person_detail(request: HttpRequest, slug: str, query: Query[schemas.Fields]):
    """A person, with their newest quotes and articles, and the lists that have all of them."""
    selection = content.select(query.fields, None, basic=content.PERSON_DETAIL, what="people")
    person = content.people(request.auth).select_related("portrait").filter(slug=slug).first()
    if person is None:
        raise HttpError(404, "Nobody in a published article has this slug.")
    keys.lists_of(person)
    return content.person_detail(person, request.auth, request, selection)


@api.get(
    "/sections/",
    response={200: schemas.SectionList, **schemas.ERRORS},
    url_name="sections",
    exclude_unset=True,
)
def section_list(request: HttpRequest, query: Query[schemas.Fields]):
    """Every section, in the navigation's order."""
    selection = content.select(query.fields, None, basic=content.SECTION_FIELDS, what="sections")
    return {"items": [content.section_item(section, request, selection) for section in content.sections()]}


@api.get("/tags/", response={200: schemas.TagPage, **schemas.ERRORS}, url_name="tags", exclude_unset=True)
def tag_list(request: HttpRequest, query: Query[schemas.Paging]):
    """Tags of published articles, by name."""
    selection = content.select(query.fields, None, basic=content.TAG_FIELDS, what="tags")
    result = page(
        content.tags(request.auth), content.by_name("tags"), content.NAME_KEYS, query.cursor, query.limit
    )
    return _listing(request, result, lambda tag: content.tag_item(tag, request, selection))


@api.get(
    "/authors/", response={200: schemas.AuthorPage, **schemas.ERRORS}, url_name="authors", exclude_unset=True
)
def author_list(request: HttpRequest, query: Query[schemas.Paging]):
    """Staff authors of published articles, by name."""
    selection = content.select(query.fields, None, basic=content.AUTHOR_FIELDS, what="authors")
    order = content.by_name("authors", field="display_name")
    result = page(content.authors(request.auth), order, content.NAME_KEYS, query.cursor, query.limit)
    return _listing(request, result, lambda author: content.author_item(author, request, selection))


# The query parameters each endpoint reads (by its URL name): the page cache keys its copies by
# them alone, and api.middleware refuses any other.
QUERIES = {
    "articles": schemas.ArticleQuery,
    "article": schemas.ArticleShape,
    "quotes": schemas.QuoteQuery,
    "people": schemas.Paging,
    "person": schemas.Fields,
    "sections": schemas.Fields,
    "tags": schemas.Paging,
    "authors": schemas.Paging,
}
READS = {name: tuple(query.model_fields) for name, query in QUERIES.items()}
# The lists each endpoint shows that are no one row's (pagecache.keys); rows add their own keys.
KEYS = {
    "articles": (keys.ARTICLES,),
    "quotes": (keys.QUOTES,),
    "people": (keys.PEOPLE,),
    "tags": (keys.ARTICLES,),
    "authors": (keys.ARTICLES,),
}
