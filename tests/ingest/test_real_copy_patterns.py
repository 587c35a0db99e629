"""
The copy reader on the patterns published news copy showed it (issue 17), one invented example
each, and the development set of published copy held to its targets. No database.
"""

import json
from pathlib import Path

import pytest

from ingest import parse_story
from ingest.benchmark import DEVELOPMENT_TARGETS, development_shortfalls, load_gold_directory, score, total

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def story(*paragraphs: str, headline: str = "Harbour Plan Approved"):
    return parse_story("\n".join([headline, "", *paragraphs]))


def said(parsed) -> list[tuple[str, str | None]]:
    return [(quote.text, quote.speaker) for quote in parsed.quotes]


def people(parsed) -> dict[str, str]:
    return {person.name: person.role for person in parsed.people}


# -- who is speaking -----------------------------------------------------------------------------


def test_a_quote_alone_after_reported_speech_belongs_to_the_person_reported():
    parsed = story(
        "Harbour master Joan Pettit said the ferry would run every hour from May.",
        "“The demand is there, and it has been for years.",
        "“We only had to ask.”",
    )
    assert [speaker for _, speaker in said(parsed)] == ["Joan Pettit", "Joan Pettit"]


def test_a_quote_alone_after_a_sentence_about_the_speaker_stays_theirs_but_not_after_someone_else():
    about_her = story("Joan Pettit said the ferry would pay. She is confident. “The demand is there.”")
    someone_else = story("Joan Pettit said the ferry would pay. Tom Vale disagreed. “The demand is there.”")
    assert said(about_her) == [("The demand is there.", "Joan Pettit")]
    assert said(someone_else) == [("The demand is there.", None)]


def test_a_quote_paragraph_following_a_closed_attributed_quote_goes_on_with_its_speaker():
    parsed = story("“We start on Monday,” said engineer Piet Voss.", "“It will take a year.”")
    assert said(parsed) == [("We start on Monday", "Piet Voss"), ("It will take a year.", "Piet Voss")]


@pytest.mark.parametrize(
    "paragraphs",
    [
        ("“Are we ready?” asked Mara Kell.", "“Yes, we are.”"),
        ("Supporters of Mara Kell said “We will march.”",),
    ],
)
def test_a_reply_to_a_question_and_words_after_someone_named_as_an_object_stay_undecided(paragraphs):
    assert said(story(*paragraphs))[-1][1] is None


def test_a_pronoun_is_undecided_when_a_person_named_since_and_the_current_speaker_both_fit():
    parsed = story(
        "“The budget is balanced,” said Mara Kell.",
        "The plan was drawn up by treasurer Tomas Lind.",
        "He said it ‘saves every library’.",
    )
    assert said(parsed)[-1] == ("saves every library", None)


def test_a_pronoun_still_goes_to_the_subject_of_the_sentence_before():
    parsed = story(
        "“Good,” said Mara Kell.", "Tomas Lind, the treasurer, said the plan would pass. “It will,” he said."
    )
    assert said(parsed)[-1] == ("It will", "Tomas Lind")


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (
            (
                "Mara Kell, 29, crossed the line first.",
                "“I never expected this,” the 29-year-old Londoner said.",
            ),
            "Mara Kell",
        ),
        (("“The views are worth every step,” Tobias Renn, a local hiker, said.",), "Tobias Renn"),
        (
            ("Lena Ostrova, who chairs the finance committee at the town hall, said: “We are balanced.”",),
            "Lena Ostrova",
        ),
        (("Jake Ross who after the game said “It was a fair result”.",), "Jake Ross"),
        (("Tom Hale arrived late. Anna Berg, his deputy, said: “He always does.”",), "Anna Berg"),
        (("Anna Berg said Tom Hale had told her: “You are fired.”",), "Tom Hale"),
    ],
)
def test_a_description_or_an_appositive_between_speaker_and_verb_still_names_the_speaker(
    paragraphs, expected
):
    assert [speaker for _, speaker in said(story(*paragraphs))] == [expected]


def test_an_inverted_attribution_opening_a_sentence_is_not_a_person_called_said():
    parsed = story("The motion passed by one vote.", "Said Dana Foster: “We finally listened to residents.”")
    assert said(parsed) == [("We finally listened to residents.", "Dana Foster")]
    assert list(people(parsed)) == ["Dana Foster"]


def test_whoever_is_told_is_not_the_speaker():
    parsed = story("Mara Kell told Harbour Radio: “We are ready.”")
    assert said(parsed) == [("We are ready.", "Mara Kell")]


@pytest.mark.parametrize(
    "paragraph",
    [
        "Norway's Ola Brekke said the course was fast. “It suited me,” he said.",
        "Judge Ola Brekke thanked the jury. But the judge said: “It suited me.”",
        "OLA Brekke spent a year on the boat. “It suited me,” Brekke said.",
    ],
)
def test_names_after_a_possessive_a_conjunction_or_in_capitals_opening_the_copy(paragraph):
    parsed = story(paragraph)
    assert said(parsed) == [(said(parsed)[0][0], "Ola Brekke")]
    assert list(people(parsed)) == ["Ola Brekke"]


def test_a_first_name_alone_and_a_two_word_surname_refer_back_to_the_person_named_in_full():
    parsed = story(
        "Conductor Elsa Brandvold formed the choir with painter Lucy Manning Walker.",
        "“We sing for joy,” Elsa said. Manning Walker called it “a gift”.",
    )
    assert said(parsed) == [("We sing for joy", "Elsa Brandvold"), ("a gift", "Lucy Manning Walker")]
    assert list(people(parsed)) == ["Elsa Brandvold", "Lucy Manning Walker"]


# -- quotation marks -----------------------------------------------------------------------------


def test_a_quotation_in_single_marks_after_a_colon_runs_on_over_paragraphs():
    parsed = story(
        "Club chairman Brian Oduya said: 'In other seasons we would have folded.", "'Not this one.'"
    )
    assert said(parsed) == [
        ("In other seasons we would have folded.", "Brian Oduya"),
        ("Not this one.", "Brian Oduya"),
    ]


def test_a_nested_quotation_closing_before_a_space_does_not_swallow_the_attribution():
    parsed = story("“He leaned over and said, ‘I love you,’ ” Rhea Dunmore recalled.")
    assert said(parsed) == [("He leaned over and said, ‘I love you,’", "Rhea Dunmore")]


def test_two_single_marks_close_a_double_quotation_in_old_wire_style():
    parsed = story("\"We lost the roof,'' said Ada Morrow. \"Nobody was hurt.''")
    assert said(parsed) == [("We lost the roof", "Ada Morrow"), ("Nobody was hurt.", "Ada Morrow")]


def test_a_missing_closing_mark_ends_the_quotation_where_the_next_one_opens():
    parsed = story('Ada Morrow said: "We lost the roof. "Nobody was hurt, thank God."')
    assert said(parsed) == [
        ("We lost the roof.", "Ada Morrow"),
        ("Nobody was hurt, thank God.", "Ada Morrow"),
    ]


@pytest.mark.parametrize(
    "paragraph",
    [
        "The museum opens “The Hidden Life of Harbours” on Saturday, said curator Ana Lisboa.",
        "Ana Lisboa showed “Boats at Low Tide,” a painting from 1902.",
    ],
)
def test_titles_in_title_case_are_not_quotes(paragraph):
    assert story(paragraph).quotes == []


@pytest.mark.parametrize(
    "paragraph",
    [
        "The post did not get a “like” from the court, Ana Lisboa said.",
        "Ana Lisboa said the so-called “harbour tax” would not come back.",
    ],
)
def test_a_term_in_quotation_marks_is_left_out_not_quoted(paragraph):
    parsed = story(paragraph)
    assert parsed.quotes == [] and [quote.reason for quote in parsed.left_out] == [
        "a term in quotation marks"
    ]


# -- people and roles ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraph",
    [
        "The festival returns to Old Town this summer.",
        "Fire crews reached Harrow Lane and Oak Circle by noon.",
        "The Silver Gull sank off the point as the Harbour Fire spread.",
        "Visitors tuned in to his Morning Tide podcast.",
        "The case went to the Director of Public Prosecutions.",
        "Kessel Marine's Ana Lisboa spoke first.",
        "Eastfield Glade firefighters were called at noon.",
        "The depot is at 145 Hiram Industrial Dr in the east.",
        "The AFP Commissioner was not in the video; Attorneys General were.",
        "Harbour Monthly magazine dubbed it “the best coffee on the coast”.",
        "Rolling Thunder magazine called it “the record of the year”.",
    ],
)
def test_places_vessels_programmes_organisations_and_titles_alone_are_not_people(paragraph):
    assert set(people(story(paragraph))) <= {"Ana Lisboa"}


@pytest.mark.parametrize(
    ("paragraph", "name", "role"),
    [
        ("Councilmember Thomas Brandt voted against.", "Thomas Brandt", "Councilmember"),
        ("Thirty-four-year-old Victoria Amsel spoke in favour.", "Victoria Amsel", ""),
        ("Cr Kyle Mander proposed the meeting.", "Kyle Mander", "Cr"),
        (
            "Assistant Commissioner Counter Terrorism Scott Lyle said so.",
            "Scott Lyle",
            "Assistant Commissioner Counter Terrorism",
        ),
        ("The inquiry was chaired by Alan Whitby QC.", "Alan Whitby", ""),
        ("Local boat builder Ingrid Halvorsen will open it.", "Ingrid Halvorsen", "Local boat builder"),
        (
            "Lena Ostrova, who chairs the finance committee, said the budget was balanced.",
            "Lena Ostrova",
            "Chair of the finance committee",
        ),
    ],
)
def test_titles_ages_and_appositives_become_the_role_not_part_of_the_name(paragraph, name, role):
    assert people(story(paragraph)) == {name: role}


def test_a_long_headline_is_a_headline():
    headline = (
        "Council leader says the new bridge across the river will open next spring after years of delays, "
        "rising costs and a long argument with residents about where the cycle lanes go and who pays"
    )
    parsed = story("Work resumed on Monday, said engineer Piet Voss.", headline=headline)
    assert parsed.headline == headline and list(people(parsed)) == ["Piet Voss"]


# -- the development set -------------------------------------------------------------------------

DEVELOPMENT = load_gold_directory(FIXTURES / "realcopy")


def test_the_development_set_is_thirty_published_stories_or_more_each_with_its_source():
    assert len(DEVELOPMENT) >= 30
    sources = [
        json.loads((FIXTURES / "realcopy" / f"{gold.name}.json").read_text(encoding="utf-8"))["source"]
        for gold in DEVELOPMENT
    ]
    assert all(source.startswith(("http://", "https://")) for source in sources)
    assert len(set(sources)) == len(sources)


def test_the_development_set_as_a_whole_meets_its_targets():
    result = total("all", [score(gold) for gold in DEVELOPMENT])
    assert result.gold_quotes >= 100
    assert development_shortfalls(result) == []
    assert set(DEVELOPMENT_TARGETS) == {"attribution_precision", "attribution_recall", "people_precision"}


def test_a_development_set_below_its_targets_is_reported():
    wrong = total("all", [score(gold) for gold in DEVELOPMENT if gold.name.startswith("blackberry")])
    wrong.correct_attributed = 0
    assert development_shortfalls(wrong)[0] == "attribution precision 0.00 < 0.95"
