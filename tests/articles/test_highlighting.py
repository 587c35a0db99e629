from articles.highlighting import (
    ELLIPSIS,
    MARK_END,
    MARK_START,
    PASSAGE_SOURCE_CHARS,
    flatten,
    marked_html,
    passage,
)


def test_passage_marks_every_occurrence_around_the_first_one():
    text = " ".join(f"word{number}" for number in range(100)) + " ceasefire and Ceasefire-talks"
    excerpt = passage(text, ["ceasefire"], length=12, lead=3)
    assert excerpt.startswith("… word97")
    assert f"{MARK_START}ceasefire{MARK_END} and {MARK_START}Ceasefire{MARK_END}-talks" in excerpt


def test_passage_without_a_match_is_the_opening_words():
    assert passage("One two three four", ["zebra"], length=2) == "One two …"
    assert passage("", ["zebra"]) == ""


def test_passage_reads_only_the_first_characters_of_a_text_however_long():
    filler = "word " * PASSAGE_SOURCE_CHARS  # five times the bound
    within = filler[: PASSAGE_SOURCE_CHARS - 20] + " ceasefire " + filler
    beyond = filler[:PASSAGE_SOURCE_CHARS] + " ceasefire " + filler

    assert f"{MARK_START}ceasefire{MARK_END}" in passage(within, ["ceasefire"])
    excerpt = passage(beyond, ["ceasefire"])
    assert MARK_START not in excerpt
    assert excerpt == " ".join(["word"] * 35) + " " + ELLIPSIS  # the opening words


def test_a_passage_cut_at_the_bound_ends_with_an_ellipsis_not_half_a_word():
    text = "x" * (PASSAGE_SOURCE_CHARS - 12) + " ceasefire holds"  # "holds" is cut to "h"
    assert passage(text, ["ceasefire"]).endswith(f"{MARK_START}ceasefire{MARK_END} {ELLIPSIS}")


def test_flatten_sets_off_subheads_and_drops_line_breaks():
    assert flatten("## A subhead\n\nThe first\nparagraph.") == "A subhead — The first paragraph."
    assert flatten("Text.\n\n## Last subhead") == "Text. Last subhead"


def test_marked_html_escapes_everything_but_its_own_marks():
    html = marked_html(f"<b>AT&T</b> said {MARK_START}<i>peace</i>{MARK_END} {MARK_END}stray{MARK_START}")
    assert html == "&lt;b&gt;AT&amp;T&lt;/b&gt; said <mark>&lt;i&gt;peace&lt;/i&gt;</mark> stray"
