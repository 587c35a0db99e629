"""Revision history: every admin save keeps a revision; compare two; restore one."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from tests.factories import ArticleFactory, PersonFactory, QuoteFactory
from tests.html_forms import form_data


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def save_through_admin(client, article, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(client.get(url).content.decode(), "article_form")
    data.update({name: [value] for name, value in changes.items()})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:500]


def test_every_admin_save_keeps_a_revision_with_quotes_tags_and_people(editor_client, seed):
    save_through_admin(editor_client, seed, headline="First change")
    save_through_admin(editor_client, seed, headline="Second change")

    versions = Version.objects.get_for_object(seed)
    assert versions.count() == 2
    revision = versions.first().revision
    models = {version.content_type.model for version in revision.version_set.all()}
    assert {"article", "quote", "taggedarticle"} <= models
    assert len(versions.first().field_dict["people"]) == 13


def test_the_history_lists_revisions_with_who_saved_them(editor_client, seed, editor):
    save_through_admin(editor_client, seed, headline="First change")
    html = editor_client.get(reverse("admin:articles_article_history", args=[seed.pk])).content.decode()
    assert "Compare the selected revisions" in html
    assert "edna" in html


def test_comparing_two_revisions_shows_the_words_removed_and_added(editor_client, seed):
    save_through_admin(editor_client, seed, headline="Trump and Putin talk for two hours")
    save_through_admin(editor_client, seed, headline="Trump and Putin talk for three hours")
    newer, older = Version.objects.get_for_object(seed)[:2]

    response = editor_client.get(
        reverse("admin:articles_article_compare", args=[seed.pk]), {"from": older.pk, "to": newer.pk}
    )

    html = response.content.decode()
    assert "<del>two</del><ins>three</ins>" in html
    assert "Headline *" in html
    assert "Body *" not in html


def test_restoring_brings_back_text_quotes_and_tags_but_not_the_state(editor_client, editor):
    speaker = PersonFactory()
    article = ArticleFactory(body="He said 'yes' today.", created_by=editor)
    QuoteFactory(article=article, speaker=speaker, text="yes", order=1)
    article.tags.add("Original tag")
    save_through_admin(editor_client, article, dek="The first standfirst.")
    old = Version.objects.get_for_object(article).first()

    article.quotes.all().delete()
    article.tags.set(["Replacement tag"])
    save_through_admin(editor_client, article, body="He said nothing.", dek="A new standfirst.")
    Article.objects.filter(pk=article.pk).update(status="withdrawn")

    response = editor_client.post(reverse("admin:articles_article_revision", args=[article.pk, old.pk]))

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.body, article.dek) == ("He said 'yes' today.", "The first standfirst.")
    assert [(quote.text, quote.speaker) for quote in article.quotes.all()] == [("yes", speaker)]
    assert list(article.tags.names()) == ["Original tag"]
    assert article.status == "withdrawn"  # restoring never publishes or unpublishes
    assert article.events.filter(action="restored").exists()
    assert Version.objects.get_for_object(article).count() == 3


def test_a_revision_page_compares_it_with_the_current_article(editor_client, seed):
    save_through_admin(editor_client, seed, headline="Old headline")
    old = Version.objects.get_for_object(seed).first()
    save_through_admin(editor_client, seed, headline="New headline")

    html = editor_client.get(
        reverse("admin:articles_article_revision", args=[seed.pk, old.pk])
    ).content.decode()

    assert "<del>New</del><ins>Old</ins>" in html
    assert "Restore this revision" in html


def test_a_reporter_cannot_restore_someone_elses_article(client, reporter, editor_client, seed):
    save_through_admin(editor_client, seed, headline="Old headline")
    old = Version.objects.get_for_object(seed).first()
    save_through_admin(editor_client, seed, headline="New headline")
    client.force_login(reporter)

    response = client.post(reverse("admin:articles_article_revision", args=[seed.pk, old.pk]))

    assert response.status_code == 403
    assert Article.objects.get(pk=seed.pk).headline == "New headline"
