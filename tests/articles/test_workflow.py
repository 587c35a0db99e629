"""
The editorial workflow, through real requests to the admin: roles, review, scheduling,
publication checks, preview, withdrawal and corrections.
"""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, ArticleEvent, ArticleNote, Person, Section
from tests.factories import ArticleFactory, PersonFactory, SectionFactory
from tests.html_forms import form_data

READY = {"dek": "A standfirst.", "byline": "Staff"}


def ready_draft(owner, **fields):
    """A draft (or, with status=…, an article in another state) that has all publication needs."""
    fields = {"status": Article.Status.DRAFT, "published_at": None, "created_by": owner, **READY, **fields}
    article = ArticleFactory(**fields)
    article.tags.add("Politics")
    return article


def login(client, user):
    client.force_login(user)
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def transition_url(article, name):
    return reverse("admin:articles_article_transition", args=[article.pk, name])


def post_change_form(client, article, **changes):
    """Open the article's change form, change some fields and save it, like a person would."""
    data = form_data(client.get(change_url(article)).content.decode(), "article_form")
    data.update({name: [value] for name, value in changes.items()})
    return client.post(change_url(article), data)


# Each action returns True when it took effect, judged from the database.


def act_create(client, user):
    url = reverse("admin:articles_article_add")
    data = form_data(client.get(url).content.decode(), "article_form")
    data.update({"headline": ["New story"], "slug": ["new-story"], "body": ["Text."]})
    client.post(url, data)
    return Article.objects.filter(slug="new-story").exists()


def act_edit_own_draft(client, user):
    article = ready_draft(user)
    post_change_form(client, article, headline="Edited")
    return Article.objects.get(pk=article.pk).headline == "Edited"


def act_edit_someone_elses_draft(client, user):
    article = ready_draft(User.objects.create_user("someone"))
    form = client.get(change_url(article))
    if 'name="headline"' not in form.content.decode():
        # A read-only view; post the form anyway, as a hand-made request would.
        response = client.post(change_url(article), {"headline": "Edited", "slug": article.slug})
        assert response.status_code == 403
    else:
        post_change_form(client, article, headline="Edited")
    return Article.objects.get(pk=article.pk).headline == "Edited"


def act_edit_own_article_in_review(client, user):
    article = ready_draft(user, status=Article.Status.REVIEW)
    post_change_form(client, article, headline="Edited")
    return Article.objects.get(pk=article.pk).headline == "Edited"


def _transition(name, status=Article.Status.DRAFT, **data):
    def act(client, user):
        article = ready_draft(user, status=status)
        client.post(transition_url(article, name), data)
        return Article.objects.get(pk=article.pk).status != status

    return act


def act_schedule(client, user):
    article = ready_draft(user)
    when = timezone.localtime() + datetime.timedelta(days=2)
    client.post(
        transition_url(article, "schedule"),
        {"publish_at_0": when.strftime("%Y-%m-%d"), "publish_at_1": when.strftime("%H:%M")},
    )
    return Article.objects.get(pk=article.pk).is_scheduled


def act_withdraw(client, user):
    article = ready_draft(user, status=Article.Status.PUBLISHED, published_at=timezone.now())
    client.post(transition_url(article, "withdraw"), {})
    return Article.objects.get(pk=article.pk).status == Article.Status.WITHDRAWN


def act_delete(client, user):
    article = ready_draft(user)
    client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    return not Article.objects.filter(pk=article.pk).exists()


def act_bulk_publish(client, user):
    article = ready_draft(user, status=Article.Status.REVIEW)
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [article.pk]},
    )
    return Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def act_forge_status_in_the_form(client, user):
    article = ready_draft(user)
    post_change_form(client, article, status="published", published_at_0="2020-01-01", published_at_1="10:00")
    return Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def act_edit_person(client, user):
    person = PersonFactory()
    url = reverse("admin:articles_person_change", args=[person.pk])
    data = form_data(client.get(url).content.decode(), "person_form")
    data["role"] = ["Mayor"]
    client.post(url, data)
    return Person.objects.get(pk=person.pk).role == "Mayor"


def act_edit_section(client, user):
    section = SectionFactory()
    url = reverse("admin:articles_section_change", args=[section.pk])
    client.post(url, {"name": "Renamed", "slug": section.slug, "description": "", "order": "0"})
    return Section.objects.get(pk=section.pk).name == "Renamed"


def act_edit_tag(client, user):
    tag = Tag.objects.create(name="Old name", slug="old-name")
    client.post(reverse("admin:taggit_tag_change", args=[tag.pk]), {"name": "New name", "slug": "old-name"})
    return Tag.objects.get(pk=tag.pk).name == "New name"


def act_add_correction(client, user):
    article = ready_draft(user, status=Article.Status.PUBLISHED, published_at=timezone.now())
    data = form_data(client.get(change_url(article)).content.decode(), "article_form")
    if "notes-TOTAL_FORMS" not in data:
        return False
    data.update(
        {
            "notes-TOTAL_FORMS": ["1"],
            "notes-0-kind": ["correction"],
            "notes-0-noted_at_0": ["2030-01-01"],
            "notes-0-noted_at_1": ["10:00"],
            "notes-0-text": ["An earlier version misspelled a name."],
        }
    )
    client.post(change_url(article), data)
    return ArticleNote.objects.filter(article=article).exists()


# The workflow's cells of the role × action matrix (tests/desk/test_admin_permissions.py runs them).
WORKFLOW_PERMISSIONS = {
    # action: (reporter may, editor may)
    "create an article": (act_create, True, True),
    "edit their own draft": (act_edit_own_draft, True, True),
    "edit someone else's draft": (act_edit_someone_elses_draft, False, True),
    "edit their own article in review": (act_edit_own_article_in_review, False, True),
    "submit for review": (_transition("submit"), True, True),
    "send back": (
        _transition("send_back", status=Article.Status.REVIEW, comment="Needs a source."),
        False,
        True,
    ),
    "publish": (_transition("publish", status=Article.Status.REVIEW), False, True),
    "schedule": (act_schedule, False, True),
    "withdraw": (act_withdraw, False, True),
    "delete": (act_delete, False, True),
    "publish in bulk": (act_bulk_publish, False, True),
    "set the status in the form": (act_forge_status_in_the_form, False, False),
    "edit a person": (act_edit_person, False, True),
    "edit a section": (act_edit_section, False, True),
    "edit a tag": (act_edit_tag, False, True),
    "add a correction": (act_add_correction, False, True),
}


def test_a_reporters_forged_publish_gets_a_clear_refusal_and_changes_nothing(client, reporter):
    article = ready_draft(reporter)
    login(client, reporter)

    response = client.post(transition_url(article, "publish"), {})

    assert response.status_code == 403
    assert "Only editors can publish now" in response.content.decode()
    article.refresh_from_db()
    assert (article.status, article.published_at, article.edit_version) == (Article.Status.DRAFT, None, 1)
    assert not ArticleEvent.objects.exists()


def test_a_forged_status_in_the_change_form_is_refused_with_a_message(client, reporter):
    article = ready_draft(reporter)
    login(client, reporter)

    response = post_change_form(client, article, headline="Sneaky", status="published")

    assert response.status_code == 200
    assert "status changes go through the workflow" in response.content.decode()
    article.refresh_from_db()
    assert (article.headline, article.status) != ("Sneaky", Article.Status.PUBLISHED)
    assert article.headline != "Sneaky"


def test_submitting_checks_what_publication_needs(client, reporter):
    article = ArticleFactory(status="draft", published_at=None, created_by=reporter, dek="", byline="")
    login(client, reporter)

    response = client.post(transition_url(article, "submit"), {})

    html = response.content.decode()
    for missing in ("Write a standfirst (dek).", "Add an author or a byline.", "Add at least one tag."):
        assert missing in html
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_a_step_that_is_not_ready_offers_no_button_only_the_way_back(client, editor):
    article = ArticleFactory(status="draft", published_at=None, created_by=editor, dek="")
    html = login(client, editor).get(transition_url(article, "publish")).content.decode()

    assert "Write a standfirst (dek)." in html
    assert 'value="Publish now"' not in html
    assert f'href="{change_url(article)}"' in html


def test_an_unfinished_draft_can_be_saved(client, reporter):
    login(client, reporter)
    url = reverse("admin:articles_article_add")
    data = form_data(client.get(url).content.decode(), "article_form")
    data.update({"headline": ["Half an idea"], "slug": ["half-an-idea"]})

    response = client.post(url, data)

    assert response.status_code == 302
    article = Article.objects.get(slug="half-an-idea")
    assert (article.status, article.section, article.dek, article.created_by) == ("draft", None, "", reporter)
    assert [author.user for author in article.authors.all()] == [reporter]


@pytest.mark.parametrize(("byline", "authors"), [("Agence France-Presse", []), ("rita", ["rita"])])
def test_a_new_draft_credited_to_someone_else_is_not_the_writers(client, reporter, byline, authors):
    login(client, reporter)
    url = reverse("admin:articles_article_add")
    data = form_data(client.get(url).content.decode(), "article_form")
    data.update({"headline": ["Agency copy"], "slug": ["agency-copy"], "byline": [byline]})

    assert client.post(url, data).status_code == 302

    article = Article.objects.get(slug="agency-copy")
    assert [author.user.username for author in article.authors.all()] == authors
    assert article.byline == ("" if authors else byline)


def test_the_review_round_trip_is_recorded_with_who_when_and_the_comment(client, reporter, editor):
    article = ready_draft(reporter)
    login(client, reporter).post(transition_url(article, "submit"), {})
    login(client, editor).post(transition_url(article, "send_back"), {"comment": "Check the figures."})
    login(client, reporter).post(transition_url(article, "submit"), {})
    login(client, editor).post(transition_url(article, "publish"), {})

    events = list(ArticleEvent.objects.filter(article=article).order_by("created_at", "pk"))
    assert [(event.action, event.user) for event in events] == [
        ("submitted", reporter),
        ("sent_back", editor),
        ("submitted", reporter),
        ("published", editor),
    ]
    assert events[1].comment == "Check the figures."
    assert all(event.created_at for event in events)
    assert Article.objects.get(pk=article.pk).is_public


def test_sending_back_without_a_comment_is_refused(client, reporter, editor):
    article = ready_draft(reporter, status=Article.Status.REVIEW)
    response = login(client, editor).post(transition_url(article, "send_back"), {"comment": "  "})
    assert "required" in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW


def test_bulk_send_back_asks_for_the_comment_then_sends_back(client, reporter, editor):
    articles = [ready_draft(reporter, status=Article.Status.REVIEW) for _ in range(2)]
    login(client, editor)
    changelist = reverse("admin:articles_article_changelist")
    selected = [article.pk for article in articles]

    asked = client.post(changelist, {"action": "send_back", "_selected_action": selected})
    assert "What needs changing" in asked.content.decode()
    assert Article.objects.filter(status="review").count() == 2

    client.post(
        changelist,
        {"action": "send_back", "_selected_action": selected, "confirm": "yes", "comment": "Shorter."},
    )
    assert Article.objects.filter(status="draft").count() == 2
    assert ArticleEvent.objects.filter(action="sent_back", comment="Shorter.").count() == 2


@pytest.mark.parametrize(
    "date, time",
    [("27/11/2026", "10:00"), ("2026-11-27", "25:61"), ("tomorrow", "noon"), ("", "")],
)
def test_a_scheduled_time_in_a_wrong_format_is_refused_and_changes_nothing(
    client, reporter, editor, date, time
):
    article = ready_draft(reporter, status=Article.Status.REVIEW)
    response = login(client, editor).post(
        transition_url(article, "schedule"), {"publish_at_0": date, "publish_at_1": time}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Article.Status.REVIEW, None)


def test_a_scheduled_time_in_the_past_is_refused(client, reporter, editor):
    article = ready_draft(reporter, status=Article.Status.REVIEW)
    response = login(client, editor).post(
        transition_url(article, "schedule"), {"publish_at_0": "2001-01-01", "publish_at_1": "10:00"}
    )
    assert "must be in the future" in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW


def test_a_scheduled_article_appears_by_itself_when_its_time_comes(client, reporter, editor):
    article = ready_draft(reporter, status=Article.Status.REVIEW)
    when = datetime.datetime(2030, 5, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(datetime.datetime(2030, 4, 30, 12, 0, tzinfo=datetime.UTC), tick=False):
        login(client, editor).post(
            transition_url(article, "schedule"), {"publish_at_0": "2030-05-01", "publish_at_1": "09:00"}
        )
        client.logout()
        assert client.get(article.get_absolute_url()).status_code == 404
        assert article.headline not in client.get("/").content.decode()
    assert Article.objects.get(pk=article.pk).published_at == when

    with time_machine.travel(when + datetime.timedelta(minutes=1), tick=False):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert article.headline in client.get("/").content.decode()


def test_withdrawn_articles_are_gone_for_readers(client, reporter, editor):
    article = ready_draft(reporter, status=Article.Status.PUBLISHED, published_at=timezone.now())
    login(client, editor).post(transition_url(article, "withdraw"), {"comment": "Legal advice."})
    client.logout()

    response = client.get(article.get_absolute_url())

    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    assert article.headline not in client.get("/").content.decode()


@pytest.mark.parametrize("status", ["draft", "review", "withdrawn"])
def test_staff_preview_unpublished_articles_with_a_banner(client, reporter, status):
    article = ready_draft(reporter, status=status)
    response = login(client, reporter).get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Not published" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_a_drafts_preview_names_its_section_with_no_date_and_no_dangling_separator(client, reporter):
    article = ready_draft(reporter)
    html = login(client, reporter).get(article.get_absolute_url()).content.decode()
    meta = re.search(r'<p class="byline-meta">(.*?)</p>', html, re.S).group(1)
    assert article.section.name in meta
    assert "·" not in meta and "<time" not in meta


def test_staff_preview_a_scheduled_article_with_its_time(client, editor, tomorrow):
    article = ready_draft(editor, status=Article.Status.PUBLISHED, published_at=tomorrow)
    html = login(client, editor).get(article.get_absolute_url()).content.decode()
    assert "Not published" in html and "to be published" in html


def test_readers_and_non_staff_get_404_for_unpublished_articles(client, reporter):
    article = ready_draft(reporter)
    assert client.get(article.get_absolute_url()).status_code == 404
    login(client, User.objects.create_user("reader"))
    assert client.get(article.get_absolute_url()).status_code == 404


def test_published_pages_carry_no_preview_banner(client, published_article, editor):
    assert (
        "Not published"
        not in login(client, editor).get(published_article.get_absolute_url()).content.decode()
    )


def test_machine_readable_times_are_to_the_second_as_html_allows(client, reporter, editor):
    article = ready_draft(reporter)
    login(client, editor).post(transition_url(article, "publish"), {})  # now, with microseconds
    client.logout()
    article.refresh_from_db()
    assert article.published_at.microsecond  # what the page must not print

    html = client.get(article.get_absolute_url()).content.decode()

    stamps = re.findall(r'(?:datetime|content)="(\d{4}-\d\d-\d\dT[^"]*)"', html)
    stamps += re.findall(r'"date(?:Published|Modified)": "([^"]*)"', html)
    assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", s) for s in stamps), (
        stamps
    )


def test_corrections_and_updates_are_printed_and_move_the_updated_time(client, published_article):
    noted = published_article.published_at + datetime.timedelta(hours=3)
    ArticleNote.objects.create(
        article=published_article, kind="correction", text="A name was misspelled.", noted_at=noted
    )

    html = client.get(published_article.get_absolute_url()).content.decode()

    assert "Corrections and updates" in html
    assert "A name was misspelled." in html
    to_the_second = timezone.localtime(noted).replace(microsecond=0).isoformat()
    assert f'datetime="{to_the_second}" class="updated"' in html
    assert published_article.modified_at == noted


def test_bylines_link_authors_and_print_a_free_text_credit(client, published_article, reporter):
    published_article.authors.add(reporter.author)
    published_article.byline = "Agence France-Presse"
    published_article.save()

    html = client.get(published_article.get_absolute_url()).content.decode()

    assert f'href="{reporter.author.get_absolute_url()}" rel="author">Rita</a>' in html
    assert "Agence France-Presse" in html


def test_an_author_page_lists_only_their_published_articles(client, published_article, reporter):
    published_article.authors.add(reporter.author)
    draft = ready_draft(reporter)
    draft.authors.add(reporter.author)

    html = client.get(reporter.author.get_absolute_url()).content.decode()

    assert published_article.headline in html
    assert draft.headline not in html


def edit_in_the_admin(client, article, **changes):
    url = change_url(article)
    data = form_data(client.get(url).content.decode(), "article_form")
    data.update({name: [value] for name, value in changes.items()})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()


def updated_time(client, article) -> str | None:
    """The "Updated" time a reader sees on the article's page, as its datetime attribute."""
    html = client.get(article.get_absolute_url()).content.decode()
    found = re.search(r'datetime="([^"]+)" class="updated"', html)
    return found and found.group(1)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("headline", "A sharper headline"),
        ("dek", "A truer standfirst."),
        ("body", "## A subhead\n\nThe first paragraph, put right.\n\nThe second paragraph."),
    ],
)
def test_an_edit_to_what_readers_read_shows_as_the_updated_time(
    client, editor, published_article, field, value
):
    edited = (timezone.now() + datetime.timedelta(hours=2)).replace(microsecond=0)
    login(client, editor)
    with time_machine.travel(edited, tick=False):
        edit_in_the_admin(client, published_article, **{field: value})
    client.logout()

    article = Article.objects.get(pk=published_article.pk)
    assert getattr(article, field) == value
    assert article.revised_at == article.modified_at == edited
    assert updated_time(client, article) == timezone.localtime(edited).isoformat()


def unchanged_save(client, article):
    edit_in_the_admin(client, article)


def tags_changed(client, article):
    edit_in_the_admin(client, article, tags="Politics, Elections")


def withdrawn_and_published_again(client, article):
    assert client.post(transition_url(article, "withdraw"), {}).status_code == 302
    assert client.post(transition_url(article, "publish"), {}).status_code == 302


def edited_before_publication(client, article):
    Article.objects.filter(pk=article.pk).update(status=Article.Status.REVIEW, published_at=None)
    edit_in_the_admin(client, article, headline="Rewritten before anyone read it")
    assert client.post(transition_url(article, "publish"), {}).status_code == 302
    assert Article.objects.get(pk=article.pk).headline == "Rewritten before anyone read it"


@pytest.mark.parametrize(
    "change", [unchanged_save, tags_changed, withdrawn_and_published_again, edited_before_publication]
)
def test_saves_that_change_nothing_readers_read_show_no_updated_time(
    client, editor, published_article, change
):
    published_article.tags.add("Politics")
    login(client, editor)

    change(client, published_article)
    client.logout()

    article = Article.objects.get(pk=published_article.pk)
    assert article.is_public and article.revised_at is None
    assert updated_time(client, article) is None


def test_an_edit_to_a_scheduled_article_is_no_update_when_it_appears(client, editor, tomorrow):
    article = ready_draft(editor, status=Article.Status.PUBLISHED, published_at=tomorrow)
    login(client, editor)

    edit_in_the_admin(client, article, body="Rewritten before its time.")

    article = Article.objects.get(pk=article.pk)
    assert (article.body, article.revised_at) == ("Rewritten before its time.", None)
