from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from pagecache import keys
from pagecache.pages import public_page
from public import feeds, views
from public.sitemaps import SITEMAPS, NewsSitemap


class TagSlugConverter:
    """A tag's slug: django-taggit keeps letters of any script ("zürich", "україна")."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TagSlugConverter, "tag_slug")

app_name = "articles"

# Pages listing the newest stories, and what else sitemaps list: sections, tags, people, authors.
LATEST = (keys.ARTICLES,)
SITEMAP = (keys.ARTICLES, keys.PEOPLE)

urlpatterns = [
    path("", public_page(views.front_page, keys=(keys.FRONT, keys.ARTICLES)), name="front-page"),
    path("articles/<slug:slug>/", public_page(views.article_detail), name="detail"),
    path("sections/<slug:slug>/", public_page(views.section_detail, reads=("page",)), name="section"),
    path("tags/<tag_slug:slug>/", public_page(views.tag_detail, reads=("page",)), name="tag"),
    path("people/", public_page(views.person_list, reads=("page",), keys=(keys.PEOPLE,)), name="people"),
    path(
        "people/<slug:slug>/", public_page(views.person_detail, reads=("quotes", "articles")), name="person"
    ),
    path("quotes/", public_page(views.quote_list, reads=("page",), keys=(keys.QUOTES,)), name="quotes"),
    path("search/", public_page(views.search, reads=("q", "page"), keys=(keys.SEARCH,)), name="search"),
    # Feeds: RSS 2.0 and Atom of the latest articles and of each section, tag and person.
    path(
        "feeds/latest/rss/",
        public_page(require_safe(feeds.LatestArticlesFeed()), keys=LATEST),
        name="latest-rss",
    ),
    path(
        "feeds/latest/atom/",
        public_page(require_safe(feeds.LatestArticlesAtomFeed()), keys=LATEST),
        name="latest-atom",
    ),
    path("sections/<slug:slug>/rss/", public_page(require_safe(feeds.SectionFeed())), name="section-rss"),
    path(
        "sections/<slug:slug>/atom/", public_page(require_safe(feeds.SectionAtomFeed())), name="section-atom"
    ),
    path("tags/<tag_slug:slug>/rss/", public_page(require_safe(feeds.TagFeed())), name="tag-rss"),
    path("tags/<tag_slug:slug>/atom/", public_page(require_safe(feeds.TagAtomFeed())), name="tag-atom"),
    path("people/<slug:slug>/rss/", public_page(require_safe(feeds.PersonFeed())), name="person-rss"),
    path("people/<slug:slug>/atom/", public_page(require_safe(feeds.PersonAtomFeed())), name="person-atom"),
    # For search engines.
    path(
        "sitemap.xml",
        public_page(require_safe(sitemap_views.sitemap), reads=("p",), keys=SITEMAP),
        {"sitemaps": SITEMAPS, "template_name": "articles/sitemap.xml"},
        name="sitemap",
    ),
    path(
        "news-sitemap.xml",
        # Django's sitemap view splits a sitemap of more than 50,000 addresses into ?p= pages.
        public_page(require_safe(sitemap_views.sitemap), reads=("p",), keys=SITEMAP),
        {"sitemaps": {"news": NewsSitemap}, "template_name": "articles/news_sitemap.xml"},
        name="news-sitemap",
    ),
    path(
        "robots.txt",
        public_page(
            TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8")
        ),
        name="robots",
    ),
    path("authors/<slug:slug>/", public_page(views.author_detail, reads=("page",)), name="author"),
]
