"""
"Find quotes" in the article form: the importer reads the body as it stands in the form and
proposes its quotes, with speakers on file; the accepted ones are saved with the article.
"""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from articles.models import Article, Quote
from tests.articles.test_workflow import change_url, ready_draft
from tests.factories import PersonFactory
from tests.html_forms import form_data
from tests.html_tree import parse_html

BODY = """Mayor Ada Lind opened the new bridge on Tuesday.

"It is a good day for the city," Lind said.

Engineer Tomas Berg said the work took three years. "We never stopped," Berg said.

"Bring your family," said the festival director, Pia Moen.

"Nobody expected this," a passer-by said.
"""


@pytest.fixture
def lind(db):
    return PersonFactory(name="Ada Lind", slug="ada-lind", role="Mayor", aliases="Lind")


@pytest.fixture
def berg(db):
    return PersonFactory(name="Tomas Berg", slug="tomas-berg", role="Engineer", aliases="Berg")


@pytest.fixture
def draft(reporter, lind, berg):
    return ready_draft(reporter, headline="Bridge opens", body="Old text.")


def find_url(article=None) -> str:
    if article is None:
        return reverse("admin:articles_article_find_quotes")
    return reverse("admin:articles_article_find_quotes", args=[article.pk])


def the_form(client, url, **changes) -> dict[str, list[str]]:
    data = form_data(client.get(url).content.decode(), "article_form")
    data.update({name: [value] for name, value in changes.items()})
    return data


def proposals(html) -> list[tuple[str, str, bool]]:
    """(text, chosen speaker, accepted) of each proposal shown."""
    found = []
    for item in parse_html(html).find_all("li", class_="quote-proposal"):
        select = item.find("select")
        chosen = [option.text for option in select.find_all("option") if "selected" in option.attrs]
        accepted = "checked" in item.find("input", type="checkbox").attrs
        found.append((item.find("q").text, chosen[0] if chosen else "", accepted))
    return found


def errors(response) -> str:
    page = parse_html(response.content)
    return " ".join(" ".join(node.text.split()) for node in page.find_all(class_="errorlist"))


def test_the_form_offers_find_quotes_to_who_may_add_quotes(client, reporter, draft):
    client.force_login(reporter)

    page = parse_html(client.get(change_url(draft)).content)

    button = page.find("input", name="_find_quotes")
    assert button.attrs["data-url"] == find_url(draft)
    assert page.find(id="quote-proposals")


def test_find_quotes_proposes_the_bodys_quotes_with_speakers_on_file_and_saves_nothing(
    client, reporter, draft
):
    client.force_login(reporter)
    data = the_form(client, change_url(draft), body=BODY)

    response = client.post(find_url(draft), data)

    assert response.status_code == 200
    assert proposals(response.content) == [
        ("It is a good day for the city", "Ada Lind", False),
        ("We never stopped", "Tomas Berg", False),
        ("Bring your family", "", False),
        ("Nobody expected this", "", False),
    ]
    notes = [
        " ".join(note.text.split()) for note in parse_html(response.content).find_all(class_="found-speaker")
    ]
    assert notes[2] == "— Pia Moen (not on file: choose who this is, or add them under People)"
    assert notes[3] == "— the body does not say clearly who said it"
    assert Article.objects.get(pk=draft.pk).body == "Old text."
    assert not Quote.objects.exists()


def test_quotes_the_article_has_already_are_not_proposed_again(client, reporter, draft, lind):
    draft.quotes.create(speaker=lind, text="It is a good day for the city", order=1)
    client.force_login(reporter)
    data = the_form(client, change_url(draft), body=BODY)
    # One more typed into a new quote row, not saved yet.
    data.update({"quotes-TOTAL_FORMS": ["2"], "quotes-1-text": ["We never stopped"], "quotes-1-order": ["0"]})

    response = client.post(find_url(draft), data)

    assert [text for text, _, _ in proposals(response.content)] == [
        "Bring your family",
        "Nobody expected this",
    ]


def test_without_javascript_find_quotes_shows_the_form_again_unsaved_with_the_proposals(
    client, reporter, draft
):
    client.force_login(reporter)
    data = the_form(client, change_url(draft), body=BODY, headline="Bridge opens at last")
    data["_find_quotes"] = ["Find quotes"]

    response = client.post(change_url(draft), data)

    assert response.status_code == 200
    page = parse_html(response.content)
    assert page.find("input", name="headline").attrs["value"] == "Bridge opens at last"
    assert not page.find_all(class_="errornote")
    assert [text for text, _, _ in proposals(response.content)][:2] == [
        "It is a good day for the city",
        "We never stopped",
    ]
    assert Article.objects.get(pk=draft.pk).headline == "Bridge opens"


def test_accepted_proposals_are_saved_with_the_article_with_the_speaker_chosen(
    client, reporter, draft, lind, berg
):
    client.force_login(reporter)
    data = the_form(client, change_url(draft), body=BODY)
    data["_find_quotes"] = ["Find quotes"]
    shown = client.post(change_url(draft), data)
    data = form_data(shown.content.decode(), "article_form")
    # The first accepted as proposed, the second given to the mayor, the fourth to Berg; the third left out.
    data.update(
        {
            "proposals-0-accept": ["on"],
            "proposals-1-accept": ["on"],
            "proposals-1-speaker": [str(lind.pk)],
            "proposals-3-accept": ["on"],
            "proposals-3-speaker": [str(berg.pk)],
            "_continue": ["Save and continue editing"],
        }
    )

    response = client.post(change_url(draft), data)

    assert response.status_code == 302
    article = Article.objects.get(pk=draft.pk)
    assert article.body.startswith("Mayor Ada Lind opened the new bridge")
    assert [(quote.order, quote.speaker.name, quote.text) for quote in article.quotes.order_by("order")] == [
        (1, "Ada Lind", "It is a good day for the city"),
        (2, "Ada Lind", "We never stopped"),
        (3, "Tomas Berg", "Nobody expected this"),
    ]
    assert set(article.people.values_list("name", flat=True)) == {"Ada Lind", "Tomas Berg"}
    assert "3 quotes found in the body were added." in [
        str(message) for message in client.get(response["Location"]).context["messages"]
    ]


def test_a_new_unsaved_article_can_find_quotes_and_save_them(client, editor, lind, berg):
    section = ready_draft(editor).section
    client.force_login(editor)
    url = reverse("admin:articles_article_add")
    data = the_form(
        client, url, headline="Bridge opens", slug="bridge-opens", body=BODY, section=str(section.pk)
    )
    data["_find_quotes"] = ["Find quotes"]
    shown = client.post(url, data)
    assert not Article.objects.filter(slug="bridge-opens").exists()
    data = form_data(shown.content.decode(), "article_form")
    data.update({"proposals-1-accept": ["on"], "_save": ["Save"]})

    client.post(url, data)

    article = Article.objects.get(slug="bridge-opens")
    assert [(quote.speaker, quote.text) for quote in article.quotes.all()] == [(berg, "We never stopped")]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"proposals-0-speaker": ["999999"]}, "That person is no longer on file"),
        ({"proposals-0-speaker": ["Lind"]}, "That person is no longer on file"),
        ({"proposals-0-speaker": [""]}, "Choose who said “It is a good day for the city”, or untick it"),
        ({"proposals-0-text": ["Words nobody wrote"]}, "“Words nobody wrote” is no longer in the body"),
        ({"body": ["The body was rewritten since."]}, "is no longer in the body: click Find quotes again."),
        ({"proposals-TOTAL_FORMS": ["5000"]}, "Please submit at most 200 forms."),
    ],
)
def test_bad_proposals_are_a_one_line_form_error_and_save_nothing(client, reporter, draft, changes, error):
    client.force_login(reporter)
    data = the_form(client, change_url(draft), body=BODY)
    data["_find_quotes"] = ["Find quotes"]
    data = form_data(client.post(change_url(draft), data).content.decode(), "article_form")
    data.update({"proposals-0-accept": ["on"], "_save": ["Save"], **changes})

    response = client.post(change_url(draft), data)

    assert response.status_code == 200
    assert error in errors(response)
    assert not Quote.objects.exists()
    assert Article.objects.get(pk=draft.pk).body == "Old text."


def test_an_empty_body_is_a_one_line_bad_request(client, reporter, draft):
    client.force_login(reporter)

    response = client.post(find_url(draft), the_form(client, change_url(draft), body=""))

    assert response.status_code == 400
    assert parse_html(response.content).find(id="proposals-error").text == (
        "Write the body first: Find quotes reads the quotes in it."
    )


def test_someone_elses_draft_is_refused_to_a_reporter(client, reporter, other_reporter, draft):
    client.force_login(other_reporter)
    data = {"body": BODY, "_find_quotes": "Find quotes"}

    assert client.post(find_url(draft), data).status_code == 403
    assert client.post(change_url(draft), data).status_code == 403


def test_staff_who_cannot_add_quotes_neither_see_nor_use_find_quotes(client, draft, reporter):
    user = User.objects.create_user("viewer", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["add_article", "change_article", "view_article"])
    )
    client.force_login(user)
    article = ready_draft(user, body="Text.")
    page = parse_html(client.get(change_url(article)).content)
    assert not page.find_all("input", name="_find_quotes")
    assert not page.find_all(id="quote-proposals")

    assert client.post(find_url(article), {"body": BODY}).status_code == 403
    forged = the_form(client, change_url(article), body=BODY)
    forged.update({"proposals-TOTAL_FORMS": ["1"], "proposals-INITIAL_FORMS": ["0"]})
    forged.update({"proposals-0-text": ["We never stopped"], "proposals-0-accept": ["on"]})
    forged["proposals-0-speaker"] = [str(Quote._meta.get_field("speaker").related_model.objects.first().pk)]
    assert client.post(change_url(article), forged).status_code == 403
    assert not Quote.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client, draft):
    response = client.post(find_url(draft), {"body": BODY})

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_find_quotes_answers_only_posts(client, reporter, draft):
    client.force_login(reporter)

    assert client.get(find_url(draft)).status_code == 405
