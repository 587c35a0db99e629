"""
RSS 2.0 and Atom feeds of published articles: the latest, and each section's, tag's and person's,
each item with its lead picture. Every feed starts from Article.objects.published().
"""

import re
from html import escape
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from taggit.models import Tag

from articles.models import Article, Person, Section
from images.rendering import social_image
from pagecache import keys

FEED_ITEMS = 20
MEDIA_RSS = "http://search.yahoo.com/mrss/"

# Characters XML 1.0 cannot carry (control characters pasted from a word processor, say): Django's
# feed writer refuses them with an error, so they are left out of every feed's text.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value):
    """``value`` (text, or a list of texts) without the characters XML 1.0 cannot carry."""
    if isinstance(value, str):
        return XML_ILLEGAL.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(xml_text(item) for item in value)
    return value


class XmlSafeFeedMixin:
    """A feed generator that drops XML-illegal characters from every text it is given."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(xml_text, args), **{key: xml_text(value) for key, value in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(xml_text, args), **{key: xml_text(value) for key, value in kwargs.items()})


class PictureFeedMixin:
    """
    An item's lead picture, in the two forms feed readers look for: an enclosure (RSS's own, and
    Atom's link rel="enclosure") and Media RSS's media:content, which also carries the size, the
    alt text and the credit. The picture is the 1200 × 630 rendition social networks show.
    """

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS}

    def add_item(self, *args, picture=None, **kwargs):
        if picture is not None:
            # The item's link is a full URL; the picture's is a path on the same site (or a full
            # URL of the storage's own, which urljoin keeps as it is).
            picture = {**picture, "url": urljoin(kwargs["link"], picture["url"])}
            # Its size in bytes as recorded when it was made; 0 for one made before sizes were
            # recorded, as the RSS Advisory Board recommends for an unknown length.
            kwargs["enclosures"] = [Enclosure(picture["url"], str(picture["bytes"]), picture["type"])]
        super().add_item(*args, picture=picture, **kwargs)

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        picture = item.get("picture")
        if picture is None:
            return
        attributes = {
            "medium": "image",
            **{key: str(picture[key]) for key in ("url", "type", "width", "height")},
        }
        handler.startElement("media:content", attributes)
        if picture["alt"]:
            handler.addQuickElement("media:description", picture["alt"], {"type": "plain"})
        if picture["credit"]:
            handler.addQuickElement("media:credit", picture["credit"])
        handler.endElement("media:content")


class RssFeed(XmlSafeFeedMixin, PictureFeedMixin, Rss201rev2Feed):
    pass


class AtomFeed(XmlSafeFeedMixin, PictureFeedMixin, Atom1Feed):
    pass


def feed_articles(articles: QuerySet) -> QuerySet:
    """The newest articles of a feed, with what each item prints fetched up front."""
    return articles.select_related("section", "lead_image").prefetch_related("tags", "authors", "notes")[
        :FEED_ITEMS
    ]


def credit(article: Article) -> str:
    """Who wrote it, as a byline prints it: the staff authors, then the free-text credit."""
    names = [author.display_name for author in article.authors.all()]
    return ", ".join([*names, article.credit] if article.credit else names)


class LatestArticlesFeed(Feed):
    """The latest published articles, all sections."""

    feed_type = RssFeed

    def title(self, obj=None) -> str:
        return f"{settings.SITE_NAME}: latest news"

    def description(self, obj=None) -> str:
        return f"The latest articles from {settings.SITE_NAME}."

    def link(self, obj=None) -> str:
        return reverse("articles:front-page")

    def author_name(self, obj=None) -> str:
        return settings.SITE_NAME

    def items(self, obj=None):
        return feed_articles(Article.objects.published())

    def item_title(self, article: Article) -> str:
        return article.headline

    def item_description(self, article: Article) -> str:
        # Feed readers read an item's description (RSS) and summary (Atom, type="html") as HTML:
        # the summary is plain text, so it goes in escaped, to be shown as typed.
        return escape(article.summary, quote=False)

    def item_author_name(self, article: Article) -> str | None:
        return credit(article) or None

    def item_pubdate(self, article: Article):
        return article.published_at

    def item_updateddate(self, article: Article):
        return article.modified_at

    def item_categories(self, article: Article) -> list[str]:
        return [tag.name for tag in article.tags.all()]

    def item_extra_kwargs(self, article: Article) -> dict:
        image = article.lead_image
        picture = social_image(image) if image is not None else None
        if picture is None:
            return {}
        alt = "" if image.decorative else image.alt_text
        return {"picture": {**picture, "alt": xml_text(alt), "credit": xml_text(image.credit)}}


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, slug: str) -> Section:
        section = get_object_or_404(Section, slug=slug)
        keys.lists_of(section)
        return section

    def title(self, section: Section) -> str:
        return f"{settings.SITE_NAME}: {section.name}"

    def description(self, section: Section) -> str:
        return section.description or f"The latest {section.name} articles from {settings.SITE_NAME}."

    def link(self, section: Section) -> str:
        return section.get_absolute_url()

    def items(self, section: Section):
        return feed_articles(Article.objects.published().filter(section=section))


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug: str) -> Tag:
        tag = get_object_or_404(Tag, slug=slug)
        keys.lists_of(tag)
        # As on the tag's page: a tag only drafts carry does not exist for readers.
        if not Article.objects.published().filter(tags=tag).exists():
            raise Http404("No published article carries this tag.")
        return tag

    def title(self, tag: Tag) -> str:
        return f"{settings.SITE_NAME}: {tag.name}"

    def description(self, tag: Tag) -> str:
        return f"The latest articles about {tag.name} from {settings.SITE_NAME}."

    def link(self, tag: Tag) -> str:
        return reverse("articles:tag", kwargs={"slug": tag.slug})

    def items(self, tag: Tag):
        return feed_articles(Article.objects.published().filter(tags=tag))


class PersonFeed(LatestArticlesFeed):
    def get_object(self, request, slug: str) -> Person:
        person = get_object_or_404(Person.objects.public(), slug=slug)
        keys.lists_of(person)
        return person

    def title(self, person: Person) -> str:
        return f"{settings.SITE_NAME}: {person.name}"

    def description(self, person: Person) -> str:
        return f"The latest articles naming {person.name} from {settings.SITE_NAME}."

    def link(self, person: Person) -> str:
        return person.get_absolute_url()

    def items(self, person: Person):
        return feed_articles(Article.objects.published().filter(people=person))


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = AtomFeed
    subtitle = LatestArticlesFeed.description


class SectionAtomFeed(SectionFeed):
    feed_type = AtomFeed
    subtitle = SectionFeed.description


class TagAtomFeed(TagFeed):
    feed_type = AtomFeed
    subtitle = TagFeed.description


class PersonAtomFeed(PersonFeed):
    feed_type = AtomFeed
    subtitle = PersonFeed.description


# The feeds of each kind of page, for <link rel="alternate"> (see templatetags/feed_links.py).
FEEDS: dict[str, type[LatestArticlesFeed]] = {
    "latest": LatestArticlesFeed,
    "section": SectionFeed,
    "tag": TagFeed,
    "person": PersonFeed,
}
