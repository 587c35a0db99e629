from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from articles import feeds, views
from articles.sitemaps import SITEMAPS, NewsSitemap


class TagSlugConverter:
    """A tag's slug: django-taggit keeps letters of any script ("zürich", "україна")."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TagSlugConverter, "tag_slug")

app_name = "articles"

urlpatterns = [
    path("", views.front_page, name="front-page"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("sections/<slug:slug>/", views.section_detail, name="section"),
    path("tags/<tag_slug:slug>/", views.tag_detail, name="tag"),
    path("people/", views.person_list, name="people"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("quotes/", views.quote_list, name="quotes"),
    path("search/", views.search, name="search"),
    # Feeds: RSS 2.0 and Atom of the latest articles and of each section, tag and person.
    path("feeds/latest/rss/", require_safe(feeds.LatestArticlesFeed()), name="latest-rss"),
    path("feeds/latest/atom/", require_safe(feeds.LatestArticlesAtomFeed()), name="latest-atom"),
    path("sections/<slug:slug>/rss/", require_safe(feeds.SectionFeed()), name="section-rss"),
    path("sections/<slug:slug>/atom/", require_safe(feeds.SectionAtomFeed()), name="section-atom"),
    path("tags/<tag_slug:slug>/rss/", require_safe(feeds.TagFeed()), name="tag-rss"),
    path("tags/<tag_slug:slug>/atom/", require_safe(feeds.TagAtomFeed()), name="tag-atom"),
    path("people/<slug:slug>/rss/", require_safe(feeds.PersonFeed()), name="person-rss"),
    path("people/<slug:slug>/atom/", require_safe(feeds.PersonAtomFeed()), name="person-atom"),
    # For search engines.
    path("sitemap.xml", require_safe(sitemap_views.sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "news-sitemap.xml",
        require_safe(sitemap_views.sitemap),
        {"sitemaps": {"news": NewsSitemap}, "template_name": "articles/news_sitemap.xml"},
        name="news-sitemap",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots",
    ),
    path("authors/<slug:slug>/", views.author_detail, name="author"),
]
