from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.generic import TemplateView

from articles import feeds, views
from articles.sitemaps import SITEMAPS, NewsSitemap

app_name = "articles"

urlpatterns = [
    path("", views.front_page, name="front-page"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("sections/<slug:slug>/", views.section_detail, name="section"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
    path("people/", views.person_list, name="people"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("quotes/", views.quote_list, name="quotes"),
    path("search/", views.search, name="search"),
    # Feeds: RSS 2.0 and Atom of the latest articles and of each section, tag and person.
    path("feeds/latest/rss/", feeds.LatestArticlesFeed(), name="latest-rss"),
    path("feeds/latest/atom/", feeds.LatestArticlesAtomFeed(), name="latest-atom"),
    path("sections/<slug:slug>/rss/", feeds.SectionFeed(), name="section-rss"),
    path("sections/<slug:slug>/atom/", feeds.SectionAtomFeed(), name="section-atom"),
    path("tags/<slug:slug>/rss/", feeds.TagFeed(), name="tag-rss"),
    path("tags/<slug:slug>/atom/", feeds.TagAtomFeed(), name="tag-atom"),
    path("people/<slug:slug>/rss/", feeds.PersonFeed(), name="person-rss"),
    path("people/<slug:slug>/atom/", feeds.PersonAtomFeed(), name="person-atom"),
    # For search engines.
    path("sitemap.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "news-sitemap.xml",
        sitemap_views.sitemap,
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
