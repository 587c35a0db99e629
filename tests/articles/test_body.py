"""The body renderer (bodytext) on bodies in the plain format, and the verbatim-quote check: no database."""

import pytest

from articles.quoting import first_missing_words
from bodytext import PersonLink, QuoteMark, render_body, split_blocks, subheads
from tests.html_tree import parse_html

PUTIN = PersonLink(("Vladimir Putin", "Putin"), "Vladimir Putin", "/people/vladimir-putin/")
TRUMP = PersonLink(("Donald Trump", "Trump"), "Donald Trump", "/people/donald-trump/")
PESKOV = PersonLink(("Dmitry Peskov", "Peskov"), "Dmitry Peskov", "/people/dmitry-peskov/")


def quote(text, order, speaker=PUTIN):
    return QuoteMark(text, f"quote-{order}", speaker.name, speaker.url)


def render(body, quotes=(), people=()):
    return parse_html(render_body(body, quotes, people))


def blocks_of(tree):
    return [(element.tag, element.text) for element in tree.elements]


def test_subheads_become_h2_and_paragraphs_become_p_in_order():
    body = "## The call\n\nThey spoke.\n\nFor two hours.\n\n## What next\n\nNobody knows."

    tree = render(body)

    assert blocks_of(tree) == [
        ("h2", "The call"),
        ("p", "They spoke."),
        ("p", "For two hours."),
        ("h2", "What next"),
        ("p", "Nobody knows."),
    ]
    assert [h2.attrs["id"] for h2 in tree.find_all("h2")] == ["section-the-call", "section-what-next"]
    assert subheads(body) == ["The call", "What next"]


@pytest.mark.parametrize(
    "body, expected",
    [
        ("One.\r\n\r\nTwo.", [("p", "One."), ("p", "Two.")]),
        ("One.\n \t\nTwo.", [("p", "One."), ("p", "Two.")]),
        ("\n\nOne.\n\n\n\nTwo.\n\n", [("p", "One."), ("p", "Two.")]),
        ("One line\nand the next line.", [("p", "One line\nand the next line.")]),
        ("##No space, no subhead", [("p", "##No space, no subhead")]),
        ("##   Spaced out  \n\nText.", [("h2", "Spaced out"), ("p", "Text.")]),
        ("", []),
    ],
    ids=[
        "crlf",
        "whitespace-line",
        "extra-blank-lines",
        "single-newline",
        "hashes-only",
        "padded-subhead",
        "empty",
    ],
)
def test_blank_lines_separate_blocks(body, expected):
    assert blocks_of(render(body)) == expected


def test_block_offsets_point_at_their_text_in_the_body():
    body = "  ## Head  \n\n   First para.\n\nSecond para.  "
    for block in split_blocks(body):
        assert body[block.start : block.start + len(block.text)] == block.text


@pytest.mark.parametrize(
    "body",
    [
        "Before <script>alert('x')</script> after.",
        "## <script>alert('x')</script>",
        'An <img src=x onerror="alert(1)"> & a "quoted" word.',
    ],
    ids=["paragraph", "subhead", "attribute-like"],
)
def test_html_in_the_body_is_escaped_not_rendered(body):
    html = render_body(body)
    tree = parse_html(html)

    assert not tree.find_all("script")
    assert not tree.find_all("img")
    assert tree.text == body.removeprefix("## ")


def test_html_in_a_quote_is_escaped_inside_the_mark():
    body = "She said '<b>no</b> & never' twice."

    tree = render(body, [quote("<b>no</b> & never", 1)])

    assert not tree.find_all("b")
    assert tree.find("q", id="quote-1").visible_text == "<b>no</b> & never"
    assert tree.find("p").visible_text == body


def test_html_in_a_persons_name_and_url_is_escaped():
    evil = PersonLink(("<i>Evil</i> Name",), "<i>Evil</i> Name", '/people/evil/" onclick="alert(1)')
    body = "<i>Evil</i> Name said 'hello'."

    tree = render(body, [QuoteMark("hello", "quote-1", evil.name, evil.url)], [evil])

    assert not tree.find_all("i")
    assert not [element for element in tree.iter() if "onclick" in element.attrs]
    mention = tree.find("a", class_="mention")
    assert mention.text == "<i>Evil</i> Name"
    assert mention.attrs["href"] == evil.url
    speaker_link = tree.find("q").find("a")
    assert speaker_link.attrs["href"] == evil.url
    assert speaker_link.find("span", class_="visually-hidden").text.strip() == f"({evil.name})"


def test_a_quote_is_marked_in_place_and_linked_to_its_speaker():
    body = "He called the talks 'frank and meaningful' on Monday."

    tree = render(body, [quote("frank and meaningful", 1)])

    paragraph = tree.find("p")
    mark = paragraph.find("q", class_="quote")
    assert mark.attrs["id"] == "quote-1"
    assert mark.visible_text == "frank and meaningful"
    link = mark.find("a")
    assert link.attrs["href"] == PUTIN.url
    # Named once for screen readers, by the hidden text: no title to read out again.
    assert mark.find("span", class_="visually-hidden").text.strip() == "(Vladimir Putin)"
    assert "title" not in link.attrs
    assert paragraph.visible_text == body


def test_a_short_quote_inside_an_earlier_longer_quote_is_marked_at_its_own_place():
    body = "Peskov said 'the talks were important, very important' and later repeated 'very important'."
    quotes = [
        quote("the talks were important, very important", 1, PESKOV),
        quote("very important", 2, PESKOV),
    ]

    tree = render(body, quotes)

    long, short = tree.find("q", id="quote-1"), tree.find("q", id="quote-2")
    assert long.visible_text == "the talks were important, very important"
    assert short.visible_text == "very important"
    assert long not in short.ancestors and short not in long.ancestors
    assert [mark.attrs["id"] for mark in tree.find_all("q")] == ["quote-1", "quote-2"]


def test_the_same_words_quoted_twice_are_marked_once_each_in_order():
    body = "'No,' said one. 'No,' said the other."

    tree = render(body, [quote("No,", 1, PUTIN), quote("No,", 2, TRUMP)])

    marks = tree.find_all("q")
    assert [(mark.attrs["id"], mark.find("a").attrs["href"]) for mark in marks] == [
        ("quote-1", PUTIN.url),
        ("quote-2", TRUMP.url),
    ]


def test_a_quote_listed_before_an_earlier_one_in_the_text_is_still_marked():
    body = "'Yes,' he said first. Then: 'no.'"

    tree = render(body, [quote("no.", 1), quote("Yes,", 2)])

    assert tree.find("q", id="quote-1").visible_text == "no."
    assert tree.find("q", id="quote-2").visible_text == "Yes,"


@pytest.mark.parametrize(
    "text",
    ["words nobody said", "", "One.\n\nTwo."],
    ids=["not-in-body", "empty", "across-paragraphs"],
)
def test_a_quote_that_cannot_be_placed_is_left_unmarked_and_the_text_intact(text):
    body = "One.\n\nTwo."

    tree = render(body, [quote(text, 1)])

    assert not tree.find_all("q")
    assert blocks_of(tree) == [("p", "One."), ("p", "Two.")]


def test_only_the_first_mention_of_a_person_is_linked():
    body = "Putin spoke first.\n\nPutin spoke again. Later Vladimir Putin left."

    tree = render(body, people=[PUTIN])

    mentions = tree.find_all("a", class_="mention")
    assert [(mention.text, mention.attrs["href"]) for mention in mentions] == [("Putin", PUTIN.url)]
    assert mentions[0].parent is tree.elements[0]


def test_each_person_gets_their_own_first_mention():
    tree = render("Trump called Putin. Trump and Putin talked.", people=[PUTIN, TRUMP])

    mentions = tree.find_all("a", class_="mention")
    assert [(mention.text, mention.attrs["href"]) for mention in mentions] == [
        ("Trump", TRUMP.url),
        ("Putin", PUTIN.url),
    ]


def test_a_mention_inside_a_quote_is_not_linked_and_the_next_one_outside_is():
    body = "Vance called it 'Vladimir Putin's war' and blamed Putin for it."

    tree = render(body, [quote("Vladimir Putin's war", 1, TRUMP)], [PUTIN])

    assert not tree.find("q").find_all("a", class_="mention")
    mention = tree.find("a", class_="mention")
    assert mention.text == "Putin"
    assert tree.find("q") not in mention.ancestors


def test_a_mention_in_a_subhead_is_not_linked_but_the_first_in_a_paragraph_is():
    tree = render("## Putin speaks\n\nPutin spoke.", people=[PUTIN])

    assert not tree.find("h2").find_all("a")
    assert tree.find("p").find("a", class_="mention").text == "Putin"


@pytest.mark.parametrize(
    "names",
    [("Vladimir Putin", "Putin"), ("Putin", "Vladimir Putin")],
    ids=["full-name-first", "alias-first"],
)
def test_the_longest_name_wins_where_names_overlap(names):
    person = PersonLink(names, "Vladimir Putin", PUTIN.url)

    tree = render("Vladimir Putin spoke.", people=[person])

    assert tree.find("a", class_="mention").text == "Vladimir Putin"


@pytest.mark.parametrize(
    "body, linked",
    [
        ("Putin's aides spoke.", "Putin"),
        ("The Trump-Putin call.", "Putin"),
        ("(Putin) spoke.", "Putin"),
        ("Putinism is a word.", None),
        ("Rasputin was a monk.", None),
        ("putin in lower case.", None),
    ],
)
def test_a_mention_is_a_whole_name(body, linked):
    mentions = render(body, people=[PUTIN]).find_all("a", class_="mention")
    assert [mention.text for mention in mentions] == ([linked] if linked else [])


def test_rendering_without_quotes_or_people_only_escapes():
    assert render_body("A & B.\n\n## C < D") == '<p>A &amp; B.</p>\n<h2 id="section-c-d">C &lt; D</h2>'


@pytest.mark.parametrize(
    "quote_text, body, missing",
    [
        ("frank and meaningful.", "as 'frank and meaningful.'", ""),
        ("frank and hopeful.", "as 'frank and meaningful.'", "hopeful."),
        ("frank, and meaningful.", "as 'frank and meaningful.'", "frank, and meaningful."),
        ("quite frank and meaningful.", "as 'frank and meaningful.'", "quite frank and meaningful."),
        ("frank and\nmeaningful.", "as 'frank and meaningful.'", "meaningful."),
        ("frank and meaningful. ", "as 'frank and meaningful.'", "meaningful. "),
    ],
    ids=[
        "verbatim",
        "last-word-differs",
        "punctuation-differs",
        "first-word-missing",
        "line-break-differs",
        "trailing-space",
    ],
)
def test_first_missing_words_names_the_first_words_not_in_the_body(quote_text, body, missing):
    assert first_missing_words(quote_text, body) == missing


@pytest.mark.parametrize("quote_text", ["frank ", " frank", "frank and meaningful.'\n", "  ", "x"])
def test_first_missing_words_is_empty_exactly_when_the_quote_is_in_the_body(quote_text):
    body = "as 'frank and meaningful.'"
    assert (first_missing_words(quote_text, body) == "") is (quote_text in body)
