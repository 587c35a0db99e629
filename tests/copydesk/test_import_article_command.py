"""python manage.py import_article: real files in, draft articles with people and quotes out."""

import io
import json
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from taggit.models import Tag

from articles import workflow
from articles.models import Article, Person, Quote, Section
from ingest import MAX_BYTES
from tests.conftest import SEED_SLUG
from tests.factories import PersonFactory, SectionFactory
from tests.html_tree import parse_html

SEED_TEXT = Path(__file__).resolve().parents[2] / "fixtures" / "seed.txt"

SHORT_STORY = """Council Approves Night Buses

Mayor Helen Okafor called the vote "a promise kept."

"That ends this autumn," Okafor said.

"We are ready," a spokesperson said.
"""


@pytest.fixture
def world(db):
    return SectionFactory(name="World", slug="world")


@pytest.fixture
def copy_file(tmp_path):
    """Write bytes (or text, as UTF-8) to a file in tmp_path and return its path as a string."""

    def write(content, name="story.txt"):
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return str(path)

    return write


def run(*args, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_article", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def counts() -> tuple[int, int, int, int]:
    return Article.objects.count(), Person.objects.count(), Quote.objects.count(), Tag.objects.count()


def test_importing_the_seed_text_creates_a_draft_with_the_seeds_people_and_quotes(world):
    out, _ = run(str(SEED_TEXT))

    article = Article.objects.get()
    assert article.slug == SEED_SLUG
    assert article.status == Article.Status.DRAFT and article.published_at is None
    assert article.section == world
    assert article.subheads[0] == "Trump and Putin Engage in Extended Discussion"
    assert article.people.count() == 13
    peskov = Person.objects.get(name="Dmitry Peskov")
    assert (peskov.slug, peskov.role, peskov.alias_list) == (
        "dmitry-peskov",
        "Kremlin spokesperson",
        ["Peskov"],
    )
    quotes = list(article.quotes.select_related("speaker"))
    assert [quote.order for quote in quotes] == list(range(1, 18))
    assert (quotes[0].text, quotes[0].speaker.name) == ("frank and meaningful.", "Vladimir Putin")
    assert all(quote.text in article.body for quote in quotes)
    assert "13 new, 0 matched" in out and "Quotes: 17" in out


def test_importing_the_same_story_twice_changes_nothing(world, copy_file):
    path = copy_file(SHORT_STORY)
    run(path)
    before = counts()

    out, _ = run(path, "--tag", "Transport")

    assert counts() == before
    assert "already imported" in out


def test_a_story_already_on_the_site_is_recognised_by_its_body(world, copy_file):
    run(copy_file(SHORT_STORY))
    renamed = SHORT_STORY.replace("Council Approves Night Buses", "Night Buses Win the Vote")

    out, _ = run(copy_file(renamed, "renamed.txt"))

    assert Article.objects.count() == 1
    assert "already imported" in out


def test_the_seed_text_is_recognised_once_the_seed_fixture_is_loaded(seed):
    before = counts()
    out, _ = run(str(SEED_TEXT))
    assert counts() == before
    assert SEED_SLUG in out


def test_people_on_file_are_matched_by_name_or_alias_and_keep_their_record(world, copy_file):
    okafor = PersonFactory(
        name="Helen Okafor", slug="helen-okafor", role="Mayor of Riverton", aliases="Okafor"
    )
    other = PersonFactory(name="H. Okafor-Smith", slug="someone", aliases="Helen Okafor")  # an alias only

    out, _ = run(copy_file(SHORT_STORY))

    article = Article.objects.get()
    assert list(article.people.all()) == [okafor]
    assert Person.objects.count() == 2 and other.articles.count() == 0
    okafor.refresh_from_db()
    assert okafor.role == "Mayor of Riverton"
    assert [quote.speaker for quote in article.quotes.all()] == [okafor, okafor]
    assert "0 new, 1 matched" in out


def test_a_new_person_whose_slug_is_taken_gets_a_free_one(world, copy_file):
    PersonFactory(name="Someone Else", slug="helen-okafor")
    run(copy_file(SHORT_STORY))
    assert Person.objects.get(name="Helen Okafor").slug == "helen-okafor-2"


def test_undecided_quotes_are_reported_and_not_saved(world, copy_file):
    out, _ = run(copy_file(SHORT_STORY))
    assert list(Quote.objects.values_list("text", flat=True)) == ["a promise kept.", "That ends this autumn"]
    assert "Undecided: 1" in out and "“We are ready”" in out


def test_stories_come_in_as_drafts_with_their_tags_for_an_editor_to_publish(world, copy_file):
    run(copy_file(SHORT_STORY), "--tag", "Transport", "--tag", "Riverton")

    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT and article.published_at is None
    assert sorted(article.tags.names()) == ["Riverton", "Transport"]
    # Publication's checks are the workflow's, in the admin: copy carries no standfirst.
    assert "Write a standfirst (dek)." in workflow.publication_problems(article)


@pytest.mark.parametrize(
    ("byline_line", "credit"),
    [("By Reuters", "Reuters"), ("BY Maria Lindqvist and Tom Hale", "Maria Lindqvist and Tom Hale")],
)
def test_the_copys_byline_is_kept_without_its_by_and_printed_once(
    world, copy_file, client, yesterday, byline_line, credit
):
    run(copy_file(SHORT_STORY.replace("\n\n", f"\n{byline_line}\n\n", 1)))

    article = Article.objects.get()
    assert (article.byline, list(article.authors.all())) == (credit, [])
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED, published_at=yesterday)
    page = parse_html(client.get(article.get_absolute_url()).content)
    assert page.find(class_="byline-name").text.split() == ["By", *credit.split()]
    [json_ld] = page.find_all("script", type="application/ld+json")
    assert json.loads(json_ld.text)["author"] == [{"@type": "Organization", "name": credit}]
    feed = ElementTree.fromstring(client.get("/feeds/latest/rss/").content)
    assert feed.findtext("channel/item/{http://purl.org/dc/elements/1.1/}creator") == credit


def test_the_section_is_chosen_by_its_slug(world, copy_file):
    local = SectionFactory(name="Local", slug="local")
    run(copy_file(SHORT_STORY), "--section", "local")
    assert Article.objects.get().section == local


def test_an_unknown_section_is_an_error_that_lists_the_sections(world, copy_file):
    with pytest.raises(CommandError, match="No section with the slug “sport”. Sections: world"):
        run(copy_file(SHORT_STORY), "--section", "sport")
    assert Article.objects.count() == 0


def test_without_any_section_the_command_says_what_to_do(db, copy_file):
    assert not Section.objects.exists()
    with pytest.raises(CommandError, match="load_seed") as error:
        run(copy_file(SHORT_STORY))
    assert "admin" in str(error.value)
    assert Article.objects.count() == 0


def test_dry_run_writes_nothing_and_says_what_it_would_do(world, copy_file):
    PersonFactory(name="Vladimir Putin", slug="vladimir-putin", aliases="Putin")
    before = counts()

    out, _ = run(str(SEED_TEXT), "--dry-run", "--tag", "Ukraine")

    assert counts() == before
    assert "would create" in out and "12 new, 1 matched" in out


def test_json_prints_the_same_report_as_data(world, copy_file):
    out, _ = run(copy_file(SHORT_STORY), "--json")

    [result] = json.loads(out)
    assert result["status"] == "created"
    assert result["headline"] == "Council Approves Night Buses"
    assert result["people"] == [
        {"name": "Helen Okafor", "role": "Mayor", "slug": "helen-okafor", "status": "new"}
    ]
    assert [(quote["order"], quote["speaker"], quote["text"]) for quote in result["quotes"]] == [
        (1, "Helen Okafor", "a promise kept."),
        (2, "Helen Okafor", "That ends this autumn"),
    ]
    assert result["undecided"][0]["text"] == "We are ready"


def test_json_of_a_dry_run_says_nothing_was_written(world, copy_file):
    out, _ = run(copy_file(SHORT_STORY), "--json", "--dry-run")
    assert json.loads(out)[0]["status"] == "dry-run"
    assert Article.objects.count() == 0


def test_a_story_is_read_from_standard_input(world, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SHORT_STORY.encode()), encoding="utf-8"))
    out, _ = run("-")
    assert Article.objects.get().headline == "Council Approves Night Buses"
    assert out.startswith("standard input: created")


BAD_INPUT = {
    "empty": (b"", "empty"),
    "only white space": (b"\n  \n\t", "empty"),
    "not UTF-8": ("Café Owners Protest\n\nThey said “no.”".encode("cp1252"), "not UTF-8"),
    "UTF-16": ("Café Owners Protest\n\nThey said no.".encode("utf-16"), "not UTF-8"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    "no headline": (
        b"The talks resumed on Monday after a pause of three weeks, officials said.\n\nMore.",
        "no headline",
    ),
    "headline only": (b"Talks Resume in Geneva\n", "no body"),
    "JSON": (b'{\n  "headline": "Talks resume",\n  "body": "They did."\n}\n', "no headline"),
    "no words in the headline": (b"12345\n\nThe talks resumed on Monday.", "no headline"),
    "too big": (b"Headline\n\n" + b"word " * (MAX_BYTES // 5 + 1), "too big"),
}


@pytest.mark.parametrize("content, reason", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_a_bad_file_is_refused_with_a_one_line_reason_and_nothing_is_written(
    world, copy_file, content, reason
):
    path = copy_file(content)
    with pytest.raises(CommandError) as error:
        run(path)
    message = str(error.value)
    assert message.startswith(f"{path}: refused, {reason}")
    assert "\n" not in message
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize("name", ["missing.txt", ""])
def test_a_path_that_cannot_be_read_is_refused(world, tmp_path, name):
    with pytest.raises(CommandError, match="refused, cannot be read"):
        run(str(tmp_path / name))


def test_with_several_files_the_good_ones_are_imported_and_the_bad_ones_reported(world, copy_file):
    good = copy_file(SHORT_STORY, "good.txt")
    empty = copy_file(b"", "empty.txt")
    binary = copy_file(b"\x00\x01\x02", "binary.txt")

    with pytest.raises(CommandError, match="2 of 4 files refused") as error:
        out, err = io.StringIO(), io.StringIO()
        call_command("import_article", empty, good, binary, str(SEED_TEXT), stdout=out, stderr=err)

    assert Article.objects.count() == 2
    assert err.getvalue().splitlines() == [
        f"{empty}: refused, empty: there is no text in it",
        f"{binary}: refused, binary: this is not a text file",
    ]
    assert "good.txt: created" in out.getvalue()
    assert "2 imported or already there" in str(error.value)


def test_json_reports_refused_files_too(world, copy_file):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_article", copy_file(SHORT_STORY), copy_file(b"", "e.txt"), "--json", stdout=out)
    statuses = [result["status"] for result in json.loads(out.getvalue())]
    assert statuses == ["created", "refused"]


def test_a_failure_while_saving_leaves_nothing_of_that_file(world, copy_file, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Quote.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        run(copy_file(SHORT_STORY))
    assert counts() == (0, 0, 0, 0)


def test_the_benchmark_prints_its_table_and_every_story_meets_the_targets(db):
    out = io.StringIO()
    call_command("benchmark_import", "--check", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("| story")
    stories = {line.split("|")[1].strip() for line in lines[2:] if line.startswith("|")}
    assert {"seed", "night-buses", "record-transfer", "hidden-rivers"} <= stories
    assert "Every story meets the targets." in out.getvalue()


def test_the_benchmark_fails_a_story_below_the_targets_when_checking(db, tmp_path):
    (tmp_path / "wrong.txt").write_text('Talks Resume\n\nAnna Berg said: "We are ready."\n', encoding="utf-8")
    gold = {
        "people": [{"name": "Anna Berg", "role": ""}],
        "quotes": [{"text": "We are ready.", "speaker": "Tom Hale"}],
    }
    (tmp_path / "wrong.json").write_text(json.dumps(gold), encoding="utf-8")
    with pytest.raises(CommandError, match="Below the targets: wrong"):
        call_command("benchmark_import", "--check", "--gold", str(tmp_path), stdout=io.StringIO())
