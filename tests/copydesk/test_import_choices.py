"""
The import preview is the editor's to change before anything is saved: untick a person or a
quote, give a quote to someone else, merge a new person into someone on file.
"""

import pytest
from django.urls import reverse

from articles.models import Article, Person, Quote
from tests.factories import PersonFactory, SectionFactory
from tests.html_forms import form_data
from tests.html_tree import parse_html

IMPORT_URL = "admin:articles_article_import"

STORY = """Harbour Festival Returns to the Waterfront
By Maria Lindqvist

Deputy mayor Tomas Lind opened the harbour festival on Saturday, after three years without one.

"We waited three years for this," Lind said.

Local boat builder Ingrid Halvorsen showed her ferry. "It floats, and it is fast," Halvorsen said.

"Bring your family next year," said the festival director, Pia Moen.

"Nobody expected so many people," a steward said.
"""
# What the importer reads in it: people 0 Tomas Lind, 1 Ingrid Halvorsen, 2 Pia Moen (all new);
# quotes 0 Lind's, 1 Halvorsen's, 2 Moen's, 3 undecided (a steward's).


@pytest.fixture
def world(db):
    return SectionFactory(name="World", slug="world")


@pytest.fixture
def on_file(db):
    return PersonFactory(name="Ingrid Halvorsen-Dahl", slug="ingrid-halvorsen-dahl", aliases="Ingrid")


def counts():
    return Article.objects.count(), Person.objects.count(), Quote.objects.count()


def previewed(client):
    page = client.get(reverse(IMPORT_URL))
    data = form_data(page.content.decode(), "import_form")
    data.update({"text": [STORY], "_preview": ["Preview"]})
    response = client.post(reverse(IMPORT_URL), data)
    assert response.status_code == 200
    return response


def create(client, preview, untick=(), **fields):
    """Click "Create draft" on ``preview`` after unticking boxes and setting fields, as a browser would."""
    data = form_data(preview.content.decode(), "import_form")
    for name in untick:
        assert data.pop(name) == ["on"]
    data.update({name.replace("__", "-"): [str(value)] for name, value in fields.items()})
    data["_create"] = ["Create draft"]
    return client.post(reverse(IMPORT_URL), data)


def form_errors(response) -> str:
    page = parse_html(response.content)
    nodes = page.find_all(class_="errornote") + page.find_all(class_="errorlist")
    return " ".join(" ".join(node.text.split()) for node in nodes)


def test_the_preview_ticks_every_person_and_quote_but_the_undecided_one(client, editor, world):
    client.force_login(editor)

    page = parse_html(previewed(client).content)

    people = page.find(id="preview-people")
    boxes = people.find_all("input", type="checkbox")
    assert [box.attrs["name"] for box in boxes if "checked" in box.attrs] == [
        "person-0-keep",
        "person-1-keep",
        "person-2-keep",
    ]
    # New people may be merged into someone on file, by an editor.
    assert people.find_all("select", name="person-1-merge")
    quotes = page.find(id="preview-quotes").find_all("li")
    assert [item.find("q").text for item in quotes] == [
        "We waited three years for this",
        "It floats, and it is fast",
        "Bring your family next year",
        "Nobody expected so many people",
    ]
    ticked = ["checked" in item.find("input", type="checkbox").attrs for item in quotes]
    assert ticked == [True, True, True, False]
    speaker = quotes[1].find("select", name="quote-1-speaker")
    assert [option.text for option in speaker.find_all("option") if "selected" in option.attrs] == [
        "Ingrid Halvorsen (new)"
    ]


def test_the_editors_changes_are_what_create_draft_saves(client, editor, world, on_file):
    steward = PersonFactory(name="Ola Steward", slug="ola-steward")
    client.force_login(editor)
    preview = previewed(client)
    assert counts() == (0, 2, 0)

    response = create(
        client,
        preview,
        untick=["person-2-keep", "quote-2-keep"],  # Pia Moen, and her quote, are left out
        person__1__merge=on_file.pk,  # Ingrid Halvorsen is on file under a longer name
        quote__0__speaker=1,  # Lind's quote was Halvorsen's
        quote__3__keep="on",
        quote__3__on_file=steward.pk,  # the steward is on file
    )

    assert response.status_code == 302
    article = Article.objects.get()
    assert {(quote.order, quote.speaker.name, quote.text) for quote in article.quotes.all()} == {
        (1, "Ingrid Halvorsen-Dahl", "We waited three years for this"),
        (2, "Ingrid Halvorsen-Dahl", "It floats, and it is fast"),
        (3, "Ola Steward", "Nobody expected so many people"),
    }
    assert sorted(article.people.values_list("name", flat=True)) == [
        "Ingrid Halvorsen-Dahl",
        "Ola Steward",
        "Tomas Lind",
    ]
    # Only Tomas Lind is new; Pia Moen was unticked, Ingrid Halvorsen merged.
    assert sorted(Person.objects.values_list("name", flat=True)) == [
        "Ingrid Halvorsen-Dahl",
        "Ola Steward",
        "Tomas Lind",
    ]
    on_file.refresh_from_db()
    assert on_file.alias_list == ["Ingrid", "Ingrid Halvorsen", "Halvorsen"]
    message = [str(message) for message in client.get(response["Location"]).context["messages"]]
    assert message[0].endswith("3 people (1 new, 1 merged) and 3 quotes.")


def test_changing_the_preview_and_previewing_again_writes_nothing(client, editor, world, on_file):
    client.force_login(editor)
    preview = previewed(client)
    data = form_data(preview.content.decode(), "import_form")
    data.pop("person-0-keep")
    data["person-1-merge"] = [str(on_file.pk)]
    data["_preview"] = ["Preview"]

    response = client.post(reverse(IMPORT_URL), data)

    assert response.status_code == 200
    assert counts() == (0, 1, 0)
    assert on_file.alias_list == Person.objects.get(pk=on_file.pk).alias_list == ["Ingrid"]


@pytest.mark.parametrize(
    ("fields", "untick", "error"),
    [
        # A speaker deleted since the preview, or an id altered in the page.
        ({"quote__1__on_file": 999999}, (), "That person is no longer on file"),
        ({"quote__1__on_file": "Ingrid"}, (), "That person is no longer on file"),
        ({"person__1__merge": 999999}, (), "That person is no longer on file"),
        ({"quote__1__speaker": 7}, (), "Quote 2's speaker is not one of the story's people: choose again."),
        ({"quote__1__speaker": "x"}, (), "Quote 2's speaker is not one of the story's people: choose again."),
        ({"quote__1__speaker": ""}, (), "Quote 2 has no speaker: choose who said it, or untick it."),
        ({"quote__3__keep": "on"}, (), "Quote 4 has no speaker: choose who said it, or untick it."),
        (
            {},
            ("person-0-keep",),
            "Quote 1 is given to Tomas Lind, whom you unticked: choose another speaker, or untick the quote.",
        ),
    ],
)
def test_bad_choices_are_a_one_line_form_error_and_save_nothing(client, editor, world, fields, untick, error):
    client.force_login(editor)
    preview = previewed(client)

    response = create(client, preview, untick=untick, **fields)

    assert response.status_code == 200
    assert error in form_errors(response)
    assert counts() == (0, 0, 0)
    # The preview is shown again, with the editor's choices, ready to be corrected.
    assert parse_html(response.content).find("input", name="_create")


def test_a_speaker_deleted_between_preview_and_create_is_a_form_error(client, editor, world, on_file):
    client.force_login(editor)
    preview = previewed(client)
    chosen = PersonFactory(name="Gone Soon", slug="gone-soon")
    data = form_data(preview.content.decode(), "import_form")
    data.update({"quote-1-on_file": [str(chosen.pk)], "_create": ["Create draft"]})
    chosen.delete()

    response = client.post(reverse(IMPORT_URL), data)

    assert response.status_code == 200
    assert "That person is no longer on file" in form_errors(response)
    assert counts() == (0, 1, 0)


def test_a_reporter_may_untick_and_change_speakers_but_not_merge_into_people_on_file(
    client, reporter, world, on_file
):
    client.force_login(reporter)
    preview = previewed(client)
    assert not parse_html(preview.content).find_all("select", name="person-1-merge")

    forged = create(client, preview, person__1__merge=on_file.pk)

    assert forged.status_code == 200
    assert "Your account cannot change people on file, so it cannot merge" in form_errors(forged)
    assert counts() == (0, 1, 0)

    response = create(client, preview, untick=["quote-0-keep"], quote__2__speaker=0)

    assert response.status_code == 302
    assert sorted(Quote.objects.values_list("speaker__name", "text")) == [
        ("Ingrid Halvorsen", "It floats, and it is fast"),
        ("Tomas Lind", "Bring your family next year"),
    ]


def test_anonymous_users_cannot_create_drafts(client, world):
    response = client.post(reverse(IMPORT_URL), {"text": STORY, "section": world.pk, "_create": "x"})

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert counts() == (0, 0, 0)
