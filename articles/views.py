"""Public pages. Every list starts from Article.objects.published()."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from articles.models import Article, Person, Quote, Section

ARTICLES_PER_PAGE = 20
FRONT_PAGE_ARTICLES = 30


def _article_list():
    return Article.objects.published().select_related("section")


def _page(request: HttpRequest, queryset, per_page: int = ARTICLES_PER_PAGE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def front_page(request: HttpRequest) -> HttpResponse:
    """The latest published articles: the newest as the lead, the rest grouped by section."""
    latest = list(_article_list()[:FRONT_PAGE_ARTICLES])
    lead, rest = (latest[0], latest[1:]) if latest else (None, [])
    by_section: dict[Section, list[Article]] = {}
    for article in rest:
        by_section.setdefault(article.section, []).append(article)
    sections = sorted(by_section.items(), key=lambda item: (item[0].order, item[0].name))
    return render(request, "articles/front_page.html", {"lead": lead, "sections": sections})


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An article with its quotes marked in place and its people and tags linked."""
    article = get_object_or_404(
        Article.objects.published()
        .select_related("section")
        .prefetch_related(
            "tags",
            "people",
            Prefetch("quotes", queryset=Quote.objects.select_related("speaker").order_by("order")),
        ),
        slug=slug,
    )
    return render(request, "articles/article_detail.html", {"article": article})


def section_detail(request: HttpRequest, slug: str) -> HttpResponse:
    section = get_object_or_404(Section, slug=slug)
    page = _page(request, _article_list().filter(section=section))
    return render(
        request,
        "articles/section_detail.html",
        {"section": section, "page": page, "current_section_slug": section.slug},
    )


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A tag's published articles; a tag that only drafts carry does not exist for readers."""
    tag = get_object_or_404(Tag, slug=slug)
    articles = _article_list().filter(tags=tag)
    page = _page(request, articles)
    if not page.object_list:
        raise Http404("No published article carries this tag.")
    return render(request, "articles/tag_detail.html", {"tag": tag, "page": page})


def person_list(request: HttpRequest) -> HttpResponse:
    published = Article.objects.published()
    people = Person.objects.public().annotate(
        quote_count=Count("quotes", filter=Q(quotes__article__in=published), distinct=True)
    )
    page = _page(request, people, per_page=50)
    return render(request, "articles/person_list.html", {"page": page})


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A person's role, bio, quotes (each linking into its article) and the articles naming them."""
    person = get_object_or_404(Person.objects.public(), slug=slug)
    published = Article.objects.published()
    quotes = (
        person.quotes.filter(article__in=published)
        .select_related("article")
        .order_by("-article__published_at", "order")
    )
    articles = published.filter(people=person).select_related("section")
    return render(
        request,
        "articles/person_detail.html",
        {"person": person, "quotes": quotes, "articles": articles},
    )
