import functools
import re

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from articles.quoting import first_missing_words, tidy_quote
from bodytext import (
    BLOCK_SEPARATOR,
    PersonLink,
    QuoteMark,
    first_paragraph,
    image_ids_named,
    plain_text,
    render_body,
    subheads,
)
from newsroom import fragments
from newsroom.paging import CountUpTo

# An inline picture spans the text column: the same sizes as the lead picture's.
INLINE_IMAGE_SIZES = "(min-width: 60rem) 40rem, 100vw"


def figure_html(image) -> str:
    """A picture standing in the body, with its caption and credit (images' figure.html)."""
    from images.rendering import picture_html

    picture = picture_html(image, "inline", INLINE_IMAGE_SIZES, loading="lazy")
    if not picture:
        return ""
    parts = [format_html('<span class="figure-caption">{}</span>', image.caption)] if image.caption else []
    if image.credit:
        parts.append(format_html('<span class="figure-credit">{}</span>', image.credit))
    caption = format_html("<figcaption>{}</figcaption>", mark_safe(" ".join(parts))) if parts else ""
    return format_html('<figure class="figure figure-inline">{}{}</figure>', picture, caption)


def _url_by_slug(instance, viewname: str) -> str:
    """
    reverse() of a page addressed by ``instance.slug``, remembered on the instance for as long as
    its slug stays the same: one page asks the same article, person or section for its address
    up to five times (cards, links, structured data), and each reverse() costs ~30 µs.
    """
    remembered = instance.__dict__.get("_url_by_slug")
    if remembered is None or remembered[0] != instance.slug:
        url = reverse(viewname, kwargs={"slug": instance.slug})
        remembered = instance._url_by_slug = (instance.slug, url)
    return remembered[1]


class SlugQuerySet(models.QuerySet):
    """Rows found by slug, their natural key, so fixtures load twice without duplicates."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, help_text="One or two sentences shown on the section page.")
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Sections are listed in this order in the navigation and on the front page."
    )

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return _url_by_slug(self, "articles:section")

    def natural_key(self):
        return (self.slug,)


class PersonQuerySet(SlugQuerySet):
    def public(self):
        """People who appear in, or are quoted by, at least one published article."""
        return self.filter(Exists(_named_in()) | Exists(_quoted()))

    def counted(self, quotes: int, articles: int):
        """With ``quotes_counted`` and ``articles_counted`` (published), each up to its limit: either
        above nought is public(), so a page showing the counts is spared public()'s subqueries."""
        return self.annotate(
            quotes_counted=CountUpTo(_quoted(), quotes), articles_counted=CountUpTo(_named_in(), articles)
        )


def _quoted():
    return Quote.objects.published().filter(speaker=OuterRef("pk"))  # the person's, in a subquery


def _named_in():
    return Article.objects.published().filter(people=OuterRef("pk"))


class Person(models.Model):
    name = models.CharField(max_length=200, help_text="Full name as first printed, e.g. “Dmitry Peskov”.")
    slug = models.SlugField(max_length=200, unique=True)
    role = models.CharField(
        max_length=200,
        blank=True,
        help_text="Title or role as printed in copy, e.g. “Kremlin spokesperson”.",
    )
    affiliation = models.CharField(max_length=200, blank=True, help_text="Government, party, company…")
    bio = models.TextField(blank=True, help_text="A short biography shown on the person's page.")
    aliases = models.TextField(
        blank=True,
        help_text="Other names the copy uses for this person, one per line (e.g. the surname alone).",
    )
    wikidata_id = models.CharField(
        "Wikidata ID",
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata ID looks like Q7747.")],
        help_text="Optional, e.g. Q7747; links the person page to Wikidata.",
    )
    portrait = models.ForeignKey(
        "images.Image",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portrait_of",
        help_text="A picture of the person from the image library, shown on their page.",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        indexes = [
            # The people list, in its order: read from the start until a page of public people.
            models.Index(fields=["name", "slug"], name="person_name_slug_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return _url_by_slug(self, "articles:person")

    def natural_key(self):
        return (self.slug,)

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @property
    def names(self) -> list[str]:
        """Every name this person goes by in copy, the full name first."""
        return [self.name, *(alias for alias in self.alias_list if alias != self.name)]

    @property
    def description(self) -> str:
        return ", ".join(part for part in (self.role, self.affiliation) if part)


class AuthorQuerySet(SlugQuerySet):
    def public(self):
        """Authors of at least one published article: only they have a page readers can open."""
        return self.filter(Exists(Article.objects.published().filter(authors=OuterRef("pk"))))


class Author(models.Model):
    """A staff member's public byline: the name readers see and their author page."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="author")
    display_name = models.CharField(max_length=200, help_text="The name printed in bylines.")
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The author page's address: /authors/this-slug/."
    )
    bio = models.TextField(blank=True, help_text="A short biography shown on the author page.")

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @cached_property
    def is_public(self) -> bool:
        """Whether readers can open this author's page (a byline links to it only then)."""
        return Author.objects.public().filter(pk=self.pk).exists()


_LEADING_BY = re.compile(r"^by\s+", re.IGNORECASE)


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def public(through: str = "") -> Q:
    """
    The one definition of public: published, with a publication time that has come. ``through``
    reaches the article from a related row ("article__"); every ``published()`` uses this.
    """
    return Q(**{f"{through}status": Article.Status.PUBLISHED, f"{through}published_at__lte": timezone.now()})


class PublicationQuerySet(models.QuerySet):
    """Rows carrying an article's ``status`` and ``published_at``: articles, and copies of them."""

    def published(self):
        return self.filter(public())


class ArticleQuerySet(SlugQuerySet, PublicationQuerySet):
    def owned_by(self, user):
        """Articles a user created or is an author of."""
        return self.filter(Q(created_by=user) | Q(authors__user=user)).distinct()

    def reading(self):
        """
        For an article's page: the article with its section and picture, without ``body_text``,
        which it never shows. What its story shows besides is fetched by story_relations() when
        the page's kept parts are not at hand (public.templatetags.pieces).
        """
        return self.select_related("section", "lead_image").defer("body_text")

    def cards(self):
        """
        For lists of article cards (headline, standfirst, section, date, picture, byline): without
        the body, by far the biggest column, which a card never shows. Reading ``body`` on one
        costs a query.
        """
        return (
            self.select_related("section", "lead_image")
            .prefetch_related("authors")
            .defer("body", "body_text")
        )


def story_relations() -> tuple:
    """What an article's story shows beyond its row, for prefetch_related_objects()."""
    quotes = Quote.objects.select_related("speaker").order_by("order")
    return ("tags", "people", "notes", "authors", Prefetch("quotes", queryset=quotes))


@reversion.register()
class TaggedArticle(TaggedItemBase):
    """Tags through a real foreign key, so fixtures can name the article by its slug."""

    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="tagged_items")

    natural_key_fields = ["content_object__slug", "tag__name"]

    class Meta:
        verbose_name = "article tag"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag"),
        ]
        indexes = [
            # A tag's newest articles (related stories) without reading all of a big tag's rows.
            models.Index(fields=["tag", "content_object"], name="taggedarticle_tag_article_idx"),
        ]

    def natural_key(self):
        return (self.content_object.slug, self.tag.name)

    natural_key.dependencies = ["articles.article", "taggit.tag"]


# A revision of an article keeps its quotes, tags, notes and (as fields) its people and authors.
@reversion.register(follow=("quotes", "tagged_items", "notes"))
class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    headline = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=300,
        unique=True,
        help_text="The article's address: /articles/this-slug/. Keep it once published.",
    )
    dek = models.TextField(
        "standfirst",
        blank=True,
        help_text="One or two sentences under the headline; also the page's description for search engines.",
    )
    body = models.TextField(
        blank=True,
        help_text="Paragraphs separated by a blank line; the toolbar adds subheads, bold, italic, links, "
        "lists, quotes, pictures from the library, videos, posts and pull quotes (docs/editors.md). "
        "Quotes below must appear in the body word for word.",
    )
    # What readers read of the body, markup gone (bodytext.plain_text): the search engine indexes
    # it and results quote it. Written on every save from the body, never edited.
    body_text = models.TextField(blank=True, editable=False)
    lead_image = models.ForeignKey(
        "images.Image",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_of",
        help_text="The picture at the top of the story, on its teasers and on social cards.",
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    authors = models.ManyToManyField(
        Author,
        blank=True,
        related_name="articles",
        help_text="Staff who wrote the article; linked in the byline.",
    )
    byline = models.CharField(
        max_length=200,
        blank=True,
        help_text="Free-text credit printed after “By” and the authors, e.g. “Agence France-Presse”.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Changed with the workflow buttons: submit, send back, publish, schedule, withdraw.",
    )
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        db_index=True,
        help_text="Set when the article is published; a time in the future keeps it hidden until then.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    revised_at = models.DateTimeField(
        "revised",
        null=True,
        blank=True,
        editable=False,
        help_text="When the headline, standfirst or body last changed while the article was public: "
        "readers see it as the “Updated” time.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="articles_created",
    )
    # Bumped by every save; a form posted against an older number is refused (no lost edits).
    edit_version = models.PositiveIntegerField(default=1, editable=False)
    tags = TaggableManager(through=TaggedArticle, blank=True)
    people = models.ManyToManyField(
        Person, blank=True, related_name="articles", help_text="People the article names or quotes."
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        get_latest_by = "published_at"
        permissions = [("publish_article", "Can publish, schedule, withdraw and send back articles")]
        indexes = [
            # published() in the default order, everywhere and by section: the newest public
            # articles are read straight off an index, however big the archive.
            models.Index(
                fields=["status", "published_at", "created_at"], name="article_status_published_idx"
            ),
            models.Index(
                fields=["section", "status", "published_at", "created_at"],
                name="article_section_published_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_article_has_publication_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(section__isnull=False),
                name="published_article_has_section",
            ),
        ]

    # What readers read: a change to one of these while the article is public is a revision.
    REVISED_FIELDS = ("headline", "dek", "body")

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields and "body_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "body_text"]
        if self._text_revised(kwargs.get("update_fields")):
            self.revised_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = [*kwargs["update_fields"], "revised_at"]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return _url_by_slug(self, "articles:detail")

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    def add_speakers_to_people(self) -> None:
        """
        Everyone quoted is in the story: under "People in this story", on their own page and in
        its feed, in the structured data, and linked at their first mention.
        """
        self.people.add(*Person.objects.filter(quotes__article=self).distinct())

    def body_html(self) -> SafeString:
        """
        The body as HTML with quotes marked, people linked, pull quotes and inline images; reads
        the prefetched quotes and people, and the body's images in one query.
        """
        quotes = [
            QuoteMark(
                quote.text, quote.anchor, quote.speaker.name, quote.speaker.get_absolute_url(), quote.order
            )
            for quote in self.quotes.all()
        ]
        people = [
            PersonLink(tuple(person.names), person.name, person.get_absolute_url())
            for person in self.people.all()
        ]
        figures = self.body_figures()
        # Kept by all it is made of (docs/performance.md): any edit to them is a new key.
        made_of = (self.body, quotes, people, sorted(figures.items()))
        # render_body writes every element itself and passes its HTML through nh3's allowlist.
        build = functools.partial(render_body, self.body, quotes, people, figures)
        return mark_safe(fragments.kept("body", made_of, build, shared=True))

    def body_figures(self) -> dict[int, str]:
        """
        The HTML of the images the body names, by library number: one query, none without. Found
        without parsing the body, so perhaps with one it only seems to name.
        """
        from images.models import Image

        ids = image_ids_named(self.body)
        if not ids:
            return {}
        return {image.pk: figure_html(image) for image in Image.objects.filter(pk__in=ids)}

    @property
    def subheads(self) -> list[str]:
        return subheads(self.body)

    @property
    def summary(self) -> str:
        """The dek, or the opening of the first paragraph when there is none."""
        if self.dek:
            return self.dek
        first = first_paragraph(self.body).split("\n", 1)[0]
        return first if len(first) <= 200 else first[:199].rsplit(" ", 1)[0] + "…"

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        """Published for a time still to come: it becomes public by itself at that time."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def state_label(self) -> str:
        return "Scheduled" if self.is_scheduled else self.get_status_display()

    @property
    def credit(self) -> str:
        """
        The byline as pages print it, after "By" and the authors. Copy imported before the importer
        left the "By" out kept it ("By Reuters"): it is not printed twice.
        """
        return _LEADING_BY.sub("", self.byline.strip())

    def credit_writer(self, user) -> None:
        """
        Make ``user``, who wrote or filed this new article, its author: unless it names its authors
        already, or its byline credits someone else (an agency, another writer), since filing copy
        is not writing it. A byline that names the user is the same credit, and is dropped so that
        the page prints it once.
        """
        author = Author.objects.filter(user=user).first() if user is not None else None
        if author is None or self.authors.exists():
            return
        if self.credit:
            names = {_name_key(author.display_name), _name_key(user.get_full_name())}
            if _name_key(self.credit) not in names:
                return
            self.byline = ""
            self.save(update_fields=["byline"])
        self.authors.add(author)

    def _text_revised(self, update_fields) -> bool:
        """
        Whether this save changes what readers of the public article read. Compared with the row
        as saved, so that an unchanged save (tags, a workflow step, the same text again) is none.
        """
        if self._state.adding or not self.is_public:
            return False
        deferred = self.get_deferred_fields()
        written = [
            name
            for name in self.REVISED_FIELDS
            if name not in deferred and (update_fields is None or name in update_fields)
        ]
        if not written:
            return False
        saved = type(self)._base_manager.filter(pk=self.pk).values(*written).first()
        return saved is not None and any(getattr(self, name) != saved[name] for name in written)

    @property
    def modified_at(self):
        """
        When readers last saw it change: publication, a revision of its text, or the latest
        correction or update.
        """
        if not self.published_at:
            return None
        notes = [note.noted_at for note in self.notes.all()]
        return max(moment for moment in (self.published_at, self.revised_at, *notes) if moment)


@reversion.register()
class ArticleNote(models.Model):
    """A dated correction or update, printed with the article the way newspapers print them."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        help_text="e.g. “An earlier version of this article misstated the date of the talks.”"
    )
    noted_at = models.DateTimeField("date", default=timezone.now)

    class Meta:
        ordering = ["noted_at"]
        verbose_name = "correction or update"
        verbose_name_plural = "corrections and updates"

    def __str__(self):
        return f"{self.get_kind_display()}, {self.noted_at:%Y-%m-%d}"


class PlacementQuerySet(models.QuerySet):
    def current(self):
        """Placements readers see now: not expired, of articles that are public."""
        unexpired = Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        return self.filter(public(through="article__")).filter(unexpired)


class Placement(models.Model):
    """
    An editor's choice for the front page: the article at ``position`` (1 is the lead story) until
    ``expires_at``. The rest of the front page is newest first.
    """

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="placement")
    position = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1)], help_text="1 is the lead story, 2 the next, and so on."
    )
    expires_at = models.DateTimeField(
        "until",
        null=True,
        blank=True,
        help_text="Optional: after this time the story falls back to its place among the newest.",
    )
    placed_at = models.DateTimeField(auto_now=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["position", "-placed_at"]
        verbose_name = "front-page placement"

    def __str__(self):
        return f"{self.position}. {self.article}"


class ArticleEvent(models.Model):
    """One step of the editorial workflow: who did what to an article, and when."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        SENT_BACK = "sent_back", "Sent back"
        PUBLISHED = "published", "Published"
        SCHEDULED = "scheduled", "Scheduled"
        WITHDRAWN = "withdrawn", "Withdrawn"
        RESTORED = "restored", "Restored an earlier revision"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "workflow step"

    def __str__(self):
        return f"{self.get_action_display()} by {self.user or 'someone'} at {self.created_at:%Y-%m-%d %H:%M}"


class QuoteQuerySet(models.QuerySet):
    def published(self):
        """
        Quotes in published articles: Article.objects.published() on the quote's article, as a
        join rather than ``article__in=``, so that a list in the articles' order walks only
        published articles, newest first, and stops at the end of its page.
        """
        return self.filter(public(through="article__"))

    def cards(self):
        """For quote cards: each with its article's headline, address and date, not its body."""
        return self.select_related("article").defer("article__body", "article__body_text")

    def get_by_natural_key(self, article_slug, order):
        return self.get(article__slug=article_slug, order=order)


@reversion.register()
class Quote(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
    speaker = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="quotes")
    text = models.TextField(
        help_text="The quoted words exactly as they appear in the body, without the quotation marks."
    )
    context = models.TextField(blank=True, help_text="Optional: where or to whom it was said.")
    order = models.PositiveIntegerField(
        default=0, help_text="Position among the article's quotes; also the quote's anchor (#quote-N)."
    )

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["article", "order"]
        constraints = [
            models.UniqueConstraint(fields=["article", "order"], name="unique_quote_order_per_article"),
        ]
        indexes = [
            # A person's quotes in published articles (their page, the people list): whether an
            # article quotes them, and how many quotes, read off the index without the rows.
            models.Index(fields=["speaker", "article"], name="quote_speaker_article_idx"),
        ]

    def __str__(self):
        return f"{self.speaker}: “{self.short_text}”"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    def natural_key(self):
        return (*self.article.natural_key(), self.order)

    natural_key.dependencies = ["articles.article", "articles.person"]

    @property
    def anchor(self) -> str:
        return f"quote-{self.order}"

    @cached_property
    def short_text(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79].rstrip() + "…"

    def clean(self):
        # An inline quote on a new article has its (unsaved) article set, not its article_id.
        article = getattr(self, "article", None)
        self.text = tidy_quote(self.text)
        if article is None or not self.text:
            return
        if BLOCK_SEPARATOR.search(self.text):
            raise ValidationError(
                {"text": "A quote cannot run across paragraphs: quote each paragraph's words separately."}
            )
        missing = first_missing_words(self.text, plain_text(article.body))
        if missing:
            raise ValidationError(
                {
                    "text": f"Not found word for word in the article's body: “{missing}”. "
                    "Copy the quote exactly as the body prints it, or correct the body first."
                }
            )


class ArticleSearchDocument(models.Model):
    """
    An article's text as the search engine reads it: headline (weight A), standfirst and quotes
    (B), body (C). Derived data, kept current by articles.search whenever the article or one of
    its quotes changes. Only PostgreSQL fills it, with a GIN index (created by a PostgreSQL-only
    step in its migration); on SQLite search uses a plain match and this table stays empty.
    A table of its own, so the vector is never read or rewritten with the article.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    document = SearchVectorField(null=True)
    # Copies of the article's, written with the document: ranking a common word's ten thousand
    # matches then reads this table alone. Pages still take their articles from
    # Article.objects.published(), so a stale copy could drop a result, never show a private one.
    status = models.CharField(max_length=20, blank=True)
    published_at = models.DateTimeField(null=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = "search document"

    def __str__(self):
        return f"Search document of article {self.article_id}"


class PendingInvalidation(models.Model):
    """
    A change to the content that the page cache could not be told of: the write that drops every
    cached page failed (Redis refusing writes or not answering, the cache folder full or
    read-only). While one is on record no cached page is served; the first process that then
    drops the pages deletes it (pagecache.purges, "A change the cache was not told of").
    """

    created_at = models.DateTimeField(auto_now_add=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "pending cache invalidation"

    def __str__(self):
        return f"Cached pages not dropped since {self.created_at:%Y-%m-%d %H:%M:%S}"


@receiver(pre_save, sender=Article)
def write_body_text(sender, instance, raw, update_fields=None, **kwargs):
    """An article's plain text follows its body on every save, fixtures' raw saves included."""
    if "body" not in instance.get_deferred_fields():
        instance.body_text = plain_text(instance.body)
