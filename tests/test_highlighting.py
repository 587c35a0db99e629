from articles.highlighting import MARK_END, MARK_START, flatten, marked_html, passage


def test_passage_marks_every_occurrence_around_the_first_one():
    text = " ".join(f"word{number}" for number in range(100)) + " ceasefire and Ceasefire-talks"
    excerpt = passage(text, ["ceasefire"], length=12, lead=3)
    assert excerpt.startswith("… word97")
    assert f"{MARK_START}ceasefire{MARK_END} and {MARK_START}Ceasefire{MARK_END}-talks" in excerpt


def test_passage_without_a_match_is_the_opening_words():
    assert passage("One two three four", ["zebra"], length=2) == "One two …"
    assert passage("", ["zebra"]) == ""


def test_flatten_sets_off_subheads_and_drops_line_breaks():
    assert flatten("## A subhead\n\nThe first\nparagraph.") == "A subhead — The first paragraph."
    assert flatten("Text.\n\n## Last subhead") == "Text. Last subhead"


def test_marked_html_escapes_everything_but_its_own_marks():
    html = marked_html(f"<b>AT&T</b> said {MARK_START}<i>peace</i>{MARK_END} {MARK_END}stray{MARK_START}")
    assert html == "&lt;b&gt;AT&amp;T&lt;/b&gt; said <mark>&lt;i&gt;peace&lt;/i&gt;</mark> stray"
