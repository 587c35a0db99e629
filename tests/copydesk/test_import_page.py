"""
The admin's "Import from text": paste a story, preview the import's report, create the draft.
Driven through real requests, posting the page's own form as a browser would.
"""

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version
from taggit.models import Tag

from articles.models import Article, Person, Quote
from copydesk.story_import import save_import
from ingest import MAX_BYTES
from tests.conftest import SEED_SLUG
from tests.factories import PersonFactory, SectionFactory
from tests.html_forms import form_data
from tests.html_tree import parse_html

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
STORY = (FIXTURES / "gold" / "night-buses.txt").read_text(encoding="utf-8")
IMPORT_URL = "admin:articles_article_import"


@pytest.fixture
def world(db):
    return SectionFactory(name="World", slug="world")


@pytest.fixture(params=["reporter", "editor"])
def staff(request, world):
    """Both roles may import: reporters and editors may create articles."""
    return request.getfixturevalue(request.param)


def counts() -> tuple[int, int, int, int]:
    return Article.objects.count(), Person.objects.count(), Quote.objects.count(), Tag.objects.count()


def open_page(client):
    response = client.get(reverse(IMPORT_URL))
    assert response.status_code == 200
    return response


def submit(client, response, button, **fields):
    """Fill in fields of the page's form and click ``button``, which must be on the page."""
    html = response.content.decode()
    assert parse_html(html).find("input", type="submit", name=button)
    data = form_data(html, "import_form")
    data.update({name: [value] for name, value in fields.items()})
    data[button] = ["clicked"]
    return client.post(reverse(IMPORT_URL), data)


def preview(client, text, **fields):
    return submit(client, open_page(client), "_preview", text=text, **fields)


def text_errors(response) -> str:
    row = parse_html(response.content).find("textarea", name="text").parent
    return " ".join(item.text for item in row.find_all("li"))


def test_the_change_list_links_to_the_import_page_and_keeps_recover_deleted(client, staff):
    client.force_login(staff)
    page = parse_html(client.get(reverse("admin:articles_article_changelist")).content)
    tools = page.find("ul", class_="object-tools")
    assert tools.find("a", class_="importlink").attrs["href"] == reverse(IMPORT_URL)
    assert tools.find("a", class_="importlink").text == "Import from text"
    assert tools.find("a", class_="recoverlink")
    assert tools.find("a", class_="addlink")


def test_preview_shows_the_commands_report_and_writes_nothing(client, staff):
    PersonFactory(name="Helen Okafor", slug="helen-okafor", role="Mayor of Riverton", aliases="Okafor")
    client.force_login(staff)
    before = counts()

    response = preview(client, STORY, tags="Transport, Riverton")

    assert response.status_code == 200
    assert counts() == before
    out = io.StringIO()
    call_command(
        "import_article", str(FIXTURES / "gold" / "night-buses.txt"), "--dry-run", "--json", stdout=out
    )
    [expected] = json.loads(out.getvalue())
    report = parse_html(response.content).find(id="import-preview")
    rows = {
        row.find("th").text: row.find("td").text.strip()
        for row in report.find(id="preview-story").find_all("tr")
    }
    assert (
        rows["Headline"] == expected["headline"] == "City Council Approves Night Bus Plan After Heated Debate"
    )
    assert rows["Byline"] == expected["byline"] == "Maria Lindqvist"
    assert rows["Section"] == "World"
    assert rows["Tags"] == "Riverton, Transport"
    subheads = [item.text for item in report.find(id="preview-subheads").find_all("li")]
    assert subheads == expected["subheads"] == ["Where the Money Comes From", "A Long Road to the Vote"]
    people = [
        [cell.text for cell in row.find_all("td")][:3]
        for row in report.find(id="preview-people").find_all("tr")[1:]
    ]
    assert [(name, role) for name, role, _ in people] == [
        (person["name"], person["role"]) for person in expected["people"]
    ]
    assert people[0] == ["Helen Okafor", "Mayor of Riverton", "matched: already on file"]
    assert ["Daniel Price", "Council member", "new: will be added"] in people
    quotes = [
        (item.find("strong").text, item.find("q").text)
        for item in report.find(id="preview-quotes").find_all("li", class_="quote-decided")
    ]
    assert quotes == [(quote["speaker"], quote["text"]) for quote in expected["quotes"]]
    assert ("Helen Okafor", "a promise kept.") in quotes
    undecided = report.find(id="preview-undecided").text
    assert "cautiously optimistic" in undecided
    assert "ready to begin hiring drivers immediately" in report.find(id="preview-left-out").text
    assert "The Night Shift" not in [text for _, text in quotes]
    headings = [heading.text for heading in report.find_all("h2")]
    assert f"People: {len(people)} ({len(people) - 1} new, 1 matched)" in headings
    assert f"Quotes: {len(quotes)}" in headings
    assert "Undecided: 1 (not saved unless you give it a speaker above)" in headings
    assert "Left out: 1 (not a person's words, so not saved as quotes)" in headings


def test_create_draft_after_the_preview_saves_the_draft_as_the_user(client, staff):
    client.force_login(staff)
    previewed = preview(client, STORY, tags="Transport")
    before = Person.objects.count()

    response = submit(client, previewed, "_create")

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[article.pk])
    assert (article.headline, article.status, article.published_at) == (
        "City Council Approves Night Bus Plan After Heated Debate",
        Article.Status.DRAFT,
        None,
    )
    assert article.created_by == staff
    # The copy carries its writer's byline: whoever imported it did not write it.
    assert not article.authors.exists()
    assert article.byline == "Maria Lindqvist"
    assert list(article.tags.names()) == ["Transport"]
    assert Person.objects.count() > before
    assert article.quotes.filter(speaker__name="Helen Okafor", text="a promise kept.").exists()
    assert all(quote.text in article.body for quote in article.quotes.all())
    [version] = Version.objects.get_for_object(article)
    assert (version.revision.user, version.revision.comment) == (staff, "Imported from text")

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'name="headline"' in page.content.decode()  # the importer may go on editing it
    [message] = [str(message) for message in page.context["messages"]]
    assert message.startswith(
        "Imported “City Council Approves Night Bus Plan After Heated Debate” as a draft:"
    )
    assert message.endswith("1 quote had no clear speaker and was not saved: add it below if it belongs.")


WIRE_STORY = """Council Approves Night Buses
{byline}

Mayor Helen Okafor called the vote "a promise kept."

"That ends this autumn," Okafor said.
"""


@pytest.mark.parametrize(
    ("byline_line", "byline", "importer_is_author", "printed"),
    [
        ("By Reuters", "Reuters", False, "By Reuters"),
        ("By Maria Lindqvist", "Maria Lindqvist", False, "By Maria Lindqvist"),
        ("By RITA", "", True, "By Rita"),
        ("", "", True, "By Rita"),
    ],
)
def test_the_importer_is_the_author_only_of_copy_that_credits_no_one_else(
    client, reporter, world, byline_line, byline, importer_is_author, printed
):
    client.force_login(reporter)

    submit(client, preview(client, WIRE_STORY.format(byline=byline_line)), "_create")

    article = Article.objects.get()
    assert article.byline == byline
    assert list(article.authors.all()) == ([reporter.author] if importer_is_author else [])
    page = parse_html(client.get(article.get_absolute_url()).content)  # her preview of the draft
    assert " ".join(page.find(class_="byline-name").text.split()) == printed


def test_a_user_without_an_author_profile_is_still_recorded_as_creator(client, world):
    user = User.objects.create_user("wire-desk", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["add_article", "change_article", "view_article", "add_person"]
        )
    )
    client.force_login(user)

    submit(client, preview(client, STORY), "_create")

    article = Article.objects.get()
    assert article.created_by == user and not article.authors.exists()


def test_the_first_section_is_chosen_unless_another_is(client, staff, world):
    SectionFactory(name="Arts", slug="arts")  # first in the sections' order
    client.force_login(staff)
    select = parse_html(open_page(client).content).find("select", name="section")
    assert [option.text for option in select.find_all("option") if "selected" in option.attrs] == ["Arts"]

    previewed = preview(client, STORY, section=str(world.pk))
    submit(client, previewed, "_create")

    assert Article.objects.get().section == world


def test_a_story_changed_after_the_preview_is_previewed_again_not_created(client, staff):
    client.force_login(staff)
    previewed = preview(client, STORY)

    response = submit(client, previewed, "_create", text=STORY.replace("7-2", "8-1"))

    assert response.status_code == 200
    assert Article.objects.count() == 0
    assert parse_html(response.content).find(id="import-preview")
    assert "changed after the preview" in " ".join(str(m) for m in response.context["messages"])
    # The new preview can be confirmed.
    submit(client, response, "_create")
    assert "8-1" in Article.objects.get().body


def test_create_draft_is_offered_only_with_a_preview(client, staff):
    client.force_login(staff)
    page = parse_html(open_page(client).content)
    assert page.find_all("input", name="_create") == []
    assert page.find_all(id="import-preview") == []


def test_a_story_imported_by_someone_else_after_the_preview_is_refused(client, staff):
    client.force_login(staff)
    previewed = preview(client, STORY)
    call_command("import_article", str(FIXTURES / "gold" / "night-buses.txt"), stdout=io.StringIO())
    before = counts()

    response = submit(client, previewed, "_create")

    assert response.status_code == 200
    assert counts() == before
    assert "already on the site" in text_errors(response)


BAD_INPUT = {
    "empty": ("", "Empty: there is no text in it."),
    "only white space": ("\n   \n\t\n", "Empty: there is no text in it."),
    "too long": (
        "Headline\n\n" + "word " * (MAX_BYTES // 5 + 1),
        "Too big: over the limit of 1,000,000 bytes.",
    ),
    "null characters": ("Talks Resume\n\nThe talks\x00 resumed.", "Null characters are not allowed."),
    "control characters": (
        "Talks Resume\n\n" + "\x01\x02\x03\x04 " * 20,
        "Binary: it is full of control characters, not text.",
    ),
    "no headline": (
        "The talks resumed on Monday after a pause of three weeks, officials said.\n\nMore.",
        "No headline: the first line is not a headline (it ends with a full stop, like a sentence).",
    ),
    "headline only": ("Talks Resume in Geneva\n", "No body: there are no paragraphs after the headline."),
}


@pytest.mark.parametrize("text, error", BAD_INPUT.values(), ids=BAD_INPUT.keys())
@pytest.mark.parametrize("button", ["_preview", "_create"])
def test_bad_input_is_a_form_error_and_writes_nothing(client, staff, text, error, button):
    client.force_login(staff)
    before = counts()

    response = submit(client, open_page(client), "_preview", text=text)
    if button == "_create":  # a hand-made request that skips the preview
        data = form_data(response.content.decode(), "import_form")
        response = client.post(reverse(IMPORT_URL), {**data, "text": [text], "_create": ["clicked"]})

    assert response.status_code == 200
    assert text_errors(response) == error
    page = parse_html(response.content)
    assert page.find_all(id="import-preview") == [] and page.find_all("input", name="_create") == []
    assert counts() == before


@pytest.mark.parametrize("rename", [False, True], ids=["same headline", "same text, new headline"])
def test_a_story_already_on_the_site_is_a_form_error_that_links_to_it(client, staff, seed, rename):
    client.force_login(staff)
    text = (FIXTURES / "seed.txt").read_text(encoding="utf-8")
    if rename:
        text = text.replace("What Did Trump and Putin Discuss", "What Trump and Putin Said", 1)
    before = counts()

    response = preview(client, text)

    assert counts() == before
    assert text_errors(response).startswith("This story is already on the site:")
    link = parse_html(response.content).find("textarea", name="text").parent.find("a")
    assert link.attrs["href"] == reverse("admin:articles_article_change", args=[seed.pk])
    assert Article.objects.get().slug == SEED_SLUG


def test_a_tag_without_letters_is_a_form_error(client, staff):
    client.force_login(staff)
    response = preview(client, STORY, tags="!!!")
    assert "has no letters or digits" in response.content.decode()
    assert parse_html(response.content).find_all(id="import-preview") == []
    assert counts()[0] == 0


def test_someone_who_cannot_add_people_cannot_import_a_story_naming_new_ones(client, world):
    user = User.objects.create_user("intern", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_article", "view_article"]))
    client.force_login(user)

    response = preview(client, STORY)

    assert "your account cannot add people" in response.content.decode()
    assert counts() == (0, 0, 0, 0)


def test_without_add_permission_the_page_is_forbidden_and_not_linked(client, world):
    user = User.objects.create_user("reader", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(user)

    assert client.get(reverse(IMPORT_URL)).status_code == 403
    response = client.post(reverse(IMPORT_URL), {"text": STORY, "section": world.pk, "_create": "x"})
    assert response.status_code == 403
    assert counts() == (0, 0, 0, 0)
    changelist = parse_html(client.get(reverse("admin:articles_article_changelist")).content)
    assert changelist.find_all("a", class_="importlink") == []


def test_the_page_needs_a_staff_login(client, world):
    response = client.get(reverse(IMPORT_URL))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_a_story_saved_by_someone_else_at_the_same_moment_is_a_form_error(client, staff, monkeypatch):
    def someone_else_first(plan, *args, **kwargs):
        Article.objects.create(headline="Theirs", slug=plan.slug, section=plan.section)
        return save_import(plan, *args, **kwargs)

    client.force_login(staff)
    previewed = preview(client, STORY)
    monkeypatch.setattr("copydesk.import_page.save_import", someone_else_first)

    response = submit(client, previewed, "_create")

    assert response.status_code == 200
    assert "at the same moment, so nothing was created" in response.content.decode()
    assert counts() == (0, 0, 0, 0)


def test_without_any_section_the_form_says_what_to_do(client, editor):
    client.force_login(editor)

    response = preview(client, STORY)

    assert response.status_code == 200
    row = parse_html(response.content).find("select", name="section").parent
    assert "an editor adds one under Sections" in row.text
    assert counts() == (0, 0, 0, 0)
