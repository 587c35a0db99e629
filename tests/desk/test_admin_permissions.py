"""
Who may do what in the admin, by real requests: every admin model's pages for each role, and
every way to reach an article's quotes, notes, people, tags, authors and revisions. A quote is
part of its article: it is changed only through the article's form, under the article's rules.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version
from taggit.models import Tag

from api.models import ApiKey
from articles.models import Article, ArticleNote, Author, Person, Placement, Quote, Section
from sources.models import Target
from tests.articles.test_workflow import WORKFLOW_PERMISSIONS
from tests.factories import ArticleFactory, PersonFactory, QuoteFactory, SectionFactory
from tests.html_forms import form_data
from tests.images.pictures import library_image

pytestmark = pytest.mark.django_db

BODY = "The mayor said the bridge will open in May. Residents said they were relieved."

# What each role may do with each model the admin shows. A quote is read-only for everyone in its
# own admin (its article's form changes it); axes' records are for superusers.
ALLOWED = {
    "auth.group": {"reporter": set(), "editor": set()},
    "auth.user": {"reporter": set(), "editor": {"view"}},
    "axes.accessattempt": {"reporter": set(), "editor": set()},
    "axes.accesslog": {"reporter": set(), "editor": set()},
    "axes.accessfailurelog": {"reporter": set(), "editor": set()},
    "articles.section": {"reporter": {"view"}, "editor": {"view", "add", "change", "delete"}},
    "articles.person": {"reporter": {"view", "add"}, "editor": {"view", "add", "change", "delete"}},
    "articles.article": {"reporter": {"view", "add"}, "editor": {"view", "add", "change", "delete"}},
    "articles.author": {"reporter": {"view"}, "editor": {"view", "add", "change"}},
    "articles.quote": {"reporter": {"view"}, "editor": {"view"}},
    "articles.placement": {"reporter": {"view"}, "editor": {"view", "add", "change", "delete"}},
    "taggit.tag": {"reporter": {"view"}, "editor": {"view", "add", "change", "delete"}},
    "images.image": {"reporter": {"view", "add", "change"}, "editor": {"view", "add", "change", "delete"}},
    # Keys to unpublished stories: editors issue and revoke them; a key is revoked, never deleted.
    "api.apikey": {"reporter": set(), "editor": {"view", "add", "change"}},
    # A desk's own targets for whom it quotes: editors set them, reporters may read them.
    "sources.target": {"reporter": {"view"}, "editor": {"view", "add", "change", "delete"}},
}


def test_the_table_covers_every_model_the_admin_shows():
    assert {model._meta.label_lower for model in admin.site._registry} == set(ALLOWED)


def an_instance(label: str, owner: User):
    """A row of the model that nothing else refers to, so that deleting it is possible."""
    return {
        "auth.group": lambda: Group.objects.create(name="Night desk"),
        "auth.user": lambda: User.objects.create_user("temp", is_staff=True),
        "axes.accessattempt": lambda: AccessAttempt.objects.create(
            username="x", ip_address="10.0.0.1", failures_since_start=1, get_data="", post_data=""
        ),
        "axes.accesslog": lambda: AccessLog.objects.create(username="x", ip_address="10.0.0.1"),
        "axes.accessfailurelog": lambda: AccessFailureLog.objects.create(username="x", ip_address="10.0.0.1"),
        "articles.section": lambda: SectionFactory(),
        "articles.person": lambda: PersonFactory(),
        "articles.article": lambda: ArticleFactory(created_by=owner),
        "articles.author": lambda: Author.objects.create(
            user=User.objects.create_user("writer"), display_name="Writer", slug="writer"
        ),
        "articles.quote": lambda: QuoteFactory(),
        "articles.placement": lambda: Placement.objects.create(article=ArticleFactory(), position=1),
        "taggit.tag": lambda: Tag.objects.create(name="Unused", slug="unused"),
        "images.image": lambda: library_image(),
        "api.apikey": lambda: ApiKey.issue("Preview app", owner)[0],
        "sources.target": lambda: Target.objects.create(name="Half women", category="woman", share=50),
    }[label]()


def admin_url(obj, view: str, *args) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("role", ["reporter", "editor"])
@pytest.mark.parametrize("label", sorted(ALLOWED))
def test_every_admin_page_answers_each_role_as_its_permissions_say(request, client, role, label):
    user = request.getfixturevalue(role)
    client.force_login(user)
    allowed = ALLOWED[label][role]
    obj = an_instance(label, owner=user)
    sees = bool(allowed & {"view", "change"})

    def status(url):
        return client.get(url).status_code

    assert status(admin_url(obj, "changelist")) == (200 if sees else 403)
    assert status(admin_url(obj, "add")) == (200 if "add" in allowed else 403)
    assert status(admin_url(obj, "change", obj.pk)) == (200 if sees else 403)
    assert status(admin_url(obj, "history", obj.pk)) == (200 if sees else 403)
    assert status(admin_url(obj, "delete", obj.pk)) == (200 if "delete" in allowed else 403)

    response = client.post(admin_url(obj, "delete", obj.pk), {"post": "yes"})
    still_there = type(obj).objects.filter(pk=obj.pk).exists()
    assert still_there is ("delete" not in allowed)
    assert response.status_code == (302 if "delete" in allowed else 403)


# Each action returns True when it took effect, judged from the database.


def superuser_form(article: Article) -> dict[str, list[str]]:
    """The article's whole form as someone allowed to change it sees it: what a forged post sends."""
    superuser = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("chief")
    chief = Client()
    chief.force_login(superuser)
    html = chief.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    return form_data(html, "article_form")


def story(owner: User, status=Article.Status.PUBLISHED, when=None) -> Article:
    published_at = None if status == Article.Status.DRAFT else (when or timezone.now())
    article = ArticleFactory(body=BODY, status=status, published_at=published_at, created_by=owner)
    article.tags.add("City")
    mayor = PersonFactory(name="Ana Mayor")
    QuoteFactory(article=article, speaker=mayor, text="the bridge will open in May", order=1)
    article.people.add(mayor)
    return article


def editors_story(status=Article.Status.PUBLISHED, when=None) -> Article:
    return story(User.objects.create_user("chief-editor"), status=status, when=when)


def post_article_form(client, article, change) -> None:
    data = superuser_form(article)
    change(data)
    client.post(reverse("admin:articles_article_change", args=[article.pk]), data)


def _reattribute_in_form(article_for):
    def act(client, user):
        article = article_for(user)
        other = PersonFactory(name="Someone Else")

        def change(data):
            data["quotes-0-speaker"] = [str(other.pk)]

        post_article_form(client, article, change)
        return Quote.objects.get(article=article).speaker == other

    return act


def _add_quote_in_form(client, user):
    article = editors_story()
    speaker = PersonFactory(name="Made Up")

    def change(data):
        data["quotes-TOTAL_FORMS"] = ["2"]
        data.update(
            {"quotes-1-speaker": [str(speaker.pk)], "quotes-1-order": ["2"], "quotes-1-text": ["relieved"]}
        )

    post_article_form(client, article, change)
    return article.quotes.count() == 2


def _delete_quote_in_form(client, user):
    article = editors_story(when=timezone.now() + timezone.timedelta(days=1))  # scheduled

    def change(data):
        data["quotes-0-DELETE"] = ["on"]

    post_article_form(client, article, change)
    return not article.quotes.exists()


def _quotes_admin_change(client, user):
    quote = editors_story().quotes.get()
    other = PersonFactory(name="Someone Else")
    data = {"article": quote.article_id, "speaker": other.pk, "text": quote.text, "context": "", "order": 1}
    client.post(admin_url(quote, "change", quote.pk), data)
    return Quote.objects.get(pk=quote.pk).speaker == other


def _quotes_admin_add(client, user):
    article = editors_story()
    speaker = PersonFactory(name="Made Up")
    data = {"article": article.pk, "speaker": speaker.pk, "text": "relieved", "context": "", "order": 2}
    client.post(reverse("admin:articles_quote_add"), data)
    return article.quotes.count() == 2


def _quotes_admin_delete(client, user):
    quote = editors_story(when=timezone.now() + timezone.timedelta(days=1)).quotes.get()
    client.post(admin_url(quote, "delete", quote.pk), {"post": "yes"})
    return not Quote.objects.filter(pk=quote.pk).exists()


def _quotes_admin_bulk_delete(client, user):
    quote = editors_story().quotes.get()
    client.post(
        reverse("admin:articles_quote_changelist"),
        {"action": "delete_selected", "_selected_action": [quote.pk], "post": "yes"},
    )
    return not Quote.objects.filter(pk=quote.pk).exists()


def _edit_correction(client, user):
    article = editors_story()
    note = ArticleNote.objects.create(article=article, text="An earlier version misspelled a name.")

    def change(data):
        data["notes-0-text"] = ["Rewritten."]

    post_article_form(client, article, change)
    return ArticleNote.objects.get(pk=note.pk).text == "Rewritten."


def _delete_correction(client, user):
    article = editors_story()
    note = ArticleNote.objects.create(article=article, text="An earlier version misspelled a name.")

    def change(data):
        data["notes-0-DELETE"] = ["on"]

    post_article_form(client, article, change)
    return not ArticleNote.objects.filter(pk=note.pk).exists()


def _add_person(client, user):
    # An editor's form also carries the person's source record (an inline of none here).
    inline = {"source_profile-TOTAL_FORMS": "0", "source_profile-INITIAL_FORMS": "0"}
    client.post(reverse("admin:articles_person_add"), {"name": "New Person", "slug": "new-person", **inline})
    return Person.objects.filter(slug="new-person").exists()


def _add_section(client, user):
    client.post(reverse("admin:articles_section_add"), {"name": "Weather", "slug": "weather", "order": "0"})
    return Section.objects.filter(slug="weather").exists()


def _add_tag(client, user):
    client.post(reverse("admin:taggit_tag_add"), {"name": "Floods", "slug": "floods"})
    return Tag.objects.filter(slug="floods").exists()


def _merge_tags(client, user):
    keep, other = Tag.objects.create(name="Flood", slug="flood"), Tag.objects.create(name="Floods", slug="f")
    client.post(
        reverse("admin:taggit_tag_changelist"),
        {"action": "merge", "_selected_action": [keep.pk, other.pk], "keep": str(keep.pk)},
    )
    return not Tag.objects.filter(pk=other.pk).exists()


def _add_author(client, user):
    writer = User.objects.create_user("writer", is_staff=True)
    client.post(
        reverse("admin:articles_author_add"),
        {"user": writer.pk, "display_name": "Writer", "slug": "writer", "bio": ""},
    )
    return Author.objects.filter(slug="writer").exists()


def _edit_author(client, user):
    author = Author.objects.create(user=User.objects.create_user("writer"), display_name="Writer", slug="w")
    client.post(
        admin_url(author, "change", author.pk),
        {"user": author.user_id, "display_name": "Renamed", "slug": "w", "bio": ""},
    )
    return Author.objects.get(pk=author.pk).display_name == "Renamed"


def _restore_revision(client, user):
    article = editors_story()
    chief = Client()
    chief.force_login(User.objects.create_superuser("chief"))
    url = reverse("admin:articles_article_change", args=[article.pk])
    for headline in ("Old headline", "New headline"):
        data = form_data(chief.get(url).content.decode(), "article_form")
        data["headline"] = [headline]
        chief.post(url, data)
    old = Version.objects.get_for_object(article).last()
    client.post(reverse("admin:articles_article_revision", args=[article.pk, old.pk]))
    return Article.objects.get(pk=article.pk).headline == "Old headline"


def _deleted_story_version() -> Version:
    article = editors_story()
    chief = Client()
    chief.force_login(User.objects.create_superuser("chief"))
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(chief.get(url).content.decode(), "article_form")
    data["body"] = [BODY + " A secret the desk cut."]
    chief.post(url, data)
    chief.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    return Version.objects.get_deleted(Article).get()


def _list_deleted(client, user):
    _deleted_story_version()
    response = client.get(reverse("admin:articles_article_recoverlist"))
    return response.status_code == 200


def _read_deleted(client, user):
    version = _deleted_story_version()
    response = client.get(reverse("admin:articles_article_recover", args=[version.pk]))
    return "A secret the desk cut." in response.content.decode()


def _recover_deleted(client, user):
    version = _deleted_story_version()
    url = reverse("admin:articles_article_recover", args=[version.pk])
    response = client.get(url)
    data = form_data(response.content.decode(), "article_form") if response.status_code == 200 else {}
    client.post(url, data)
    return Article.objects.filter(pk=version.object_id).exists()


PERMISSION_MATRIX = {
    # action: (reporter may, editor may)
    **WORKFLOW_PERMISSIONS,
    "re-attribute a quote in their own draft": (
        _reattribute_in_form(lambda user: story(user, status=Article.Status.DRAFT)),
        True,
        True,
    ),
    "re-attribute a quote in a published story": (
        _reattribute_in_form(lambda u: editors_story()),
        False,
        True,
    ),
    "add a quote to a published story": (_add_quote_in_form, False, True),
    "delete a quote from a scheduled story": (_delete_quote_in_form, False, True),
    "change a quote in the Quotes admin": (_quotes_admin_change, False, False),
    "add a quote in the Quotes admin": (_quotes_admin_add, False, False),
    "delete a quote in the Quotes admin": (_quotes_admin_delete, False, False),
    "delete quotes in bulk": (_quotes_admin_bulk_delete, False, False),
    "edit a correction": (_edit_correction, False, True),
    "delete a correction": (_delete_correction, False, True),
    "add a person": (_add_person, True, True),
    "add a section": (_add_section, False, True),
    "add a tag": (_add_tag, False, True),
    "merge tags": (_merge_tags, False, True),
    "add an author": (_add_author, False, True),
    "edit an author": (_edit_author, False, True),
    "restore a revision of a published story": (_restore_revision, False, True),
    "list deleted articles": (_list_deleted, False, True),
    "read a deleted article": (_read_deleted, False, True),
    "recover a deleted article": (_recover_deleted, False, True),
}


@pytest.mark.parametrize("role", ["reporter", "editor"])
@pytest.mark.parametrize("cell", PERMISSION_MATRIX)
def test_permission_matrix(request, client, role, cell):
    """Each role × action, by real requests; allowed means it took effect in the database."""
    action, reporter_may, editor_may = PERMISSION_MATRIX[cell]
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert action(client, user) is (reporter_may if role == "reporter" else editor_may)


# A quote change is an article change: in its history, and checked against concurrent saves.


@pytest.fixture
def two_editors(editor, make_staff):
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(make_staff("ed2", "Editor"))
    return first, second


def test_a_quote_changed_in_the_form_is_in_the_articles_revision_and_moves_its_version(two_editors):
    first, _ = two_editors
    article = editors_story()
    version = article.edit_version
    other = PersonFactory(name="Someone Else")
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(first.get(url).content.decode(), "article_form")
    data["quotes-0-speaker"] = [str(other.pk)]

    assert first.post(url, data).status_code == 302

    article.refresh_from_db()
    assert article.edit_version > version
    latest = Version.objects.get_for_object(article).first()
    quotes = [v.field_dict for v in latest.revision.version_set.all() if v.content_type.model == "quote"]
    assert [quote["speaker_id"] for quote in quotes] == [other.pk]


def test_an_editor_who_had_the_story_open_is_refused_after_someone_changed_a_quote(two_editors):
    first, second = two_editors
    article = editors_story()
    url = reverse("admin:articles_article_change", args=[article.pk])
    opened_by_first = form_data(first.get(url).content.decode(), "article_form")
    by_second = form_data(second.get(url).content.decode(), "article_form")
    by_second["quotes-0-speaker"] = [str(PersonFactory(name="Someone Else").pk)]
    assert second.post(url, by_second).status_code == 302

    opened_by_first["headline"] = ["A headline of mine"]
    response = first.post(url, opened_by_first)

    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    assert Article.objects.get(pk=article.pk).headline != "A headline of mine"
    assert Quote.objects.get(article=article).speaker.name == "Someone Else"


def test_a_change_form_posted_without_the_version_it_was_opened_at_is_refused(two_editors):
    first, _ = two_editors
    article = editors_story()
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(first.get(url).content.decode(), "article_form")
    del data["opened_version"]
    data["headline"] = ["Unversioned"]

    response = first.post(url, data)

    assert response.status_code == 200
    assert "reload the article" in response.content.decode()
    assert Article.objects.get(pk=article.pk).headline != "Unversioned"


def test_the_quotes_list_links_each_quote_to_its_articles_form(client, editor):
    quote = editors_story().quotes.get()
    client.force_login(editor)
    html = client.get(reverse("admin:articles_quote_changelist")).content.decode()
    assert reverse("admin:articles_article_change", args=[quote.article_id]) + "#quotes-group" in html
    assert reverse("admin:articles_quote_add") not in html
