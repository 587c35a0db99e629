"""The content model: names, addresses, natural keys, what counts as public, and its invariants."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from taggit.models import Tag

from articles.models import Article, Person, Quote, Section, TaggedArticle
from tests.factories import ArticleFactory, PersonFactory, QuoteFactory, SectionFactory


@pytest.fixture
def world(db):
    return SectionFactory(name="World", slug="world")


@pytest.fixture
def peskov(db):
    return PersonFactory(name="Dmitry Peskov", slug="dmitry-peskov", role="Kremlin spokesperson")


@pytest.fixture
def call_article(world, yesterday):
    return ArticleFactory(
        headline="Trump and Putin talk",
        slug="trump-and-putin-talk",
        section=world,
        body="## The call\n\nPeskov called the conversation 'important,' on Monday.",
        published_at=yesterday,
    )


def test_str_is_what_an_editor_reads(world, peskov, call_article):
    quote = QuoteFactory(article=call_article, speaker=peskov, text="important", order=3)

    assert str(world) == "World"
    assert str(peskov) == "Dmitry Peskov"
    assert str(call_article) == "Trump and Putin talk"
    assert str(quote) == "Dmitry Peskov: “important”"


def test_str_of_a_long_quote_is_shortened_with_an_ellipsis(call_article, peskov):
    quote = QuoteFactory.build(article=call_article, speaker=peskov, text="word " * 40)

    assert len(quote.short_text) == 80
    assert str(quote).endswith("word…”")


def test_absolute_urls_are_the_public_pages(world, peskov, call_article):
    quote = QuoteFactory(article=call_article, speaker=peskov, text="important", order=3)

    assert world.get_absolute_url() == "/sections/world/"
    assert peskov.get_absolute_url() == "/people/dmitry-peskov/"
    assert call_article.get_absolute_url() == "/articles/trump-and-putin-talk/"
    assert quote.get_absolute_url() == "/articles/trump-and-putin-talk/#quote-3"


def test_natural_keys_are_slugs_and_find_the_same_row(world, peskov, call_article):
    quote = QuoteFactory(article=call_article, speaker=peskov, text="important", order=3)
    call_article.tags.add("Diplomacy")
    tag = Tag.objects.get(name="Diplomacy")
    tagged = TaggedArticle.objects.get(content_object=call_article, tag=tag)

    assert world.natural_key() == ("world",)
    assert peskov.natural_key() == ("dmitry-peskov",)
    assert call_article.natural_key() == ("trump-and-putin-talk",)
    assert quote.natural_key() == ("trump-and-putin-talk", 3)
    assert tagged.natural_key() == ("trump-and-putin-talk", "Diplomacy")
    for obj in (world, peskov, call_article, quote, tag, tagged):
        assert type(obj).objects.get_by_natural_key(*obj.natural_key()) == obj


@pytest.mark.parametrize(
    "status, when, public",
    [
        ("published", "yesterday", True),
        ("published", "now", True),
        ("published", "tomorrow", False),
        ("draft", "yesterday", False),
        ("draft", None, False),
    ],
)
def test_published_means_published_with_a_publication_time_that_has_come(db, request, status, when, public):
    published_at = request.getfixturevalue(when) if when else None
    article = ArticleFactory(status=status, published_at=published_at)

    assert (article in Article.objects.published()) is public
    assert article.is_public is public


@pytest.mark.parametrize(
    "status, when, public",
    [
        ("published", "yesterday", True),
        ("published", "tomorrow", False),
        ("draft", None, False),
        ("withdrawn", "yesterday", False),
    ],
)
def test_published_quotes_are_the_quotes_of_published_articles(db, request, status, when, public):
    published_at = request.getfixturevalue(when) if when else None
    quote = QuoteFactory(article=ArticleFactory(status=status, published_at=published_at))

    assert (quote in Quote.objects.published()) is public
    in_published_articles = Quote.objects.filter(article__in=Article.objects.published())
    assert set(Quote.objects.published()) == set(in_published_articles)


def test_published_quotes_are_filtered_on_their_own_article_not_through_a_subquery():
    # With ``article__in=(SELECT …)`` PostgreSQL filled a busy person's page of quotes by walking
    # the whole articles index, drafts first, instead of the published articles alone.
    sql = str(Quote.objects.published().query)
    assert "SELECT" not in sql.split(" FROM ", 1)[1]


def test_published_articles_are_newest_first(db, now):
    older = ArticleFactory(published_at=now - datetime.timedelta(days=2))
    newer = ArticleFactory(published_at=now - datetime.timedelta(days=1))

    assert list(Article.objects.published()) == [newer, older]


@pytest.mark.parametrize(
    "appears_in, public",
    [
        ({"mentioned": "published"}, True),
        ({"quoted": "published"}, True),
        ({"mentioned": "draft"}, False),
        ({"quoted": "draft"}, False),
        ({"mentioned": "scheduled"}, False),
        ({"quoted": "scheduled"}, False),
        ({}, False),
    ],
)
def test_public_people_appear_in_a_published_article(request, appears_in, public):
    articles = {
        "published": request.getfixturevalue("published_article"),
        "draft": request.getfixturevalue("draft_article"),
        "scheduled": request.getfixturevalue("scheduled_article"),
    }
    person = PersonFactory()
    if "mentioned" in appears_in:
        articles[appears_in["mentioned"]].people.add(person)
    if "quoted" in appears_in:
        QuoteFactory(article=articles[appears_in["quoted"]], speaker=person)

    assert (person in Person.objects.public()) is public


def test_a_person_in_many_published_articles_is_listed_once(db, yesterday):
    person = PersonFactory()
    for _ in range(3):
        article = ArticleFactory(published_at=yesterday)
        article.people.add(person)
        QuoteFactory(article=article, speaker=person)

    assert list(Person.objects.public()) == [person]


def test_the_database_refuses_a_published_article_without_a_publication_time(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)


@pytest.mark.parametrize("status", ["draft", "review", "withdrawn"])
def test_the_database_stores_an_unpublished_article_without_a_publication_time(db, status):
    with transaction.atomic():
        pk = ArticleFactory(status=status, published_at=None).pk
    stored = Article.objects.filter(pk=pk).values_list("status", "published_at").get()
    assert stored == (status, None)


def test_clean_gives_a_published_article_without_a_time_the_current_time(world, now):
    article = ArticleFactory.build(section=world, status=Article.Status.PUBLISHED, published_at=None)

    article.full_clean()

    assert now <= article.published_at <= now + datetime.timedelta(minutes=1)


def test_clean_keeps_a_chosen_publication_time(world, tomorrow):
    article = ArticleFactory.build(section=world, status=Article.Status.PUBLISHED, published_at=tomorrow)

    article.full_clean()

    assert article.published_at == tomorrow


def test_clean_leaves_a_draft_without_a_publication_time(world):
    article = ArticleFactory.build(section=world, status=Article.Status.DRAFT, published_at=None)

    article.full_clean()

    assert article.published_at is None


@pytest.mark.parametrize(
    "text, missing",
    [
        ("called the conversation 'important,' on Tuesday.", "Tuesday."),
        ("called the chat", "chat"),
        ("Nothing of the sort", "Nothing of the sort"),
        ("on Monday. ", "Monday. "),
    ],
)
def test_a_quote_not_in_the_body_word_for_word_fails_validation_naming_the_missing_words(
    call_article, peskov, text, missing
):
    quote = QuoteFactory.build(article=call_article, speaker=peskov, text=text)

    with pytest.raises(ValidationError) as error:
        quote.full_clean()

    [message] = error.value.message_dict["text"]
    assert f"“{missing}”" in message


@pytest.mark.parametrize(
    "text",
    ["important", "called the conversation 'important,' on Monday.", "Peskov"],
)
def test_a_quote_found_word_for_word_in_the_body_is_valid(call_article, peskov, text):
    QuoteFactory.build(article=call_article, speaker=peskov, text=text).full_clean()


def test_a_quote_is_checked_against_its_unsaved_articles_body(world, peskov):
    article = ArticleFactory.build(section=world, body="He said 'not yet' twice.")

    Quote(article=article, speaker=peskov, text="not yet", order=1).clean()
    with pytest.raises(ValidationError):
        Quote(article=article, speaker=peskov, text="not now", order=1).clean()


def test_two_quotes_of_an_article_cannot_share_an_order(call_article, peskov):
    QuoteFactory(article=call_article, speaker=peskov, text="important", order=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        QuoteFactory(article=call_article, speaker=peskov, text="on Monday", order=1)


@pytest.mark.parametrize(
    "aliases, names",
    [
        ("", ["Dmitry Peskov"]),
        ("Peskov", ["Dmitry Peskov", "Peskov"]),
        ("  Peskov  \n\nDmitry Peskov\nMr Peskov\n", ["Dmitry Peskov", "Peskov", "Mr Peskov"]),
    ],
)
def test_a_persons_names_are_the_full_name_then_each_alias_once(aliases, names):
    assert Person(name="Dmitry Peskov", aliases=aliases).names == names


@pytest.mark.parametrize(
    "role, affiliation, description",
    [
        ("Kremlin spokesperson", "Russia", "Kremlin spokesperson, Russia"),
        ("Kremlin spokesperson", "", "Kremlin spokesperson"),
        ("", "Russia", "Russia"),
        ("", "", ""),
    ],
)
def test_a_persons_description_joins_role_and_affiliation(role, affiliation, description):
    assert Person(role=role, affiliation=affiliation).description == description


@pytest.mark.parametrize(
    "dek, body, summary",
    [
        ("The standfirst.", "## Head\n\nFirst paragraph.", "The standfirst."),
        ("", "## Head\n\nFirst paragraph.\n\nSecond.", "First paragraph."),
    ],
    ids=["dek", "first-paragraph"],
)
def test_an_articles_summary_is_the_dek_or_the_first_paragraph(dek, body, summary):
    assert Article(dek=dek, body=body).summary == summary


def test_a_long_first_paragraph_is_summarised_to_whole_words_with_an_ellipsis():
    body = "Diplomacy " * 50

    summary = Article(body=body).summary

    assert len(summary) <= 200
    assert summary.endswith("Diplomacy…")
    assert body.startswith(summary.removesuffix("…"))


def test_an_articles_subheads_come_from_its_body():
    assert Article(body="## One\n\nText.\n\n## Two\n\nMore.").subheads == ["One", "Two"]


def test_sections_are_ordered_by_order_then_name(db):
    late = SectionFactory(name="Arts", order=2)
    early_b = SectionFactory(name="World", order=1)
    early_a = SectionFactory(name="Business", order=1)

    assert list(Section.objects.all()) == [early_a, early_b, late]


def test_a_quote_cannot_run_across_paragraphs(db):
    article = ArticleFactory(body="He said 'first part.\n\nSecond part' and left.")
    quote = QuoteFactory.build(article=article, speaker=PersonFactory(), text="first part.\n\nSecond part")
    with pytest.raises(ValidationError, match="cannot run across paragraphs"):
        quote.full_clean()


@pytest.mark.parametrize(
    ("factory", "prefix"),
    [(ArticleFactory, "/articles/"), (PersonFactory, "/people/"), (SectionFactory, "/sections/")],
)
def test_an_address_is_remembered_only_while_the_slug_stays_the_same(db, factory, prefix):
    row = factory(slug="before")
    assert row.get_absolute_url() == f"{prefix}before/"

    row.slug = "after"

    assert row.get_absolute_url() == f"{prefix}after/"


@pytest.mark.parametrize(
    "pasted",
    [
        "'important'",
        "“important”",
        '"important"',
        "« important »",
        " ‘important’ ",
        "“important,”",
        "important,",
    ],
)
def test_a_quote_pasted_with_its_quotation_marks_or_closing_comma_is_saved_without_them(
    call_article, peskov, pasted
):
    quote = QuoteFactory.build(article=call_article, speaker=peskov, text=pasted)
    quote.full_clean()
    assert quote.text == "important"


def test_quotation_marks_inside_a_quote_are_kept(call_article, peskov):
    text = "called the conversation 'important,' on Monday."
    quote = QuoteFactory.build(article=call_article, speaker=peskov, text=text)
    quote.full_clean()
    assert quote.text == text
