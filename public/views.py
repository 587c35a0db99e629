"""Public pages. Every list starts from Article.objects.published(); every view is read-only (GET, HEAD)."""

from django.core.paginator import InvalidPage
from django.db.models import OuterRef, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe
from taggit.models import Tag

from articles import workflow
from articles.models import Article, Author, Person, Placement, Quote, Section
from articles.search import run_search
from newsroom.paging import BoundedPaginator, CountUpTo
from pagecache import keys
from public.templatetags.cards import CARD_AUTHORS

ARTICLES_PER_PAGE = 20
QUOTES_PER_PAGE = 20
FRONT_PAGE_ARTICLES = 30
# Stories under the lead with a bigger card, placed by editors or the newest.
TOP_STORIES = 4
QUOTES_COUNTED = 100
# A quote card shows the quote and its article's brief (headline, address, date): a person's page
# read so is not dropped when one of their stories' standfirst or body is edited.
QUOTE_CARD_FIELDS = (
    "article",
    "speaker",
    "text",
    "context",
    "order",
    *(f"article__{name}" for name in keys.ARTICLE_BRIEF),
)


def _article_list():
    """Published articles as cards, with their bylines as lists (cards.CARD_AUTHORS)."""
    return Article.objects.published().cards().prefetch_related(None).prefetch_related(CARD_AUTHORS)


def _page(
    request: HttpRequest,
    queryset,
    per_page: int = ARTICLES_PER_PAGE,
    param: str = "page",
    counted: int | None = None,
):
    """
    The page of ``queryset`` that ?param= names, page 1 when none is named. A number that is not
    a page of the list is not found, so that no address serves a copy of another page.
    ``counted``: the list's rows, counted as far as _limit() says (CountUpTo).
    """
    number = request.GET.get(param) or 1
    # Bounded: counting every article of a big section would grow with the archive (newsroom.paging).
    try:
        return BoundedPaginator(queryset, per_page, counted=counted).page(number)
    except InvalidPage:
        raise Http404(f"This list has no page {number}.") from None


def _limit(request: HttpRequest, per_page: int, param: str) -> int:
    """How far _page() counts the list to show the page ?param= names."""
    return BoundedPaginator.limit_for(request.GET.get(param) or 1, per_page)


@require_safe
def front_page(request: HttpRequest) -> HttpResponse:
    """
    The editors' choice first, then the news: the articles placed on the front page in their
    order (position 1 is the lead), then the latest, newest first. The lead and the top stories
    come first; the rest are grouped by section.
    """
    # Of two stories at one position, the one placed last goes first.
    placed = list(
        _article_list()
        .filter(placement__in=Placement.objects.current())
        .order_by("placement__position", "-placement__placed_at")
        .prefetch_related(None)[:FRONT_PAGE_ARTICLES]
    )
    latest = _article_list().exclude(pk__in=[article.pk for article in placed]).prefetch_related(None)
    stories = placed + list(latest[: FRONT_PAGE_ARTICLES - len(placed)])
    prefetch_related_objects(stories, CARD_AUTHORS)  # every byline in one query
    lead, rest = (stories[0], stories[1:]) if stories else (None, [])
    # Every placed story is a top story, and the newest fill up to TOP_STORIES.
    top_count = max(TOP_STORIES, len(placed) - 1)
    top, rest = rest[:top_count], rest[top_count:]
    by_section: dict[Section, list[Article]] = {}
    for article in rest:
        by_section.setdefault(article.section, []).append(article)
    sections = sorted(by_section.items(), key=lambda item: (item[0].order, item[0].name))
    return render(request, "articles/front_page.html", {"lead": lead, "top": top, "sections": sections})


@require_safe
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """
    An article with its quotes marked in place and its people and tags linked.

    Staff who can see an unpublished article in the admin get a preview with a banner;
    readers get 404 for it, and 410 Gone for an article that was withdrawn.
    """
    articles = Article.objects.reading()
    article = articles.published().filter(slug=slug).order_by().first()  # one slug, one article: no sort
    if article is not None:
        return _article_page(request, article)

    article = get_object_or_404(articles, slug=slug)
    if workflow.can_preview(request.user, article):
        response = _article_page(request, article, preview=True)
        add_never_cache_headers(response)
        return response
    if article.status == Article.Status.WITHDRAWN:
        return render(request, "410.html", {"article": article}, status=410)
    raise Http404("No published article has this address.")


def _article_page(request: HttpRequest, article: Article, preview: bool = False) -> HttpResponse:
    """
    The article, and what to read next: stories sharing its people and tags, more from its
    section. Both are parts kept by the keys of what they show (public.templatetags.pieces), which
    fetch their rows only when they are made: a page dropped because a story under it changed
    reads the article's own rows no more.
    """
    return render(request, "articles/article_detail.html", {"article": article, "preview": preview})


@require_safe
def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A staff author's page: their byline name, bio and published articles; none, no page."""
    author = get_object_or_404(Author.objects.public(), slug=slug)
    keys.lists_of(author)
    page = _page(request, _article_list().filter(authors=author))
    return render(request, "articles/author_detail.html", {"author": author, "page": page})


@require_safe
def section_detail(request: HttpRequest, slug: str) -> HttpResponse:
    section = get_object_or_404(Section, slug=slug)
    keys.lists_of(section)
    page = _page(request, _article_list().filter(section=section))
    return render(
        request,
        "articles/section_detail.html",
        {"section": section, "page": page, "current_section_slug": section.slug},
    )


@require_safe
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A tag's published articles; a tag that only drafts carry does not exist for readers."""
    tag = get_object_or_404(Tag, slug=slug)
    keys.lists_of(tag)
    articles = _article_list().filter(tags=tag)
    page = _page(request, articles)
    if not page.object_list:
        raise Http404("No published article carries this tag.")
    return render(request, "articles/tag_detail.html", {"tag": tag, "page": page})


@require_safe
def person_list(request: HttpRequest) -> HttpResponse:
    # Counted for the page's 50 people only, and only so far: "100+ quotes".
    quoted = Quote.objects.published().filter(speaker=OuterRef("pk"))
    people = (
        Person.objects.public()
        .select_related("portrait")
        .annotate(quote_count=CountUpTo(quoted, QUOTES_COUNTED))
        .order_by("name", "slug")
    )
    page = _page(request, people, per_page=50)
    return render(request, "articles/person_list.html", {"page": page, "quotes_counted": QUOTES_COUNTED})


@require_safe
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A person's role, bio, quotes (each linking into its article) and the articles naming them."""
    # Two lists, each with its own page number in the query: ?quotes=2, ?articles=3, both counted
    # in the query that finds the person.
    person = get_object_or_404(
        Person.objects.select_related("portrait").counted(
            quotes=_limit(request, QUOTES_PER_PAGE, "quotes"),
            articles=_limit(request, ARTICLES_PER_PAGE, "articles"),
        ),
        slug=slug,
    )
    if not (person.quotes_counted or person.articles_counted):  # not public()
        raise Http404("No published article names or quotes this person.")
    keys.lists_of(person)
    quotes = (
        person.quotes.published()
        .select_related("article")
        .only(*QUOTE_CARD_FIELDS)
        .order_by("-article__published_at", "order")
    )
    articles = _article_list().filter(people=person)
    return render(
        request,
        "articles/person_detail.html",
        {
            "person": person,
            "quotes": _page(request, quotes, QUOTES_PER_PAGE, "quotes", counted=person.quotes_counted),
            "articles": _page(
                request, articles, ARTICLES_PER_PAGE, "articles", counted=person.articles_counted
            ),
        },
    )


@require_safe
def quote_list(request: HttpRequest) -> HttpResponse:
    """The latest quotes from published articles, each with its speaker and its article."""
    quotes = (
        Quote.objects.published()
        .cards()
        .select_related("speaker")
        .order_by("-article__published_at", "-article_id", "order")
    )
    return render(request, "articles/quote_list.html", {"page": _page(request, quotes, QUOTES_PER_PAGE)})


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """
    Articles, people and quotes matching ?q= (see articles.search); no query shows the form. A
    query the search refuses says what to change; one that ran out of time is a 503.
    """
    results = run_search(request.GET.get("q", ""), request.GET.get("page"))
    return render(
        request,
        "articles/search.html",
        {"results": results, "query": results.query},
        status=503 if results.took_too_long else 200,
    )
