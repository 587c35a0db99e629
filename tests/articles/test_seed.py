"""The seed fixture: what it loads, that it loads twice cleanly, and that bad fixtures change nothing."""

import json

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import IntegrityError
from taggit.models import Tag

from articles.models import Article, Person, Quote, Section, TaggedArticle
from bodytext import split_blocks
from tests.conftest import SEED_SLUG

SEED_TEXT = settings.BASE_DIR / "fixtures" / "seed.txt"
ARTICLE_URL = f"/articles/{SEED_SLUG}/"


def row_counts():
    """Rows in every table the seed writes to, the many-to-many tables included."""
    models = [*apps.get_app_config("articles").get_models(include_auto_created=True), Tag]
    return {model._meta.label: model.objects.count() for model in models}


def seed_source():
    """The seed's source text: the headline on the first line, then one block per line."""
    headline, *blocks = [line for line in SEED_TEXT.read_text(encoding="utf-8").splitlines() if line.strip()]
    return headline, blocks


def source_subheads(blocks):
    """The subheads of the source text: its short lines that end without punctuation."""
    return [line for line in blocks if len(line) < 70 and line[-1].isalnum()]


@pytest.fixture
def write_fixture(tmp_path):
    def write(text, name="fixture.json"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def test_the_seed_loads_into_an_empty_database(db):
    assert Article.objects.count() == 0

    call_command("loaddata", "seed", verbosity=0)

    assert Section.objects.count() == 1
    assert Article.objects.count() == 1
    assert Person.objects.count() == 13
    assert Quote.objects.count() == 17
    assert Tag.objects.count() >= 6
    assert TaggedArticle.objects.count() == Tag.objects.count()


def test_the_seed_article_is_published_in_world_and_names_all_its_people(seed):
    assert seed.section.slug == "world"
    assert seed.is_public
    assert seed.people.count() == 13
    assert set(seed.quotes.values_list("speaker__slug", flat=True)) <= set(
        seed.people.values_list("slug", flat=True)
    )


def test_loading_the_seed_twice_changes_no_row_count(seed):
    before = row_counts()

    call_command("loaddata", "seed", verbosity=0)

    assert row_counts() == before


def test_every_seeded_object_passes_full_validation(seed):
    objects = [
        *Section.objects.all(),
        *Person.objects.all(),
        *Article.objects.all(),
        *Quote.objects.select_related("article"),
        *Tag.objects.all(),
        *TaggedArticle.objects.all(),
    ]
    assert len(objects) > 30
    for obj in objects:
        obj.full_clean()


def test_the_seed_headline_is_the_source_texts_first_line(seed):
    headline, _ = seed_source()
    assert seed.headline == headline


def test_the_source_text_has_three_subheads():
    _, blocks = seed_source()
    assert source_subheads(blocks) == [
        "Trump and Putin Engage in Extended Discussion",
        "Trump's Growing Frustration Over the Ongoing War",
        "No Ceasefire Yet, But Prisoner Exchanges Planned",
    ]


def test_the_seed_body_is_the_source_text_unchanged_subheads_and_paragraphs(seed):
    _, blocks = seed_source()
    subheads = source_subheads(blocks)
    expected = [("subhead" if line in subheads else "paragraph", line) for line in blocks]

    assert [(block.kind, block.text) for block in split_blocks(seed.body)] == expected
    assert seed.subheads == subheads


def test_seeded_people_carry_their_role_as_printed(seed):
    roles = dict(Person.objects.values_list("name", "role"))
    expected = {
        "Dmitry Peskov": "Kremlin spokesperson",
        "Karoline Leavitt": "White House press secretary",
        "Scott Bessent": "Treasury Secretary",
        "Marco Rubio": "Secretary of State",
        "Steve Witkoff": "Trump's envoy",
        "Bridget Brink": "Former U.S. ambassador to Ukraine",
    }

    assert {name: roles.get(name) for name in expected} == expected


def test_every_seeded_person_is_named_in_the_body(seed):
    for person in seed.people.all():
        assert any(name in seed.body for name in person.names), person


def test_seeded_quotes_are_attributed_to_their_speakers(seed):
    speakers = dict(seed.quotes.values_list("text", "speaker__slug"))
    expected = {
        "frank and meaningful.": "vladimir-putin",
        "important": "dmitry-peskov",
        "weary and frustrated": "karoline-leavitt",
        "more than open": "jd-vance",
        "It takes two to tango": "jd-vance",
        "peace at any price": "bridget-brink",
        "a war that should have never happened will end.": "donald-trump",
        "real diplomacy": "volodymyr-zelenskyy",
    }

    assert {text: speakers.get(text) for text in expected} == expected


def test_seeded_quotes_are_numbered_one_to_seventeen_in_body_order(seed):
    quotes = list(seed.quotes.order_by("order"))
    assert [quote.order for quote in quotes] == list(range(1, 18))
    positions = [seed.body.index(quote.text) for quote in quotes]
    assert positions == sorted(positions)


def test_a_show_title_is_not_a_quote(seed):
    assert "'Meet the Press'" in seed.body
    assert not Quote.objects.filter(text__icontains="Meet the Press").exists()


def test_the_white_house_is_not_quoted_as_a_person(seed):
    assert "The White House indicated that Trump has become increasingly 'frustrated'" in seed.body
    assert not Quote.objects.filter(text="frustrated").exists()
    assert not Person.objects.filter(name__icontains="White House").exists()


def test_the_seed_tags_are_on_the_seed_article(seed):
    assert set(seed.tags.values_list("slug", flat=True)) >= {"ukraine", "russia", "ceasefire"}


# Bad fixtures. loaddata runs in its own transaction, so these tests let it own one.


def new_article(**fields):
    return {
        "model": "articles.article",
        "fields": {
            "headline": "Orphan",
            "slug": "orphan",
            "body": "Text.",
            "section": ["world"],
            "status": "draft",
            "created_at": "2025-05-20T08:00:00Z",
            "updated_at": "2025-05-20T08:00:00Z",
            **fields,
        },
    }


BROKEN_REFERENCES = {
    "quote-speaker": {
        "model": "articles.quote",
        "fields": {"article": [SEED_SLUG], "speaker": ["nobody-at-all"], "text": "important", "order": 99},
    },
    "article-section": new_article(section=["no-such-section"]),
    "article-people": new_article(people=[["donald-trump"], ["no-such-person"]]),
    "tag-article": {
        "model": "articles.taggedarticle",
        "fields": {"content_object": ["no-such-article"], "tag": ["Ukraine"]},
    },
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("broken", BROKEN_REFERENCES, ids=list(BROKEN_REFERENCES))
def test_a_fixture_with_a_broken_reference_fails_and_writes_nothing(write_fixture, broken):
    call_command("loaddata", "seed", verbosity=0)
    before = row_counts()
    fixture = [
        {"model": "articles.section", "fields": {"name": "Science", "slug": "science"}},
        {"model": "articles.person", "fields": {"name": "New Person", "slug": "new-person"}},
        BROKEN_REFERENCES[broken],
    ]

    # Django reports a missing object as a DeserializationError, or, where it leaves a required
    # column empty, as the database's IntegrityError.
    with pytest.raises((DeserializationError, IntegrityError)):
        call_command("loaddata", write_fixture(json.dumps(fixture)), verbosity=0)

    assert row_counts() == before
    assert not Section.objects.filter(slug="science").exists()
    assert not Article.objects.filter(slug="orphan").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "text",
    [
        '[{"model": "articles.section", "fields": {"name": "Science", "slug": "science"}},',
        '[{"model": "articles.section", "fields": {"name": "Science", "slug": "science"}}, {"model": ',
        "not json at all",
        '[{"model": "articles.nosuchmodel", "fields": {}}]',
    ],
    ids=["truncated-list", "truncated-object", "not-json", "unknown-model"],
)
def test_a_malformed_fixture_fails_and_writes_nothing(write_fixture, text):
    call_command("loaddata", "seed", verbosity=0)
    before = row_counts()

    with pytest.raises(DeserializationError, match="Problem installing fixture"):
        call_command("loaddata", write_fixture(text), verbosity=0)

    assert row_counts() == before
