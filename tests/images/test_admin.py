"""
The image library in the admin, by real requests: thumbnails and search, the focal point (with
and without the script), reuse from the article and person forms, and publication refusing a
lead image nobody described.
"""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from articles.models import Article
from images.models import Image
from tests.articles.test_workflow import ready_draft, transition_url
from tests.factories import PersonFactory
from tests.html_forms import form_data
from tests.html_tree import parse_html
from tests.images.pictures import library_image, two_halves

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def change_url(image):
    return reverse("admin:images_image_change", args=[image.pk])


def test_the_library_lists_thumbnails_and_finds_pictures_by_credit_caption_and_alt_text(editor_client):
    flood = library_image(title="Flood", alt_text="Water at the steps", credit="Jane Doe/AP")
    library_image(title="Bridge", alt_text="A new bridge", caption="Opening day", credit="Staff")

    page = parse_html(editor_client.get(reverse("admin:images_image_changelist")).content)
    thumbnails = page.find_all("img", class_="image-thumbnail")
    assert len(thumbnails) == 2
    assert default_storage.url(flood.renditions["square"]["sources"]["jpeg"][0][1]) in {
        img.attrs["src"] for img in thumbnails
    }

    for term, found in [
        ("doe ap", "Flood"),
        ("opening", "Bridge"),
        ("steps water", "Flood"),
        ("nothing", None),
    ]:
        html = editor_client.get(reverse("admin:images_image_changelist"), {"q": term}).content.decode()
        titles = [link.text for link in parse_html(html).find_all(class_="field-__str__")]
        assert titles == ([found] if found else []), term


def test_the_library_filters_pictures_without_alt_text(editor_client):
    library_image(title="Described")
    library_image(title="Undescribed", alt_text="")

    html = editor_client.get(reverse("admin:images_image_changelist"), {"alt": "missing"}).content
    titles = [cell.text for cell in parse_html(html).find_all(class_="field-__str__")]

    assert titles == ["Undescribed"]


def test_the_change_form_has_the_focal_point_picker_its_script_and_the_crops(editor_client):
    image = library_image(two_halves(), focal_x=0.25, focal_y=0.5)

    page = parse_html(editor_client.get(change_url(image)).content)

    picker = page.find("div", class_="focal-picker")
    assert picker.find("img").attrs["width"] == "1200"
    assert "left: 25.0%" in picker.find("span", class_="focal-marker").attrs["style"]
    assert "/static/desk/focal-point.js" in {script.attrs.get("src") for script in page.find_all("script")}
    assert not [script for script in page.find_all("script") if not script.attrs.get("src")]  # no inline
    crops = {figure.find("figcaption").text for figure in page.find_all("figure", class_="image-crop")}
    assert crops == {"3:2, on pages", "1:1, teasers and portraits", "1200 × 630, link previews"}


def test_the_focal_point_set_in_the_form_without_javascript_moves_the_crops(editor_client):
    image = library_image(two_halves(), focal_x=0.1)
    old = image.renditions["landscape"]["sources"]["jpeg"][-1][1]
    data = form_data(editor_client.get(change_url(image)).content.decode(), "image_form")
    data.update({"focal_x": ["0.9"], "focal_y": ["0.5"]})

    response = editor_client.post(change_url(image), data)

    assert response.status_code == 302
    image.refresh_from_db()
    assert image.focal_x == 0.9
    assert image.renditions["landscape"]["sources"]["jpeg"][-1][1] != old
    page = parse_html(editor_client.get(change_url(image)).content)
    landscape = page.find("figure", class_="image-crop-landscape").find("img").attrs["src"]
    assert landscape == default_storage.url(image.renditions["landscape"]["sources"]["jpeg"][0][1])


@pytest.mark.parametrize("value", ["1.5", "-0.1", "left"])
def test_a_focal_point_outside_the_picture_is_a_form_error(editor_client, value):
    image = library_image()
    data = form_data(editor_client.get(change_url(image)).content.decode(), "image_form")
    data["focal_x"] = [value]

    response = editor_client.post(change_url(image), data)

    assert response.status_code == 200
    assert parse_html(response.content).find_all("ul", class_="errorlist")
    assert Image.objects.get(pk=image.pk).focal_x == 0.5


def test_the_article_form_chooses_a_lead_image_from_the_library(editor_client, editor):
    image = library_image(title="Bridge opening")
    article = ready_draft(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = editor_client.get(url).content.decode()
    select = parse_html(page).find("select", id="id_lead_image")
    assert "admin-autocomplete" in select.classes

    found = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "lead_image", "term": "bridge"},
    ).json()
    assert [result["id"] for result in found["results"]] == [str(image.pk)]

    data = form_data(page, "article_form")
    data["lead_image"] = [str(image.pk)]
    assert editor_client.post(url, data).status_code == 302
    assert Article.objects.get(pk=article.pk).lead_image == image


def test_the_person_form_chooses_a_portrait_from_the_library(editor_client):
    image = library_image(title="Portrait of the mayor")
    person = PersonFactory(name="Ana Mayor")
    url = reverse("admin:articles_person_change", args=[person.pk])
    page = editor_client.get(url).content.decode()
    assert "admin-autocomplete" in parse_html(page).find("select", id="id_portrait").classes

    data = form_data(page, "person_form")
    data["portrait"] = [str(image.pk)]
    assert editor_client.post(url, data).status_code == 302

    person.refresh_from_db()
    assert person.portrait == image
    used_by = editor_client.get(change_url(image)).content.decode()
    assert "Ana Mayor" in used_by


# Publication: a lead image readers who cannot see it are told nothing about is refused.


def test_publishing_is_refused_while_the_lead_image_has_no_alt_text_and_is_not_decorative(
    editor_client, editor
):
    image = library_image(alt_text="")
    article = ready_draft(editor, lead_image=image)

    response = editor_client.post(transition_url(article, "publish"), {})

    assert response.status_code == 200
    assert "Describe the lead image: write its alt text" in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    form = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "Describe the lead image" in form


@pytest.mark.parametrize("fix", [{"alt_text": "Water at the steps"}, {"decorative": "on"}])
def test_publishing_goes_ahead_once_the_lead_image_is_described_or_marked_decorative(
    editor_client, editor, fix
):
    image = library_image(alt_text="")
    article = ready_draft(editor, lead_image=image)
    data = form_data(editor_client.get(change_url(image)).content.decode(), "image_form")
    data.update({name: [value] for name, value in fix.items()})
    assert editor_client.post(change_url(image), data).status_code == 302

    response = editor_client.post(transition_url(article, "publish"), {})

    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def test_a_reporter_cannot_delete_a_library_image(client, reporter):
    image = library_image()
    client.force_login(reporter)

    response = client.post(reverse("admin:images_image_delete", args=[image.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert Image.objects.filter(pk=image.pk).exists()


def test_an_image_in_use_cannot_be_deleted(editor_client, editor):
    image = library_image()
    ready_draft(editor, lead_image=image)

    editor_client.post(reverse("admin:images_image_delete", args=[image.pk]), {"post": "yes"})

    assert Image.objects.filter(pk=image.pk).exists()


def test_the_article_form_shows_its_lead_image_and_what_publication_needs_of_it(editor_client, editor):
    image = library_image(alt_text="")
    article = ready_draft(editor, lead_image=image)

    page = parse_html(editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content)

    preview = page.find("div", class_="field-lead_image_preview")
    assert preview.find("img").attrs["src"] == default_storage.url(
        image.renditions["landscape"]["sources"]["jpeg"][0][1]
    )
    assert "No alt text: write it in the image library" in preview.text
