"""The dashboard's numbers against the hand-counted newsroom (tests/sources/newsroom.py)."""

import datetime

import pytest
import time_machine
from taggit.models import Tag

from sources import reports
from sources.models import Target
from tests.sources import newsroom as hand

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(make_staff):
    with time_machine.travel(hand.NOW, tick=False):
        yield hand.build(make_staff)


def by_category(breakdown, measure="quotes", group=0):
    return {cell.category: getattr(cell, measure) for cell in breakdown.groups[group].cells}


def by_group(breakdown):
    return {group.label: {cell.category: cell.quotes for cell in group.cells} for group in breakdown.groups}


def test_quotes_people_and_words_by_gender_match_the_hand_count(counted):
    gender = reports.breakdown(reports.counted_quotes(reports.Filters()), "gender")
    assert by_category(gender) == hand.QUOTES_BY_GENDER
    assert by_category(gender, "speakers") == hand.PEOPLE_BY_GENDER
    assert by_category(gender, "words") == hand.WORDS_BY_GENDER
    assert (gender.groups[0].quotes, gender.groups[0].speakers) == (14, 8)
    assert by_category(gender, "quote_share")["woman"] == pytest.approx(28.6)
    assert by_category(gender, "speaker_share")["unknown"] == 25.0


def test_source_types_and_origins_match_the_hand_count(counted):
    quotes = reports.counted_quotes(reports.Filters())
    assert by_category(reports.breakdown(quotes, "source_type")) == hand.QUOTES_BY_TYPE
    origin = reports.breakdown(quotes, "origin")
    assert by_category(origin) == hand.QUOTES_BY_ORIGIN
    # One person may be quoted from the wire and from our reporting: no people shares for origin.
    assert origin.groups[0].speakers is None


@pytest.mark.parametrize(
    "grouping, expected",
    [
        ("month", hand.MONTHS_BY_GENDER),
        ("section", hand.SECTIONS_BY_GENDER),
        ("author", hand.AUTHORS_BY_GENDER),
    ],
)
def test_each_grouping_matches_the_hand_count(counted, grouping, expected):
    assert (
        by_group(reports.breakdown(reports.counted_quotes(reports.Filters()), "gender", grouping)) == expected
    )


def test_drafts_stories_in_review_and_withdrawn_stories_never_count(counted):
    quotes = reports.counted_quotes(reports.Filters())
    assert not quotes.filter(article__slug__in=["s7", "s8", "s9"]).exists()
    assert "Wilma Two" in {row["speaker__name"] for row in reports.most_quoted(quotes)}  # from s3 alone
    assert [row["quotes"] for row in reports.most_quoted(quotes) if row["speaker__name"] == "Wilma Two"] == [
        1
    ]


def test_a_scheduled_story_counts_only_from_its_time(counted):
    assert reports.counted_quotes(reports.Filters()).count() == 14
    with time_machine.travel(hand.SCHEDULED_AT + datetime.timedelta(minutes=1), tick=False):
        quotes = reports.counted_quotes(reports.Filters())
        assert quotes.count() == 15
        assert by_category(reports.breakdown(quotes, "gender"))["man"] == 6


def test_most_quoted_people_with_their_words(counted):
    rows = reports.most_quoted(reports.counted_quotes(reports.Filters()))
    assert [(row["speaker__name"], row["quotes"], row["words"]) for row in rows[:2]] == hand.MOST_QUOTED
    assert (rows[0]["gender"], rows[0]["source_type"]) == ("man", "official")
    unrecorded = next(row for row in rows if row["speaker__name"] == "Una Unrecorded")
    assert (unrecorded["gender"], unrecorded["source_type"]) == ("unknown", "unknown")
    gender = reports.breakdown(reports.counted_quotes(reports.Filters()), "gender")
    assert reports.words_per_person(gender) == {
        "words": 46,
        "people": 8,
        "per_person": 5.8,
    }


def test_organisations_are_counted_by_their_peoples_quotes(counted):
    rows = reports.most_quoted_organisations(reports.counted_quotes(reports.Filters()))
    assert (rows[0]["speaker__affiliation"], rows[0]["quotes"], rows[0]["speakers"]) == ("Org M", 5, 2)


@pytest.mark.parametrize(
    "filters, expected_quotes",
    [
        ({"start": datetime.date(2026, 10, 1), "end": datetime.date(2026, 10, 31)}, 5),
        ({"end": datetime.date(2026, 9, 30)}, 1),
        ({"section": "a"}, 8),
        ({"author": "rita"}, 7),
        ({"tag": "Floods"}, 4),
        ({"origin": "own"}, 1),
        ({"origin": "wire"}, 2),
        ({"origin": "unknown"}, 11),
        ({"section": "b", "author": "edna"}, 3),
    ],
)
def test_filters_choose_the_quotes_counted_by_hand(counted, filters, expected_quotes):
    resolved = dict(filters)
    if "section" in filters:
        resolved["section"] = counted["sections"][filters["section"]]
    if "author" in filters:
        resolved["author"] = counted["authors"][filters["author"]]
    if "tag" in filters:
        resolved["tag"] = Tag.objects.get(name=filters["tag"])
    gender = reports.breakdown(reports.counted_quotes(reports.Filters(**resolved)), "gender")
    assert gender.groups[0].quotes == expected_quotes


def test_a_co_authored_story_counts_once_under_an_author_filter(counted):
    quotes = reports.counted_quotes(reports.Filters(author=counted["authors"]["edna"]))
    assert sorted(quotes.values_list("article__slug", flat=True)) == ["s2", "s2", "s2", "s4", "s4", "s6"]


def test_a_reporter_counts_only_their_own_stories(counted):
    quotes = reports.counted_quotes(reports.Filters(), counted["rita"])
    assert set(quotes.values_list("article__slug", flat=True)) == {"s1", "s3", "s4", "s11"}
    assert by_category(reports.breakdown(quotes, "gender")) == hand.AUTHORS_BY_GENDER["Rita"]


def test_targets_show_the_share_so_far_in_their_period(counted):
    speakers = Target.objects.create(name="Half women", measure="speakers", category="woman", share=50)
    quotes = Target.objects.create(
        name="B women quotes", measure="quotes", category="woman", share=40, section=counted["sections"]["b"]
    )
    yearly = Target.objects.create(
        name="Experts", dimension="source_type", category="expert", share=10, period="year", measure="quotes"
    )
    results = {
        item.target: item
        for item in reports.progress([speakers, quotes, yearly], reports.counted_quotes(reports.Filters()))
    }

    # November: W2, N1, M2, A1, U2, W1, M1 quoted; the women W1 and W2; U2 unknown.
    assert (results[speakers].reached, results[speakers].counted, results[speakers].unknown) == (2, 7, 1)
    assert (results[speakers].share, results[speakers].met) == (28.6, False)
    # Section B in November: s3, s4, s6: five quotes, two by women.
    assert (results[quotes].reached, results[quotes].counted, results[quotes].met) == (2, 5, True)
    # 2026 so far: 14 quotes, one by an expert.
    assert (results[yearly].reached, results[yearly].counted, results[yearly].met) == (1, 14, False)


def test_a_target_names_a_category_of_its_dimension():
    from django.core.exceptions import ValidationError

    target = Target(name="Wrong", dimension="source_type", category="woman", share=50)
    with pytest.raises(ValidationError, match="Choose one of: official"):
        target.full_clean()


def test_a_storys_sources_panel_counts_words_per_person_drafts_too(counted):
    draft = counted["stories"]["s2"]
    sources = reports.story_sources(draft)
    assert [(source.person.name, source.quotes, source.words, source.gender) for source in sources] == [
        ("Mark One", 2, 7, "Man"),
        ("Una Unrecorded", 1, 3, "Unknown"),
    ]
    assert sources[0].origins == ["Wire copy", "Unknown"]
    assert reports.story_sources(counted["stories"]["s7"])[0].source_type == "Expert"
