"""No lost edits: a save against an article that changed since the form was opened is refused."""

from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory
from tests.html_forms import form_data


def open_form(client, article):
    url = reverse("admin:articles_article_change", args=[article.pk])
    return url, form_data(client.get(url).content.decode(), "article_form")


def two_editors(make_staff):
    first, second = Client(), Client()
    first.force_login(make_staff("ann", "Editor"))
    second.force_login(make_staff("bob", "Editor"))
    return first, second


def test_the_second_of_two_concurrent_saves_is_refused_and_keeps_its_text(make_staff):
    article = ArticleFactory(body="Original body.")
    ann, bob = two_editors(make_staff)
    url, ann_data = open_form(ann, article)
    _, bob_data = open_form(bob, article)

    ann_data["body"] = ["Ann's body."]
    assert ann.post(url, ann_data).status_code == 302
    bob_data["body"] = ["Bob's body, typed for an hour."]
    response = bob.post(url, bob_data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ann saved this article" in html and "after you opened it" in html
    assert "Bob&#x27;s body, typed for an hour." in html or "Bob's body, typed for an hour." in html
    assert Article.objects.get(pk=article.pk).body == "Ann's body."


def test_after_the_warning_a_deliberate_second_save_goes_through(make_staff):
    article = ArticleFactory(body="Original body.")
    ann, bob = two_editors(make_staff)
    url, ann_data = open_form(ann, article)
    _, bob_data = open_form(bob, article)
    ann_data["body"] = ["Ann's body."]
    ann.post(url, ann_data)
    bob_data["body"] = ["Merged body."]
    refused = bob.post(url, bob_data)

    merged = form_data(refused.content.decode(), "article_form")
    response = bob.post(url, merged)

    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).body == "Merged body."


def test_a_workflow_step_in_between_makes_an_open_form_stale(make_staff):
    article = ArticleFactory(status="review", published_at=None, dek="d", byline="b", body="Text.")
    article.tags.add("Politics")
    ann, bob = two_editors(make_staff)
    url, bob_data = open_form(bob, article)

    ann.post(reverse("admin:articles_article_transition", args=[article.pk, "publish"]), {})
    bob_data["headline"] = ["Bob's headline"]
    response = bob.post(url, bob_data)

    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    assert Article.objects.get(pk=article.pk).headline != "Bob's headline"


def test_the_change_form_says_who_else_has_the_article_open(make_staff):
    article = ArticleFactory()
    ann, bob = two_editors(make_staff)
    open_form(ann, article)

    html = bob.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    assert "Ann opened this article" in html
    assert "Bob opened this article" not in html
