"""The body in the article form: its toolbar's endpoints, and what the form refuses."""

import pytest
from django.urls import reverse

from articles.models import Article
from copydesk.story_import import plan_import, save_import
from tests.factories import ArticleFactory, PersonFactory, QuoteFactory, SectionFactory
from tests.html_forms import form_data
from tests.html_tree import parse_html
from tests.images.pictures import library_image

PREVIEW = "admin:articles_article_body_preview"
IMAGES = "admin:articles_article_body_images"


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _change_form(client, article):
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = client.get(url).content.decode()
    return url, page, form_data(page, "article_form")


def test_the_body_textarea_carries_the_toolbar_script_and_its_endpoints(editor_client, seed):
    _, page, _ = _change_form(editor_client, seed)
    tree = parse_html(page)

    body = tree.find("textarea", name="body")
    assert body.attrs["data-preview-url"] == reverse(PREVIEW)
    assert body.attrs["data-images-url"] == reverse(IMAGES)
    assert body.attrs["data-article"] == str(seed.pk)
    scripts = [script.attrs.get("src", "") for script in tree.find_all("script")]
    assert any(src.endswith("desk/body-editor.js") for src in scripts)
    assert not [
        script for script in tree.find_all("script") if not script.attrs.get("src") and script.text.strip()
    ]


@pytest.mark.parametrize(
    "body, message",
    [
        ("Read [this](javascript:alert(1)).", "Links may not use “javascript:”"),
        ("Read [this](example.org).", "is not a full address"),
        ("[[image:999999]]", "There is no image 999999 in the library"),
        ("[[pullquote:42]]", "[[pullquote:42]] names no quote"),
        ("[[embed:https://evil.example/x]]", "the body can embed"),
        ("[[gallery:1]]", "is not something the body can hold"),
    ],
)
def test_the_form_refuses_a_body_the_page_could_not_show_and_says_what_to_do(
    editor_client, seed, body, message
):
    url, _, data = _change_form(editor_client, seed)
    data["body"] = [body]

    response = editor_client.post(url, data)

    assert response.status_code == 200
    errors = parse_html(response.content).find("div", class_="field-body").text
    assert message in errors
    assert Article.objects.get(pk=seed.pk).body == seed.body


def test_the_form_saves_a_body_with_every_element(editor_client, seed):
    image = library_image(alt_text="A map")
    url, _, data = _change_form(editor_client, seed)
    body = (
        f"{seed.body}\n\n**Bold**, *italic* and [a link](https://example.org/).\n\n- one\n- two\n\n"
        f"> Quoted.\n\n[[image:{image.pk}]]\n\n[[embed:https://youtu.be/dQw4w9WgXcQ]]\n\n[[pullquote:1]]"
    )
    data["body"] = [body]

    response = editor_client.post(url, data)

    assert response.status_code == 302
    assert Article.objects.get(pk=seed.pk).body == body


def test_the_preview_renders_the_posted_body_with_the_quotes_on_the_form(editor_client, db):
    article = ArticleFactory(body="Old.")
    speaker = PersonFactory(name="Ana Kovač")
    image = library_image(alt_text="The harbour")
    body = (
        f"They called it **a good deal**.\n\n[[pullquote:3]]\n\n[[image:{image.pk}]]\n\n"
        "[x](javascript:alert(1))"
    )

    response = editor_client.post(
        reverse(PREVIEW),
        {
            "body": body,
            "article": str(article.pk),
            "quotes-TOTAL_FORMS": "1",
            "quotes-0-text": "a good deal",
            "quotes-0-order": "3",
            "quotes-0-speaker": str(speaker.pk),
        },
    )

    assert response.status_code == 200
    result = response.json()
    tree = parse_html(result["html"])
    assert tree.find("q", id="quote-3").visible_text == "a good deal"
    assert tree.find("figure", class_="pullquote").find("a").attrs["href"] == speaker.get_absolute_url()
    assert tree.find("img").attrs["alt"] == "The harbour"
    assert not [a for a in tree.find_all("a") if "javascript" in a.attrs["href"]]
    assert any("javascript:" in problem for problem in result["problems"])


def test_the_preview_without_the_quotes_form_uses_the_saved_quotes(editor_client, db):
    quote = QuoteFactory(article=ArticleFactory(body="He said yes today."), text="yes", order=1)
    response = editor_client.post(
        reverse(PREVIEW), {"body": "He said yes.", "article": str(quote.article_id)}
    )
    assert parse_html(response.json()["html"]).find("q", id="quote-1").visible_text == "yes"


def test_the_image_picker_finds_library_pictures(editor_client, db):
    harbour = library_image(title="Harbour at dawn", alt_text="Boats")
    library_image(title="Parliament", alt_text="")

    found = editor_client.get(reverse(IMAGES), {"q": "harbour"}).json()["results"]
    everything = editor_client.get(reverse(IMAGES)).json()["results"]

    assert [(result["id"], result["described"]) for result in found] == [(harbour.pk, True)]
    assert found[0]["thumbnail"]
    assert len(everything) == 2 and not everything[0]["described"]


@pytest.mark.parametrize("name, method", [(PREVIEW, "post"), (IMAGES, "get")])
def test_the_toolbars_endpoints_are_for_staff_who_edit_articles(client, db, django_user_model, name, method):
    assert getattr(client, method)(reverse(name)).status_code == 302  # to the login page
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    client.force_login(viewer)
    assert getattr(client, method)(reverse(name)).status_code == 403


def test_the_preview_refuses_a_get(editor_client, db):
    assert editor_client.get(reverse(PREVIEW)).status_code == 405


def test_imported_copy_is_escaped_so_it_prints_as_typed(db, admin_user):
    section = SectionFactory()
    copy = "A headline about *stars*\n\nThe report_id was [redacted] and 1. was first.\n\n## Next #\n\nMore."

    plan = plan_import(copy, section)
    article = save_import(plan, user=admin_user)

    tree = parse_html(article.body_html())
    assert [(el.tag, el.text) for el in tree.elements] == [
        ("p", "The report_id was [redacted] and 1. was first."),
        ("h2", "Next #"),
        ("p", "More."),
    ]
