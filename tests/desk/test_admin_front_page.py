"""The front page's admin: editors place published stories in order, with an optional end."""

import datetime
import json

import pytest
from django.urls import reverse

from articles.models import Article, Placement
from tests.factories import ArticleFactory
from tests.html_forms import form_data
from tests.html_tree import parse_html

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_placement_add")
CHANGELIST = reverse("admin:articles_placement_changelist")
SEARCH = reverse("admin:articles_placement_published_articles")


def search_articles(client, term: str) -> list[str]:
    response = client.get(
        SEARCH, {"term": term, "app_label": "articles", "model_name": "placement", "field_name": "article"}
    )
    assert response.status_code == 200
    return [result["text"] for result in json.loads(response.content)["results"]]


def test_an_editor_makes_a_story_the_lead_and_the_front_page_shows_it(client, editor, now):
    older = ArticleFactory(headline="Budget passes", published_at=now - datetime.timedelta(days=2))
    ArticleFactory(headline="Newer story", published_at=now - datetime.timedelta(hours=1))
    client.force_login(editor)

    response = client.post(ADD, {"article": older.pk, "position": 1, "expires_at_0": "", "expires_at_1": ""})

    assert response.status_code == 302
    assert Placement.objects.get().article == older
    client.logout()
    front = parse_html(client.get("/").content)
    assert "Budget passes" in front.find("section", class_="lead-story").text


def test_the_article_box_offers_and_accepts_published_stories_only(client, editor, now):
    ArticleFactory(headline="Ceasefire holds", published_at=now - datetime.timedelta(hours=1))
    ArticleFactory(headline="Ceasefire later", published_at=now + datetime.timedelta(hours=1))  # scheduled
    draft = ArticleFactory(headline="Ceasefire draft", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(headline="Ceasefire withdrawn", status=Article.Status.WITHDRAWN)
    client.force_login(editor)

    assert sorted(search_articles(client, "Ceasefire")) == ["Ceasefire holds", "Ceasefire later"]
    response = client.post(ADD, {"article": draft.pk, "position": 1})
    assert response.status_code == 200
    assert not Placement.objects.exists()
    errors = parse_html(response.content).find_all("ul", class_="errorlist")
    assert any("Select a valid choice" in error.text for error in errors)


def test_an_editor_reorders_and_sets_an_end_from_the_list(client, editor, now):
    first = Placement.objects.create(article=ArticleFactory(headline="First"), position=1)
    second = Placement.objects.create(article=ArticleFactory(headline="Second"), position=2)
    client.force_login(editor)
    data = form_data(client.get(CHANGELIST).content.decode(), "changelist-form")
    rows = {data[f"form-{n}-id"][0]: n for n in range(2)}
    data[f"form-{rows[str(first.pk)]}-position"] = ["2"]
    data[f"form-{rows[str(second.pk)]}-position"] = ["1"]
    data[f"form-{rows[str(second.pk)]}-expires_at_0"] = ["2030-01-01"]
    data[f"form-{rows[str(second.pk)]}-expires_at_1"] = ["18:00:00"]
    data["_save"] = ["Save"]

    assert client.post(CHANGELIST, data).status_code == 302

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.position, second.position) == (2, 1)
    assert second.expires_at.year == 2030


def test_reporters_see_the_front_page_but_cannot_change_it(client, reporter):
    placement = Placement.objects.create(article=ArticleFactory(headline="Placed"), position=1)
    client.force_login(reporter)

    assert client.get(CHANGELIST).status_code == 200
    assert client.post(ADD, {"article": ArticleFactory().pk, "position": 1}).status_code == 403
    change = reverse("admin:articles_placement_change", args=[placement.pk])
    assert client.post(change, {"article": placement.article.pk, "position": 5}).status_code == 403
    placement.refresh_from_db()
    assert placement.position == 1


def test_taking_stories_off_the_front_page_puts_them_back_among_the_newest(client, editor):
    placement = Placement.objects.create(article=ArticleFactory(headline="Placed"), position=1)
    client.force_login(editor)

    response = client.post(
        CHANGELIST, {"action": "take_off_front_page", "_selected_action": [placement.pk]}, follow=True
    )

    assert response.status_code == 200
    assert not Placement.objects.exists()


def test_editors_put_stories_on_the_front_page_from_the_articles_list(client, editor, now):
    Placement.objects.create(article=ArticleFactory(headline="Placed already"), position=1)
    older = ArticleFactory(headline="Older", published_at=now - datetime.timedelta(days=1))
    newer = ArticleFactory(headline="Newer", published_at=now - datetime.timedelta(hours=1))
    draft = ArticleFactory(headline="Draft", status=Article.Status.DRAFT, published_at=None)
    client.force_login(editor)

    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "put_on_front_page", "_selected_action": [older.pk, newer.pk, draft.pk]},
    )

    placed = Placement.objects.order_by("position").values_list("article__headline", "position")
    assert list(placed) == [("Placed already", 1), ("Newer", 2), ("Older", 3)]


def test_reporters_are_not_offered_the_front_page_action(client, reporter):
    client.force_login(reporter)
    response = client.get(reverse("admin:articles_article_changelist"))
    actions = parse_html(response.content).find("select", name="action").find_all("option")
    assert "put_on_front_page" not in {option.attrs["value"] for option in actions}
