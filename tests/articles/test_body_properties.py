"""
Properties of the body format (bodytext) over any text, found with Hypothesis: a body in the old
plain format reads back exactly as written once converted; any body built from every element
renders to well-formed HTML made only of the renderer's elements, which nh3 leaves unchanged;
every quote found is marked exactly once; escape() turns any text into a body that reads as it.
"""

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from bodytext import (
    BLOCK_SEPARATOR,
    PersonLink,
    QuoteMark,
    canonical,
    escape,
    from_plain,
    locate_quotes,
    markup,
    plain_text,
    render_body,
    sanitise,
)
from bodytext.plain import plain_text_of_plain
from bodytext.rendering import ALLOWED_ATTRIBUTES
from tests.html_tree import parse_html

PROPERTIES = settings(max_examples=150, deadline=None, derandomize=True)

VOID = {"br", "img", "source"}

# Text that exercises the format (line breaks as browsers send them, every Markdown character)
# mixed with any unicode; plain bodies are blocks of it, some of them subheads, between blank lines.
MARKDOWN_CHARACTERS = list("ab cd\n\r\t#<>&\"'/*_[]()!\\`~-+=.:|1)") + ["1. ", "- ", "> ", "## ", "\xa0"]
CHARACTERS = st.sampled_from(MARKDOWN_CHARACTERS) | st.characters(exclude_categories=["Cs"])
TEXT = st.lists(CHARACTERS, max_size=60).map("".join)
BLOCK = TEXT | TEXT.map(lambda text: f"## {text}")
SEPARATOR = st.sampled_from(["\n\n", "\r\n\r\n", "\n \t\n", "\n\n\n"])
PLAIN_BODY = st.lists(st.tuples(BLOCK, SEPARATOR), max_size=6).map(
    lambda blocks: "".join(map("".join, blocks))
)

# Bodies written with every element of the format, including hostile addresses and junk directives.
WORDS = st.text(st.sampled_from(list("abcdefgh ,.'’\"&<>")), min_size=1, max_size=20).filter(str.strip)
ADDRESSES = st.sampled_from(
    [
        "https://example.org/a?b=1&c=2",
        "http://example.org",
        "/articles/x/",
        "#section-a",
        "mailto:desk@example.org",
        "tel:+441234",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java&#x09;script:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/",
        '"><script>alert(1)</script>',
        'https://example.org/" onmouseover="alert(1)',
    ]
)
INLINE = st.one_of(
    WORDS.map(escape),
    WORDS.map(lambda words: f"**{escape(words)}**"),
    WORDS.map(lambda words: f"*{escape(words)}*"),
    st.tuples(WORDS, ADDRESSES).map(lambda pair: f"[{escape(pair[0])}]({pair[1]})"),
    st.tuples(WORDS, ADDRESSES).map(lambda pair: f"**[{escape(pair[0])}](<{pair[1]}>)**"),
    TEXT,
)
LINE = st.lists(INLINE, min_size=1, max_size=5).map(" ".join)
DIRECTIVE = st.one_of(
    st.integers(0, 5).map(lambda n: f"[[pullquote:{n}]]"),
    st.integers(0, 5).map(lambda n: f"[[image:{n}]]"),
    ADDRESSES.map(lambda url: f"[[embed:{url}]]"),
    st.sampled_from(
        [
            "[[embed:https://www.youtube.com/watch?v=dQw4w9WgXcQ]]",
            "[[embed:https://vimeo.com/76979871]]",
            "[[embed:https://bsky.app/profile/a.bsky.social/post/3k]]",
            '[[embed:https://www.youtube.com/watch?v="><script>]]',
            "[[image:<script>]]",
            "[[nonsense:1]]",
        ]
    ),
)
MD_BLOCK = st.one_of(
    LINE,
    LINE.map(lambda line: f"## {line}"),
    LINE.map(lambda line: f"### {line}"),
    st.lists(LINE, min_size=1, max_size=3).map(lambda lines: "\n".join(f"- {line}" for line in lines)),
    st.lists(LINE, min_size=1, max_size=3).map(
        lambda lines: "\n".join(f"{n}. {line}" for n, line in enumerate(lines, 1))
    ),
    LINE.map(lambda line: f"> {line}"),
    DIRECTIVE,
)
MD_BODY = st.lists(MD_BLOCK, max_size=6).map("\n\n".join)


class WellFormed(HTMLParser):
    """Fails on an element or attribute the renderer does not write, or on bad nesting."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        assert tag in ALLOWED_ATTRIBUTES, tag
        assert {name for name, _ in attrs} <= ALLOWED_ATTRIBUTES[tag], (tag, attrs)
        assert all(value is not None for _, value in attrs), (tag, attrs)
        if tag in ("a", "q"):
            assert tag not in self.open, f"<{tag}> inside <{tag}>: {self.open}"
        if tag == "a":
            href = dict(attrs)["href"]
            assert re.match(r"^(https?://[^/\s]|mailto:|tel:|/(?!/)|#)", href, re.IGNORECASE), href
        if tag in ("h2", "h3", "p", "ul", "ol", "blockquote", "figure"):
            assert not {"p", "h2", "h3", "a", "q", "em", "strong"} & set(self.open), f"<{tag}> in {self.open}"
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open}"
        self.open.pop()

    def handle_startendtag(self, tag, attrs):
        raise AssertionError(f"<{tag}/>")

    def unknown_decl(self, data):
        raise AssertionError(data)

    def handle_comment(self, data):
        raise AssertionError(data)


def well_formed(html: str) -> None:
    parser = WellFormed()
    parser.feed(html)
    parser.close()
    assert parser.open == []


def expected_blocks(body: str) -> list[tuple[str, str]]:
    """What the plain format says the blocks are, written out independently of the renderer."""
    blocks = []
    for chunk in re.split(r"\n[ \t]*\n", body.replace("\r\n", "\n")):
        text = chunk.strip()
        if text.startswith("## "):
            words = " ".join(line.strip() for line in re.split(r"\r|\n", text[3:]) if line.strip())
            if words:
                blocks.append(("h2", words.replace("\0", "\ufffd")))
        elif text:
            blocks += [("p", paragraph) for paragraph in canonical(text).split("\n\n") if paragraph]
    return blocks


def quotes_from(draw, text: str) -> list[QuoteMark]:
    """Quotes mostly made of words of the text, as editors copy them, within one block."""
    quotes = []
    for order in range(1, draw(st.integers(0, 4)) + 1):
        if text and draw(st.booleans()):
            start = draw(st.integers(0, len(text) - 1))
            words = text[start : draw(st.integers(start + 1, min(len(text), start + 60)))]
        else:
            words = draw(TEXT)
        words = words.strip()
        if words and not BLOCK_SEPARATOR.search(words):
            quotes.append(
                QuoteMark(words, f"quote-{order}", f"Speaker {order}", f"/people/speaker-{order}/", order)
            )
    return quotes


def people_from(draw) -> list[PersonLink]:
    people = []
    for number in range(draw(st.integers(0, 3))):
        names = [
            name.strip() for name in draw(st.lists(TEXT | WORDS, min_size=1, max_size=3)) if name.strip()
        ]
        if names:
            people.append(PersonLink(tuple(names), names[0], f"/people/person-{number}/"))
    return people


@st.composite
def plain_stories(draw):
    """A body in the old plain format, converted, with quotes and people."""
    old = draw(PLAIN_BODY)
    body = from_plain(old)
    return old, body, quotes_from(draw, plain_text(body)), people_from(draw)


@st.composite
def stories(draw):
    """A body written with every element of the format, with quotes and people."""
    body = draw(MD_BODY)
    return body, quotes_from(draw, plain_text(body)), people_from(draw)


def visible(element) -> str:
    # The speaker's link after a quote that holds a link is the renderer's, not the body's.
    return "".join(
        child if isinstance(child, str) else visible(child)
        for child in element.children
        if isinstance(child, str) or not ({"visually-hidden", "quote-by"} & child.classes)
    )


@PROPERTIES
@given(plain_stories())
def test_a_plain_body_reads_back_exactly_as_written_once_converted(story):
    old, body, quotes, people = story
    tree = parse_html(render_body(body, quotes, people))
    assert [(element.tag, visible(element)) for element in tree.elements] == expected_blocks(old)
    assert plain_text(body) == plain_text_of_plain(old)


@PROPERTIES
@given(stories())
def test_any_body_renders_well_formed_html_that_nh3_leaves_unchanged(story):
    html = markup(*story)
    well_formed(html)
    assert sanitise(html) == html
    assert render_body(*story) == html


@PROPERTIES
@given(plain_stories())
def test_a_converted_plain_body_renders_html_that_nh3_leaves_unchanged(story):
    _, body, quotes, people = story
    html = markup(body, quotes, people)
    well_formed(html)
    assert sanitise(html) == html


@PROPERTIES
@given(stories() | plain_stories().map(lambda story: story[1:]))
def test_every_quote_found_is_marked_exactly_once(story):
    body, quotes, _ = story
    tree = parse_html(render_body(*story))
    found = locate_quotes(body, quotes)
    for _, _, quote in found:
        (marked,) = tree.find_all("q", id=quote.anchor)
        assert visible(marked) == quote.text.replace("\r\n", "\n")
        if not [link for link in marked.find_all("a") if link.attrs["href"] == quote.speaker_url]:
            # The quote holds a link: the speaker's own follows it.
            follows = marked.parent.elements[marked.parent.elements.index(marked) + 1]
            assert follows.attrs["href"] == quote.speaker_url and "quote-by" in follows.classes
    assert len(tree.find_all("q")) == len(found)


@PROPERTIES
@given(st.lists(CHARACTERS, max_size=200).map("".join))
def test_escape_turns_any_text_into_a_body_that_reads_as_it(text):
    body = escape(text)
    assert plain_text(body) == canonical(text)
    html = markup(body)
    well_formed(html)
    tree = parse_html(html)
    # Nothing but paragraphs: no markup, link or directive came out of the text.
    assert {element.tag for element in tree.iter()} <= {"p"}


@PROPERTIES
@given(
    body=st.text(max_size=500) | MD_BODY | PLAIN_BODY,
    quotes=st.lists(st.text(max_size=50), max_size=5),
    names=st.lists(TEXT, max_size=5),
)
def test_any_input_renders_without_raising(body, quotes, names):
    marks = [
        QuoteMark(text, f"quote-{order}", "Speaker", "/people/s/", order) for order, text in enumerate(quotes)
    ]
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


def test_a_lone_hash_in_plain_copy_stays_a_paragraph():
    assert render_body(from_plain("#\n\n")) == "<p>#</p>"
