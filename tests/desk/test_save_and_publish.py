"""
"Save and publish" beside Save in the article form: one step for a ready story, through the
same checks and the same workflow record as the Publish and Schedule buttons.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleEvent
from tests.articles.test_workflow import change_url, ready_draft
from tests.html_forms import form_data
from tests.html_tree import parse_html
from tests.images.pictures import library_image

PUBLISH = "_publish"


def buttons(response) -> list[str]:
    row = parse_html(response.content).find_all(class_="submit-row")[-1]
    return [button.attrs["name"] for button in row.find_all("input", type="submit")]


def save_with(client, url, button=PUBLISH, **changes):
    """Open the form at ``url``, change fields, and click ``button``, as an editor would."""
    data = form_data(client.get(url).content.decode(), "article_form")
    data.update({name: [value] for name, value in changes.items()})
    data[button] = ["clicked"]
    return client.post(url, data)


def messages_of(client, response) -> list[str]:
    return [str(message) for message in client.get(response["Location"]).context["messages"]]


def test_editors_see_save_and_publish_beside_save_and_reporters_do_not(client, editor, reporter):
    draft = ready_draft(reporter)

    client.force_login(editor)
    assert buttons(client.get(change_url(draft)))[:2] == ["_save", PUBLISH]
    assert PUBLISH in buttons(client.get(reverse("admin:articles_article_add")))

    client.force_login(reporter)
    assert PUBLISH not in buttons(client.get(change_url(draft)))
    assert PUBLISH not in buttons(client.get(reverse("admin:articles_article_add")))


def test_a_public_article_offers_no_save_and_publish(client, editor, yesterday):
    article = ready_draft(editor, status=Article.Status.PUBLISHED, published_at=yesterday)
    client.force_login(editor)

    assert PUBLISH not in buttons(client.get(change_url(article)))


def test_save_and_publish_saves_the_edit_then_publishes_with_the_workflow_record(client, editor, reporter):
    draft = ready_draft(reporter, headline="Bridge vote")
    client.force_login(editor)
    before = timezone.now()

    response = save_with(client, change_url(draft), dek="Nine votes to two.")

    assert response.status_code == 302
    assert response["Location"] == change_url(draft)
    article = Article.objects.get(pk=draft.pk)
    assert (article.dek, article.status) == ("Nine votes to two.", Article.Status.PUBLISHED)
    assert before <= article.published_at <= timezone.now()
    [event] = ArticleEvent.objects.filter(article=article)
    assert (event.action, event.user) == (ArticleEvent.Action.PUBLISHED, editor)
    assert messages_of(client, response) == ["“Bridge vote” was saved and published."]
    assert client.get(article.get_absolute_url()).status_code == 200


def test_a_publication_time_to_come_schedules_the_article(client, editor, reporter, tomorrow):
    draft = ready_draft(reporter, headline="Bridge vote")
    client.force_login(editor)
    when = timezone.localtime(tomorrow).replace(second=0, microsecond=0)

    response = save_with(
        client,
        change_url(draft),
        published_at_0=when.strftime("%Y-%m-%d"),
        published_at_1=when.strftime("%H:%M:%S"),
    )

    article = Article.objects.get(pk=draft.pk)
    assert (article.status, article.published_at, article.is_scheduled) == ("published", when, True)
    [event] = ArticleEvent.objects.filter(article=article)
    assert event.action == ArticleEvent.Action.SCHEDULED
    [message] = messages_of(client, response)
    assert message.startswith("“Bridge vote” was saved and scheduled for ")
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_new_article_is_written_and_published_in_one_step(client, editor):
    draft = ready_draft(editor)  # for its section
    client.force_login(editor)

    response = save_with(
        client,
        reverse("admin:articles_article_add"),
        headline="Night buses start",
        slug="night-buses-start",
        dek="Every hour, all night.",
        body="The first night bus left at midnight.",
        section=str(draft.section_id),
        tags="Transport",
    )

    article = Article.objects.get(slug="night-buses-start")
    assert response["Location"] == change_url(article)
    assert article.status == Article.Status.PUBLISHED
    assert list(article.authors.all()) == [editor.author]
    assert ArticleEvent.objects.get(article=article).action == ArticleEvent.Action.PUBLISHED


@pytest.mark.parametrize(
    ("problem", "named"),
    [
        ("no_standfirst", "Write a standfirst (dek)."),
        ("lead_image_without_alt_text", "Describe the lead image: write its alt text"),
        ("no_tags", "Add at least one tag."),
    ],
)
def test_a_story_that_is_not_ready_is_saved_but_not_published(client, editor, reporter, problem, named):
    draft = ready_draft(reporter, headline="Bridge vote")
    changes = {"headline": "Bridge vote, updated"}
    if problem == "no_standfirst":
        changes["dek"] = ""
    elif problem == "lead_image_without_alt_text":
        changes["lead_image"] = str(library_image(alt_text="").pk)
    else:
        changes["tags"] = ""
    client.force_login(editor)

    response = save_with(client, change_url(draft), **changes)

    assert response.status_code == 302
    article = Article.objects.get(pk=draft.pk)
    assert (article.headline, article.status) == ("Bridge vote, updated", Article.Status.DRAFT)
    assert not ArticleEvent.objects.filter(article=article).exists()
    [message] = messages_of(client, response)
    assert message.startswith("Saved, but not published: “Bridge vote, updated” is not ready:")
    assert named in message


def test_a_reporters_forged_save_and_publish_is_refused_and_saves_nothing(client, reporter):
    draft = ready_draft(reporter, headline="Bridge vote")
    client.force_login(reporter)
    data = form_data(client.get(change_url(draft)).content.decode(), "article_form")
    data.update({"headline": ["Published by me"], PUBLISH: ["clicked"]})

    response = client.post(change_url(draft), data)

    assert response.status_code == 403
    article = Article.objects.get(pk=draft.pk)
    assert (article.headline, article.status) == ("Bridge vote", Article.Status.DRAFT)
    assert not ArticleEvent.objects.exists()


def test_an_anonymous_save_and_publish_goes_to_the_login_page(client, reporter):
    draft = ready_draft(reporter)

    response = client.post(change_url(draft), {"headline": "Hijacked", PUBLISH: "clicked"})

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT


def test_the_clock_is_what_decides_between_publishing_and_scheduling(client, editor, reporter, yesterday):
    # A publication time already past publishes now, as "Publish now" does.
    draft = ready_draft(reporter)
    client.force_login(editor)
    past = timezone.localtime(yesterday)

    save_with(
        client,
        change_url(draft),
        published_at_0=past.strftime("%Y-%m-%d"),
        published_at_1=past.strftime("%H:%M:%S"),
    )

    article = Article.objects.get(pk=draft.pk)
    assert article.is_public
    assert article.published_at > timezone.now() - datetime.timedelta(minutes=5)
