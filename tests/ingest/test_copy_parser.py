"""The copy reader (ingest): layout, people, quotes and who said them. No database."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ingest import MAX_BYTES, CopyRefused, KnownPerson, decode_copy, parse_story
from ingest.benchmark import load_gold_directory, load_seed_gold, score

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def story(*paragraphs: str, headline: str = "Talks Resume in Geneva"):
    """A story whose paragraphs are one per line, as in the seed."""
    return parse_story("\n".join([headline, "", *paragraphs]))


def said(parsed) -> list[tuple[str, str | None]]:
    return [(quote.text, quote.speaker) for quote in parsed.quotes]


# -- reading the bytes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Caf\u00e9 owners protest\n\nThey said so.".encode("latin-1"), "not UTF-8"),
        ("Headline\n\nBody.".encode("utf-16"), "not UTF-8"),
        (b"x" * (MAX_BYTES + 1), "too big"),
        (b"Headline\x01\x02\x03\x04\x05\x06\x07\x08 body", "binary"),
    ],
)
def test_copy_that_is_not_a_story_is_refused_with_a_reason(data, reason):
    with pytest.raises(CopyRefused, match=reason):
        decode_copy(data)


def test_copy_in_utf8_with_a_byte_order_mark_is_read():
    assert decode_copy(b"\xef\xbb\xbfHeadline\n\nBody.") == "Headline\n\nBody."


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "Officials in the capital said on Monday that the talks would resume next week.\n\nMore.",
            "no headline",
        ),
        ("A headline alone", "no body"),
        ('{"headline": "Talks resume", "body": "They did."}\n\nMore.', "data or markup"),
        ("<html><body>Talks resume</body></html>\n\nMore.", "data or markup"),
        ("1234 — 5678\n\nThe talks resumed on Monday.", "no words"),
        ("\n\n   \n", "empty"),
    ],
)
def test_copy_without_a_headline_or_a_body_is_refused(text, reason):
    with pytest.raises(CopyRefused, match=reason):
        parse_story(text)


# -- layout --------------------------------------------------------------------------------------


def test_subheads_are_short_title_case_lines_and_the_body_uses_the_project_format():
    parsed = parse_story(
        "Talks Resume in Geneva\n\nDelegates Return to the Table\nThe talks resumed on Monday.\n"
        "Both sides sent ministers.\nWhat Comes Next\nA second round is planned."
    )
    assert parsed.headline == "Talks Resume in Geneva"
    assert parsed.subheads == ["Delegates Return to the Table", "What Comes Next"]
    assert parsed.body == (
        "## Delegates Return to the Table\n\nThe talks resumed on Monday.\n\nBoth sides sent ministers.\n\n"
        "## What Comes Next\n\nA second round is planned."
    )


def test_hard_wrapped_paragraphs_are_joined_without_changing_a_word():
    parsed = parse_story(
        "Talks Resume in Geneva\r\nBy Jane Doe\r\n\r\nThe talks resumed on Monday after a\r\n"
        "pause of three weeks.\r\n\r\n## Next Steps\r\n\r\nA second round is planned\r\nfor June.\r\n"
    )
    assert parsed.byline == "Jane Doe"  # the credit, without the "By" that marks its line
    assert parsed.body == (
        "The talks resumed on Monday after a pause of three weeks.\n\n## Next Steps\n\n"
        "A second round is planned for June."
    )


def test_a_sentence_case_line_with_a_full_stop_is_a_paragraph_not_a_subhead():
    parsed = story("Talks resumed.", "Both Sides Said So.")
    assert parsed.subheads == []


# -- people ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "name", "role"),
    [
        ("Kremlin spokesperson Dmitry Peskov spoke first.", "Dmitry Peskov", "Kremlin spokesperson"),
        (
            "White House press secretary Karoline Leavitt spoke.",
            "Karoline Leavitt",
            "White House press secretary",
        ),
        ("Then Secretary of State Marco Rubio spoke.", "Marco Rubio", "Secretary of State"),
        ("Russian President Vladimir Putin spoke.", "Vladimir Putin", "Russian President"),
        ("Trump's envoy, Steve Witkoff, spoke.", "Steve Witkoff", "Trump's envoy"),
        (
            "Bridget Brink, who resigned last month as the U.S. ambassador to Ukraine, spoke.",
            "Bridget Brink",
            "Former U.S. ambassador to Ukraine",
        ),
        ("Tom Hale, a geologist, spoke.", "Tom Hale", "Geologist"),
        ("Supporters’ group chairman Alan Burke spoke.", "Alan Burke", "Supporters’ group chairman"),
        ("On Monday, Dr Anna Berg spoke.", "Anna Berg", ""),
    ],
)
def test_a_person_gets_the_role_the_copy_gives_them(sentence, name, role):
    [person] = story(sentence).people
    assert (person.name, person.role) == (name, role)


@pytest.mark.parametrize(
    "sentence",
    [
        "The White House was quiet.",
        "Trump boarded Air Force One in Rome.",
        "They met in the Oval Office.",
        "On Monday Vance spoke.",
        "Bessent told NBC's 'Meet the Press' he was ready.",
        "Talks in the Middle East stalled.",
        "She moved to New York City.",
        "The Kremlin and NATO Headquarters disagreed.",
        "Delegates stayed at Farringdon Road Station.",
    ],
)
def test_places_organisations_programmes_and_weekdays_are_not_people(sentence):
    assert story(sentence).people == []


def test_later_references_by_surname_are_the_same_person():
    parsed = story("Anna Berg, the city's planning chief, arrived late.", '"Sorry," Berg said.')
    [person] = parsed.people
    assert person.aliases == ("Berg",)
    assert said(parsed) == [("Sorry", "Anna Berg")]


def test_people_on_file_are_recognised_by_an_alias_alone():
    parsed = parse_story(
        "Talks Resume\n\nPutin called the talks 'useful'.", known=[KnownPerson("Vladimir Putin", ("Putin",))]
    )
    assert [(person.name, person.known) for person in parsed.people] == [("Vladimir Putin", True)]
    assert said(parsed) == [("useful", "Vladimir Putin")]


# -- quotes and speakers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ('Anna Berg spoke on Monday. "We are ready," Berg said.', [("We are ready", "Anna Berg")]),
        ("Anna Berg said: “We are ready.”", [("We are ready.", "Anna Berg")]),
        ("Anna Berg called the plan 'a disaster.'", [("a disaster.", "Anna Berg")]),
        ("Anna Berg called the plan ‘a disaster’.", [("a disaster", "Anna Berg")]),
        ('"We are ready," said Anna Berg.', [("We are ready", "Anna Berg")]),
        ("“Are we ready?” asked Anna Berg.", [("Are we ready?", "Anna Berg")]),
        (
            "'We will meet,' Anna Berg told reporters. 'And we will talk.'",
            [("We will meet", "Anna Berg"), ("And we will talk.", "Anna Berg")],
        ),
        (
            '"We will meet," said Anna Berg, "and we will talk."',
            [("We will meet", "Anna Berg"), ("and we will talk.", "Anna Berg")],
        ),
        (
            "Anna Berg said Tom Hale was 'tired' and called the plan 'a farce'.",
            [("tired", "Anna Berg"), ("a farce", "Anna Berg")],
        ),
        ("According to Anna Berg, the deal is 'dead'.", [("dead", "Anna Berg")]),
        ("The deal is 'dead', according to Anna Berg.", [("dead", "Anna Berg")]),
        ('Sen. Anna Berg of Idaho called the plan "a giveaway."', [("a giveaway.", "Anna Berg")]),
        (
            '"No," said Mrs. Anna Berg. "Absolutely not."',
            [("No", "Anna Berg"), ("Absolutely not.", "Anna Berg")],
        ),
    ],
)
def test_quotes_are_attributed_before_after_and_around_the_attribution(paragraph, expected):
    assert said(story(paragraph)) == expected


def test_a_quote_in_a_that_clause_belongs_to_the_main_subject_not_the_person_described():
    parsed = story("Tom Hale arrived.", "Anna Berg remarked that Hale is 'more than ready' to leave.")
    assert said(parsed) == [("more than ready", "Anna Berg")]


def test_a_pronoun_goes_to_the_subject_of_the_sentence_before():
    parsed = story(
        "Anna Berg said Tom Hale would question the deal, suggesting that Hale may withdraw.",
        "She stated, 'It takes two to tango.'",
    )
    assert said(parsed) == [("It takes two to tango.", "Anna Berg")]


def test_a_pronoun_skips_a_person_of_the_other_gender():
    parsed = story(
        "Dr Amara Osei spoke first. She called the result 'remarkable'.",
        "Tom Hale agreed. He described it as 'a surprise'.",
        "Osei and Hale will meet again. 'We are not finished,' he said.",
    )
    assert said(parsed)[-1] == ("We are not finished", "Tom Hale")


def test_apostrophes_inside_words_and_elisions_never_open_or_close_a_quote():
    parsed = story(
        "Anna Berg said the ministers' plan, which didn't pass in the '90s, was 'the country's best hope'.",
        "Berg added: ‘We don’t know, and we won’t guess.’",
        "Berg, a singer, said rock 'n' roll was 'her first love'.",
    )
    assert said(parsed) == [
        ("the country's best hope", "Anna Berg"),
        ("We don’t know, and we won’t guess.", "Anna Berg"),
        ("her first love", "Anna Berg"),
    ]


def test_a_quote_spanning_sentences_and_paragraphs_stays_one_speakers():
    parsed = story('Anna Berg said: "We will not give up. We never have.', '"And we never will."')
    assert said(parsed) == [
        ("We will not give up. We never have.", "Anna Berg"),
        ("And we never will.", "Anna Berg"),
    ]


@pytest.mark.parametrize(
    "paragraph",
    [
        "Anna Berg told NBC's 'Meet the Press' that the talks would go on.",
        "Anna Berg wrote the book “The Long Night” in 2019.",
        "Anna Berg appeared on 'Face the Nation' on Sunday.",
        '"The Night Shift," a 2019 book by Anna Berg, sold well.',
    ],
)
def test_quoted_titles_of_programmes_and_works_are_not_quotes(paragraph):
    parsed = story(paragraph)
    assert parsed.quotes == [] and parsed.left_out == []
    assert [person.name for person in parsed.people] == ["Anna Berg"]


@pytest.mark.parametrize(
    "paragraph",
    [
        "The White House indicated that Anna Berg has become increasingly 'frustrated' with the talks.",
        "'We are ready,' the ministry said.",
        "The players’ union said the deal was “a good day for football.”",
    ],
)
def test_quotes_attributed_to_an_institution_are_left_out(paragraph):
    parsed = story(paragraph)
    assert parsed.quotes == []
    assert len(parsed.left_out) == 1 and "institution" in parsed.left_out[0].reason


@pytest.mark.parametrize(
    "paragraphs",
    [
        ("'We are ready,' a spokesperson said.",),
        ("Anna Berg and Tom Hale met. 'We are ready,' they said.",),
        ("Anna Berg and Lars Berg met. 'It went well,' Berg said.",),
        ("Anna Berg and Tom Hale met on Monday.", "'It went well,' he said."),
        ("The deal was described as 'historic'.",),
    ],
)
def test_a_quote_whose_speaker_cannot_be_decided_is_reported_not_guessed(paragraphs):
    parsed = story(*paragraphs)
    assert [quote.speaker for quote in parsed.quotes] == [None]
    assert parsed.undecided == parsed.quotes


def test_the_quote_text_drops_a_trailing_comma_and_keeps_a_full_stop_or_question_mark():
    parsed = story(
        "'We are ready,' Anna Berg said. 'Are you?' she asked. 'Good.'",
    )
    assert [quote.text for quote in parsed.quotes] == ["We are ready", "Are you?", "Good."]


def test_every_quote_is_found_word_for_word_in_the_body():
    parsed = parse_story((FIXTURES / "seed.txt").read_text(encoding="utf-8"))
    for quote in parsed.quotes:
        assert parsed.body[quote.start : quote.start + len(quote.text)] == quote.text


# -- the seed and the gold stories --------------------------------------------------------------

# The copy never states Joe Biden's role: he is named only inside Vance's quote and in
# "Biden's administration". The seed's "Former U.S. President" is the editor's knowledge.
ROLES_NOT_IN_THE_COPY = {"Joe Biden"}


@pytest.fixture(scope="module")
def seed_objects():
    return json.loads((FIXTURES / "seed.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def parsed_seed():
    return parse_story((FIXTURES / "seed.txt").read_text(encoding="utf-8"))


def test_the_seed_text_gives_the_seed_articles_headline_subheads_and_body(seed_objects, parsed_seed):
    [article] = [obj["fields"] for obj in seed_objects if obj["model"] == "articles.article"]
    assert parsed_seed.headline == article["headline"]
    assert parsed_seed.body == article["body"]
    assert parsed_seed.subheads == [
        "Trump and Putin Engage in Extended Discussion",
        "Trump's Growing Frustration Over the Ongoing War",
        "No Ceasefire Yet, But Prisoner Exchanges Planned",
    ]


def test_the_seed_text_gives_the_seed_fixtures_thirteen_people_and_roles(seed_objects, parsed_seed):
    expected = [
        (obj["fields"]["name"], obj["fields"]["role"])
        for obj in seed_objects
        if obj["model"] == "articles.person"
    ]
    found = [(person.name, person.role) for person in parsed_seed.people]
    assert [name for name, _ in found] == [name for name, _ in expected]
    for (name, role), (_, expected_role) in zip(found, expected, strict=True):
        assert role == ("" if name in ROLES_NOT_IN_THE_COPY else expected_role), name
    assert all(person.aliases == (person.name.split()[-1],) for person in parsed_seed.people)


def test_the_seed_text_gives_the_seed_fixtures_seventeen_quotes_and_speakers(seed_objects, parsed_seed):
    names = {
        obj["fields"]["slug"]: obj["fields"]["name"]
        for obj in seed_objects
        if obj["model"] == "articles.person"
    }
    quotes = sorted(
        (obj["fields"] for obj in seed_objects if obj["model"] == "articles.quote"), key=lambda q: q["order"]
    )
    assert said(parsed_seed) == [(quote["text"], names[quote["speaker"][0]]) for quote in quotes]
    assert [quote.text for quote in parsed_seed.left_out] == ["frustrated"]  # the White House's word


GOLD = [
    load_seed_gold(FIXTURES / "seed.json", FIXTURES / "seed.txt"),
    *load_gold_directory(FIXTURES / "gold"),
]


def test_every_gold_story_on_disk_is_scored_with_its_quotes():
    on_disk = {copy.stem for copy in (FIXTURES / "gold").glob("*.txt")}
    assert len(on_disk) >= 3
    assert {gold.name for gold in GOLD[1:]} == on_disk
    assert all(gold.quotes for gold in GOLD)


@pytest.mark.parametrize("gold", GOLD, ids=[gold.name for gold in GOLD])
def test_every_gold_story_meets_the_precision_and_recall_targets(gold):
    result = score(gold)
    assert result.extraction_precision >= 0.95 and result.attribution_precision >= 0.95, result.mistakes
    assert result.extraction_recall >= 0.9 and result.attribution_recall >= 0.9, result.mistakes


def test_the_copy_reader_imports_nothing_from_django():
    code = (
        "import sys; import ingest, ingest.benchmark; "
        "sys.exit(any(name == 'django' or name.startswith('django.') for name in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=root, check=False).returncode == 0
