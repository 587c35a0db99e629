"""
Sitemaps of everything public (/sitemap.xml, with each article's lead picture as Google's
image:image) and a Google News sitemap of the last two days' articles (/news-sitemap.xml).
Only published articles, and the sections, tags and people that published articles carry, are
listed.
"""

import datetime
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KeyTransform
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, ArticleNote, Person, Section, public
from images.models import Image
from images.rendering import social_image

NEWS_WINDOW = datetime.timedelta(days=2)
NEWS_LIMIT = 1000  # Google reads at most 1,000 articles from a news sitemap.


def latest_publication(articles: QuerySet) -> Subquery:
    """The newest publication time among ``articles`` (an OuterRef-filtered queryset)."""
    return Subquery(articles.order_by("-published_at").values("published_at")[:1])


class ArticleSitemap(Sitemap):
    """Every published article, with its lead picture (Google's image sitemap: image:image)."""

    def items(self):
        # Up to 50,000 articles a page: only the columns the sitemap prints, and each one's latest
        # correction or update as a subquery (not a prefetch sending 50,000 ids back). Of the lead
        # picture, only its social rendition's entry: not the picture's every rendition.
        latest_note = ArticleNote.objects.filter(article=OuterRef("pk")).order_by("-noted_at")
        return (
            Article.objects.published()
            .only("slug", "published_at", "revised_at")
            .annotate(
                latest_note=Subquery(latest_note.values("noted_at")[:1]),
                social_picture=KeyTransform("social", "lead_image__renditions"),
            )
            .order_by("-published_at", "pk")
        )

    def lastmod(self, article: Article):
        # As Article.modified_at: publication, a revision of its text, or the latest correction or update.
        return max(filter(None, (article.published_at, article.revised_at, article.latest_note)))

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            # The picture's own rendition entry is all social_image() reads.
            picture = social_image(Image(renditions={"social": url["item"].social_picture or {}}))
            url["images"] = [urljoin(url["location"], picture["url"])] if picture else []
        return urls


class SectionSitemap(Sitemap):
    def items(self):
        in_section = Article.objects.published().filter(section=OuterRef("pk"))
        return Section.objects.filter(Exists(in_section)).annotate(latest=latest_publication(in_section))

    def lastmod(self, section: Section):
        return section.latest


class TagSitemap(Sitemap):
    def items(self):
        tagged = Article.objects.published().filter(tags=OuterRef("pk"))
        return Tag.objects.filter(Exists(tagged)).annotate(latest=latest_publication(tagged)).order_by("name")

    def location(self, tag: Tag) -> str:
        return reverse("articles:tag", kwargs={"slug": tag.slug})

    def lastmod(self, tag: Tag):
        return tag.latest


class PersonSitemap(Sitemap):
    def items(self):
        # One pass over the article–person links (GROUP BY), rather than a search for each
        # person's newest article, which is slow for the many people named only long ago.
        return (
            Person.objects.public()
            .annotate(latest=Max("articles__published_at", filter=public(through="articles__")))
            .order_by("name", "pk")
        )

    def lastmod(self, person: Person):
        return person.latest


class PageSitemap(Sitemap):
    """The public pages that are not one thing's page: the front page and the indexes."""

    def items(self) -> list[str]:
        return ["articles:front-page", "articles:people", "articles:quotes"]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "people": PersonSitemap,
}


def news_language(language_code: str) -> str:
    """The language as Google News sitemaps name it: ISO 639 ("en"), but "zh-cn" and "zh-tw"."""
    code = language_code.lower()
    return code if code in {"zh-cn", "zh-tw"} else code.split("-")[0]


class NewsSitemap(Sitemap):
    """Articles published in the last two days, in Google's news-sitemap format (template)."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .order_by("-published_at", "pk")[:NEWS_LIMIT]
        )

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        publication = {"name": settings.SITE_NAME, "language": news_language(settings.LANGUAGE_CODE)}
        for url in urls:
            url["publication"] = publication
            url["publication_date"] = url["item"].published_at.replace(microsecond=0).isoformat()
        return urls
