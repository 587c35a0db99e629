"""The body format: what each element renders to, what is refused, and what the form is told."""

import pytest

from bodytext import (
    PersonLink,
    QuoteMark,
    escape,
    from_plain,
    image_ids,
    plain_text,
    problems,
    pullquote_refs,
    render_body,
    split_blocks,
    subheads,
)
from bodytext.plain import plain_text_of_plain, to_plain
from bodytext.syntax import parse
from tests.html_tree import parse_html

PESKOV = PersonLink(("Dmitry Peskov", "Peskov"), "Dmitry Peskov", "/people/dmitry-peskov/")


def quote(text, order=1, speaker=PESKOV):
    return QuoteMark(text, f"quote-{order}", speaker.name, speaker.url, order)


def render(body, quotes=(), people=(), figures=None):
    return parse_html(render_body(body, quotes, people, figures))


# Plain text as the importer and the old bodies hold it: each must print exactly as typed.
TRICKY = [
    "Prices rose 5*3 times, *allegedly*, to **record** levels.",
    "The file_name_here and __init__ and _underscored_.",
    "See [the report](https://example.org/report) and [[image:1]] and [[pullquote:2]].",
    "1. This is not a list.",
    "2024. A year of talks.",
    "1) Nor is this.",
    "- Nor this.",
    "+ Or this.",
    "* Or this.",
    "> Not a blockquote.",
    "# Not a heading",
    "#hashtag at the start",
    "### Not a subhead either",
    "A backslash \\ and two \\\\ and one at the end \\",
    "C:\\Users\\desk\\notes.txt",
    "<b>bold?</b> <script>alert(1)</script>",
    "&amp; &lt; &#42; &copy; stay as typed",
    "A URL: https://example.org/a_b_c?x=1&y=*2* and <https://example.org/>",
    "`code` and ```fences``` and ~~strike~~",
    "---",
    "===",
    "![alt](https://example.org/a.png)",
    "[ref]: https://example.org/",
    "Line one\n1. line two\n- line three\n> line four\n# line five",
    "Trailing spaces  \nmake no break",
    "    Indented four spaces",
    "| a | b |\n|---|---|\n| 1 | 2 |",
]


@pytest.mark.parametrize("text", TRICKY)
def test_escaped_plain_text_reads_exactly_as_typed(text):
    body = escape(text)

    tree = render(body)

    assert plain_text(body) == "\n".join(line.strip() for line in text.split("\n"))
    assert [element.tag for element in tree.iter()] == ["p"]
    assert tree.find("p").text == plain_text(body)


@pytest.mark.parametrize("text", TRICKY)
def test_a_plain_body_with_subheads_converts_unchanged_in_meaning(text):
    old = f"## A subhead with * and _ and [x] #\n\n{text}\n\nLast paragraph."

    body = from_plain(old)
    tree = render(body)

    expected = [(block.kind, block.text) for block in split_blocks(old)]
    assert [("subhead" if el.tag == "h2" else "paragraph", el.text) for el in tree.elements] == [
        (kind, "\n".join(line.strip() for line in text.split("\n"))) for kind, text in expected
    ]
    assert plain_text(body) == plain_text_of_plain(old)
    assert to_plain(parse(body).blocks).split("\n\n")[0] == "## A subhead with * and _ and [x] #"


def test_bodies_without_markdown_characters_are_not_changed():
    old = "## The call\n\nThey spoke for two hours.\n\nNobody knows what's next."
    assert from_plain(old) == old


def test_each_element_renders():
    body = (
        "## Main\n\n### Detail\n\nA **bold** and *italic* word, and [a link](https://example.org/x).\n\n"
        "- one\n- two\n\n3. three\n4. four\n\n> Quoted text."
    )

    tree = render(body)

    assert [el.tag for el in tree.elements] == ["h2", "h3", "p", "ul", "ol", "blockquote"]
    assert tree.find("strong").text == "bold" and tree.find("em").text == "italic"
    assert [li.text for li in tree.find("ul").find_all("li")] == ["one", "two"]
    assert tree.find("ol").attrs["start"] == "3"
    assert tree.find("blockquote").find("p").text == "Quoted text."
    assert subheads(body) == ["Main"]
    assert plain_text(body).split("\n\n")[:3] == ["Main", "Detail", "A bold and italic word, and a link."]


def test_a_top_level_heading_is_a_subhead_and_deeper_ones_are_h3():
    tree = render("# One\n\n#### Four")
    assert [el.tag for el in tree.elements] == ["h2", "h3"]


def test_two_subheads_with_the_same_words_have_different_anchors():
    tree = render("## Again\n\nText.\n\n## Again")
    assert [h2.attrs["id"] for h2 in tree.find_all("h2")] == ["section-again", "section-again-2"]


@pytest.mark.parametrize(
    "href, rel",
    [
        ("https://example.org/a", "noopener noreferrer"),
        ("http://example.org/", "noopener noreferrer"),
        ("/articles/other-story/", None),
        ("#section-main", None),
        ("mailto:desk@example.org", None),
        ("tel:+441234567890", None),
    ],
)
def test_allowed_links_render_with_rel_on_external_ones_and_no_target(href, rel):
    body = f"Read [this]({href})."

    link = render(body).find("a")

    assert problems(body) == []
    assert link.attrs["href"] == href
    assert link.attrs.get("rel") == rel
    assert "target" not in link.attrs


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        "java&#x09;script:alert(1)",
        "&#106;avascript:alert(1)",
        "javascript&#58;alert(1)",
        "<javascript:alert(1)>",
        "<java\tscript:alert(1)>",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//evil.example/",
        "<\\\\evil.example>",
        "ftp://example.org/",
        "example.org/page",
        "https:/missing-slash",
        "",
    ],
)
def test_unsafe_links_are_refused_in_the_form_and_dropped_at_render(href):
    body = f"Click [here]({href}) now."

    tree = render(body)

    assert problems(body), href
    assert not tree.find_all("a")
    assert "here" in tree.find("p").text


def test_a_link_without_words_is_named_and_not_rendered():
    body = "See [](https://example.org/)."
    assert "no words" in problems(body)[0]
    assert not render(body).find_all("a")


def test_an_inline_image_is_its_figure_and_a_missing_one_prints_nothing():
    figures = {
        7: '<figure class="figure figure-inline"><picture><img src="/media/a.jpg" alt="A"></picture></figure>'
    }
    body = "Before.\n\n[[image:7]]\n\n[[image:8]]\n\nAfter."

    tree = render(body, figures=figures)

    assert [el.tag for el in tree.elements] == ["p", "figure", "p"]
    assert tree.find("img").attrs["alt"] == "A"
    assert image_ids(body) == [7, 8]
    assert plain_text(body) == "Before.\n\nAfter."


def test_the_picture_html_is_sanitised_too():
    figures = {
        1: '<figure><img src="javascript:alert(1)" onerror="alert(1)"><script>alert(1)</script></figure>'
    }
    html = render_body("[[image:1]]", figures=figures)
    assert "script" not in html and "onerror" not in html


def test_a_youtube_embed_is_a_link_and_a_button_with_nothing_of_theirs_loaded():
    tree = render("[[embed:https://youtu.be/dQw4w9WgXcQ]]")

    figure = tree.find("figure", class_="embed-video")
    assert figure.find("a").attrs["href"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert figure.find("button").attrs["hidden"] == ""
    assert not tree.find_all("iframe") and not tree.find_all("script")


@pytest.mark.parametrize(
    "url, network",
    [
        ("https://x.com/user/status/1", "X"),
        ("https://twitter.com/user/status/1", "X"),
        ("https://bsky.app/profile/someone.bsky.social/post/3k", "Bluesky"),
        ("https://mastodon.social/@someone/111", "Mastodon"),
        ("https://www.instagram.com/p/abc/", "Instagram"),
        ("https://www.facebook.com/page/posts/1", "Facebook"),
        ("https://www.tiktok.com/@someone/video/1", "TikTok"),
    ],
)
def test_a_social_post_is_a_card_naming_its_network(url, network):
    tree = render(f"[[embed:{url}]]")

    card = tree.find("a", class_="embed-card")
    assert card.attrs["href"] == url.replace("www.", "www.") and network in card.text
    assert card.attrs["rel"] == "noopener noreferrer"
    assert not tree.find_all("iframe") and not tree.find_all("script")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "https://evil.example/video",
        'https://www.youtube.com/watch?v="><script>alert(1)</script>',
        "https://www.youtube.com/watch?v=short",
        "http://user:pass@youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "data:text/html,hi",
        "https://x.com/",
    ],
)
def test_an_embed_of_anything_else_prints_nothing_and_the_form_says_why(url):
    body = f"[[embed:{url}]]"
    assert render_body(body) == ""
    assert "can embed" in problems(body)[0]


def test_a_pull_quote_shows_the_quote_and_links_its_speaker():
    body = "He called it “important.”\n\n[[pullquote:1]]\n\n[[pullquote:9]]"

    tree = render(body, [quote("important.", 1)])

    pull = tree.find("figure", class_="pullquote")
    assert pull.find("blockquote").text == "important."
    assert pull.find("figcaption").find("a").attrs["href"] == PESKOV.url
    assert len(tree.find_all("figure")) == 1  # quote 9 does not exist: nothing
    assert pullquote_refs(body) == [1, 9]


@pytest.mark.parametrize(
    "body, words",
    [
        ("[[image:abc]]", "named by its number"),
        ("[[pullquote:one]]", "named by its quote's number"),
        ("[[video:https://youtu.be/dQw4w9WgXcQ]]", "not something the body can hold"),
        ("Text before [[image:3]] in a paragraph.", "must stand alone"),
        ("- [[image:3]]", "must stand alone"),
    ],
)
def test_directives_with_junk_are_named_in_the_form_and_print_no_markup(body, words):
    html = render_body(body)
    assert words in " ".join(problems(body))
    assert "<figure" not in html and "<img" not in html


def test_a_quote_with_bold_words_is_found_and_marked_around_them():
    body = "She said the **4.2 million** figure was wrong."

    tree = render(body, [quote("the 4.2 million figure")])

    marked = tree.find("q", id="quote-1")
    assert marked.visible_text == "the 4.2 million figure"
    assert marked.find("strong").text == "4.2 million"
    assert marked.find("a").attrs["href"] == PESKOV.url


def test_a_quote_that_starts_inside_emphasis_keeps_the_html_nested():
    body = "It was *a frank and* meaningful talk."

    tree = render(body, [quote("frank and meaningful")])

    marked = tree.find("q")
    assert marked.visible_text == "frank and meaningful"
    assert [em.text for em in tree.find_all("em")] == ["a ", "frank and"]
    assert tree.find("p").visible_text == "It was a frank and meaningful talk."


def test_a_quote_holding_a_link_keeps_the_link_and_names_its_speaker_after_it():
    body = "He said the figures were [on the board's website](https://example.org/b) yesterday."

    tree = render(body, [quote("figures were on the board's website")])

    marked = tree.find("q", id="quote-1")
    (inner,) = marked.find_all("a")
    assert inner.attrs["href"] == "https://example.org/b"
    speaker = marked.parent.elements[marked.parent.elements.index(marked) + 1]
    assert speaker.attrs["href"] == PESKOV.url and speaker.text == "(Dmitry Peskov)"
    assert not [a for a in tree.find_all("a") for ancestor in a.ancestors if ancestor.tag == "a"]


def test_a_quote_inside_a_links_words_splits_the_link_not_the_quote():
    body = "See [what the minister called a good deal today](https://example.org/)."

    tree = render(body, [quote("a good deal")])

    assert tree.find("q").visible_text == "a good deal"
    assert not [a for a in tree.find_all("a") for ancestor in a.ancestors if ancestor.tag == "a"]
    assert {a.attrs["href"] for a in tree.find_all("a") if "quote-by" not in a.classes} == {
        "https://example.org/"
    }


def test_a_person_is_linked_at_the_first_mention_outside_links_and_quotes():
    body = (
        "## Peskov speaks\n\n[Peskov's statement](https://example.org/) said 'Peskov agrees'. "
        "Later Peskov left.\n\n- Peskov again"
    )

    tree = render(body, [quote("Peskov agrees")], [PESKOV])

    (mention,) = tree.find_all("a", class_="mention")
    assert mention.text == "Peskov"
    assert all(ancestor.tag not in ("a", "q") for ancestor in mention.ancestors)
    assert "Later" in mention.parent.text


def test_a_mention_in_bold_is_linked_inside_the_bold():
    tree = render("**Dmitry Peskov** spoke.", people=[PESKOV])
    assert tree.find("a", class_="mention").text == "Dmitry Peskov"


def test_a_list_item_is_its_own_block_for_quotes():
    body = "- first point\n- second point"
    assert render(body, [quote("point\nsecond")]).find_all("q") == []
    assert render(body, [quote("second point")]).find("q").visible_text == "second point"
