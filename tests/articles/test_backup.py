"""
A backup (dumpdata with natural foreign keys) restored into an emptied database (flush, then
loaddata) gives back every row of every table: the backup and restore commands of docs/operators.md.
"""

import datetime

import reversion
from django.apps import apps
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, models
from django.utils import timezone

from articles import revisions, workflow
from articles.models import Article, ArticleNote, ArticleSearchDocument, Person, Quote
from tests.factories import ArticleFactory, PersonFactory, QuoteFactory, SectionFactory

# What the backup leaves out (the command in docs/operators.md): rebuilt by migrate (content types,
# permissions), short-lived (sessions, django-axes' login attempts), the admin's action log, and
# search documents, which are derived from the articles and rebuilt as they load.
LEFT_OUT = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "axes",
    "articles.articlesearchdocument",
]


def backup(path):
    call_command("dumpdata", natural_foreign=True, exclude=LEFT_OUT, indent=2, output=str(path), verbosity=0)


def restore(path):
    call_command("flush", interactive=False, verbosity=0)
    call_command("loaddata", str(path), verbosity=0)


def newsroom(make_staff):
    """Varied content: the seed, staff in both roles, every workflow step, notes and revisions."""
    call_command("loaddata", "seed", verbosity=0)
    reporter, editor = make_staff("rita", "Reporter"), make_staff("edna", "Editor")
    User.objects.create_superuser("chief", "chief@example.com", "a-long-password-1")
    editor.user_permissions.add(Permission.objects.get(codename="view_logentry"))

    section = SectionFactory(name="Culture", slug="culture", description="Arts & letters", order=3)
    person = PersonFactory(name="Ana Kovač", slug="ana-kovac", aliases="Kovač\nAna", wikidata_id="Q42")
    stories = []
    for number in range(4):
        article = ArticleFactory(
            headline=f"Zürich story {number} — “quoted”",
            slug=f"zurich-story-{number}",
            section=section,
            status=Article.Status.DRAFT,
            published_at=None,
            created_by=reporter,
            body=f"## Opening\n\nAna Kovač said the museum would open.\n\nStory {number}.",
        )
        article.authors.add(reporter.author)
        article.people.add(person)
        article.tags.add("Zürich", "Museums", f"topic {number}")
        QuoteFactory(
            article=article, speaker=person, text="the museum would open", context="in Bern", order=1
        )
        stories.append(article)

    with reversion.create_revision():
        stories[0].body += "\n\nA revised paragraph."
        stories[0].save()
        reversion.set_user(reporter)
        reversion.set_comment("Second draft")
    for name, story in (("submit", stories[0]), ("submit", stories[1]), ("submit", stories[2])):
        workflow.apply(reporter, story, name)
    workflow.apply(editor, stories[0], "publish")
    workflow.apply(editor, stories[1], "send_back", comment="Needs a second source.")
    workflow.apply(editor, stories[2], "schedule", when=timezone.now() + datetime.timedelta(days=1))
    workflow.apply(editor, stories[0], "withdraw", comment="Legal")
    workflow.apply(editor, stories[0], "publish")
    ArticleNote.objects.create(article=stories[0], text="An earlier version misspelled Kovač.")
    ArticleNote.objects.create(article=stories[0], kind=ArticleNote.Kind.UPDATE, text="Opening date set.")
    version = revisions.article_versions(stories[0]).last()
    revisions.restore(editor, Article.objects.get(pk=stories[0].pk), version)


def natural(value, field):
    """A foreign key to a row that migrate rebuilds (with new ids) as that row's natural key."""
    if value is not None and field.related_model is ContentType:
        return ContentType.objects.get_for_id(value).natural_key()
    if value is not None and field.related_model is Permission:
        return Permission.objects.get(pk=value).natural_key()
    return value


def database_rows() -> dict[str, list[tuple]]:
    """
    Every row of every table in primary key order; foreign keys to rows that migrate rebuilds
    (with ids of their own) by natural key, and many-to-many links without their own id.
    """
    ContentType.objects.clear_cache()
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if model in (ContentType, Permission):
            rows[table] = sorted(instance.natural_key() for instance in model.objects.all())
            continue
        fields = list(model._meta.concrete_fields)
        if model._meta.auto_created:
            fields = [field for field in fields if not field.primary_key]
        values = model._base_manager.order_by("pk").values_list(*(field.attname for field in fields))
        rows[table] = [
            tuple(
                natural(value, field) if isinstance(field, models.ForeignKey) else value
                for value, field in zip(row, fields, strict=True)
            )
            for row in values
        ]
        if model._meta.auto_created:
            rows[table].sort()
    return rows


def test_a_backup_restores_every_row_of_every_table(transactional_db, make_staff, tmp_path):
    newsroom(make_staff)
    before = database_rows()
    assert set(before) == set(connection.introspection.django_table_names(only_existing=True))
    assert all(before[model._meta.db_table] for model in (Article, Quote, Person, reversion.models.Version))
    if connection.vendor == "postgresql":
        assert len(before[ArticleSearchDocument._meta.db_table]) == Article.objects.count()

    backup(tmp_path / "backup.json")
    restore(tmp_path / "backup.json")
    after = database_rows()

    for table in before:
        left_out = table.startswith(("django_admin_log", "django_session", "axes_"))
        assert after[table] == ([] if left_out else before[table]), table


def test_a_restored_database_takes_new_content(transactional_db, make_staff, tmp_path):
    newsroom(make_staff)
    backup(tmp_path / "backup.json")
    restore(tmp_path / "backup.json")
    # Sequences are reset past the restored ids: new rows get ids of their own.
    article = ArticleFactory(section=SectionFactory(slug="new-section"))
    QuoteFactory(article=article, order=1)
    User.objects.create_user("newcomer")
    assert Article.objects.count() == 6


def test_loading_a_backup_again_changes_nothing(transactional_db, make_staff, tmp_path):
    newsroom(make_staff)
    backup(tmp_path / "backup.json")
    before = database_rows()
    call_command("loaddata", str(tmp_path / "backup.json"), verbosity=0)
    assert database_rows() == before
