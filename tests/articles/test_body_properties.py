"""
Properties of the body renderer (articles/body.py) over any text, found with Hypothesis: it
never raises, its HTML is well formed and made only of its own elements, the text reads back
exactly as written, and every quote it finds is marked exactly once.
"""

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.body import BLOCK_SEPARATOR, PersonLink, QuoteMark, locate_quotes, render_body
from tests.html_tree import parse_html

PROPERTIES = settings(max_examples=100, deadline=None, derandomize=True)

# The renderer's own markup: nothing else may appear in its output.
ELEMENTS = {
    "h2": {"id"},
    "p": set(),
    "q": {"class", "id"},
    "a": {"class", "href"},
    "span": {"class"},
}

# Text that exercises the format (line breaks as browsers send them, "#", markup characters)
# mixed with any unicode; bodies are blocks of it, some of them subheads, between blank lines.
CHARACTERS = st.sampled_from(list("ab cd\n\r\t#<>&\"'/")) | st.characters(exclude_categories=["Cs"])
TEXT = st.text(CHARACTERS, max_size=80)
BLOCK = TEXT | TEXT.map(lambda text: f"## {text}")
SEPARATOR = st.sampled_from(["\n\n", "\r\n\r\n", "\n \t\n", "\n\n\n"])
BODY = st.lists(st.tuples(BLOCK, SEPARATOR), max_size=6).map(lambda blocks: "".join(map("".join, blocks)))


class WellFormed(HTMLParser):
    """Fails on an element it does not expect, an attribute it does not expect, or bad nesting."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        assert tag in ELEMENTS, tag
        assert {name for name, _ in attrs} <= ELEMENTS[tag], (tag, attrs)
        assert all(value is not None for _, value in attrs), (tag, attrs)
        if tag in ("h2", "p"):
            assert not self.open, f"<{tag}> inside {self.open}"
        self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open}"
        self.open.pop()

    def handle_startendtag(self, tag, attrs):
        raise AssertionError(f"<{tag}/>")

    def handle_data(self, data):
        if not self.open:
            assert data == "\n", repr(data)

    def unknown_decl(self, data):
        raise AssertionError(data)

    def handle_comment(self, data):
        raise AssertionError(data)


def expected_blocks(body: str) -> list[tuple[str, str]]:
    """What the body format says the blocks are, written out independently of the renderer."""
    blocks = []
    for chunk in re.split(r"\n[ \t]*\n", body.replace("\r\n", "\n")):
        text = chunk.strip()
        if text.startswith("## "):
            blocks.append(("h2", text[3:].strip()))
        elif text:
            blocks.append(("p", text))
    return blocks


@st.composite
def stories(draw):
    """A body, quotes (mostly words taken from the body, as editors copy them) and people."""
    body = draw(BODY)
    quotes = []
    for order in range(1, draw(st.integers(0, 4)) + 1):
        if body and draw(st.booleans()):
            start = draw(st.integers(0, len(body) - 1))
            text = body[start : draw(st.integers(start + 1, min(len(body), start + 60)))]
        else:
            text = draw(TEXT)
        # As the quote form leaves it: stripped, and within one paragraph.
        text = text.strip()
        if text and not BLOCK_SEPARATOR.search(text):
            quotes.append(QuoteMark(text, f"quote-{order}", f"Speaker {order}", f"/people/speaker-{order}/"))
    people = []
    for number in range(draw(st.integers(0, 3))):
        names = [name.strip() for name in draw(st.lists(TEXT, min_size=1, max_size=3)) if name.strip()]
        if names:
            people.append(PersonLink(tuple(names), names[0], f"/people/person-{number}/"))
    return body, quotes, people


@PROPERTIES
@given(stories())
def test_the_rendered_body_is_well_formed_and_only_the_renderers_markup(story):
    parser = WellFormed()
    parser.feed(render_body(*story))
    parser.close()
    assert parser.open == []


@PROPERTIES
@given(stories())
def test_the_text_reads_back_exactly_as_written(story):
    body = story[0]
    tree = parse_html(render_body(*story))
    assert [(element.tag, element.visible_text) for element in tree.elements] == expected_blocks(body)


@PROPERTIES
@given(stories())
def test_every_quote_found_is_marked_exactly_once(story):
    body, quotes, _ = story
    tree = parse_html(render_body(*story))
    found = locate_quotes(body, quotes)
    for _, _, quote in found:
        (marked,) = tree.find_all("q", id=quote.anchor)
        assert marked.visible_text == quote.text
        assert marked.find("a").attrs["href"] == quote.speaker_url
    assert len(tree.find_all("q")) == len(found)


@PROPERTIES
@given(
    body=st.text(max_size=500) | BODY,
    quotes=st.lists(st.text(max_size=50), max_size=5),
    names=st.lists(TEXT, max_size=5),
)
def test_any_input_renders_without_raising(body, quotes, names):
    marks = [QuoteMark(text, f"quote-{order}", "Speaker", "/people/s/") for order, text in enumerate(quotes)]
    people = [PersonLink((name,), name, f"/people/p{number}/") for number, name in enumerate(names) if name]
    assert isinstance(render_body(body, marks, people), str)


# What Hypothesis found, kept as plain examples.


def test_a_subheads_hash_marks_are_not_quoted_words():
    html = render_body("## Talks\n\nThey met at #2.", [QuoteMark("#", "quote-1", "S", "/people/s/")])
    assert parse_html(html).find("q").text.startswith("#")
    assert html.startswith('<h2 id="section-talks">Talks</h2>')


def test_a_quote_with_a_line_break_as_the_quote_form_sends_it_is_marked():
    html = render_body(
        "He said: no\r\nmore talks.", [QuoteMark("no\r\nmore talks", "quote-1", "S", "/people/s/")]
    )
    assert parse_html(html).find("q", id="quote-1").visible_text == "no\nmore talks"
