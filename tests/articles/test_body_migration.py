"""Migration 0013: every body becomes the Markdown format, unchanged in meaning, and back."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bodytext import render_body, split_blocks
from tests.conftest import SEED_SLUG
from tests.html_tree import parse_html

BEFORE = [("articles", "0012_lead_image_portrait_placement")]
AFTER = [("articles", "0013_markdown_body")]

# Plain bodies written before Markdown, every character of them text.
TRICKY = [
    "Prices rose 5*3 times, *allegedly*, to **record** levels; see file_name_here.",
    "## Numbers, #1 #\n\n1. Not a list.\n\n2024. A year.\n\n- Nor this.\n\n> Nor this.\n\n# Nor this.",
    "Brackets [like this](https://example.org/) and [[image:1]] and [[pullquote:1]].",
    "A backslash \\ and C:\\Users\\desk\\ and one at the end \\",
    "<b>bold?</b> &amp; &lt;script&gt; stay as typed, and https://example.org/a_b_c?x=1&y=*2*.",
    "Line one\n1. line two\n- line three\n  indented line",
]


def shown(body: str, plain: bool) -> list[tuple[str, str]]:
    """The blocks readers see: the old format's blocks, or the new format's rendering."""
    if plain:
        return [
            (
                "h2" if block.kind == "subhead" else "p",
                "\n".join(line.strip() for line in block.text.split("\n")),
            )
            for block in split_blocks(body)
        ]
    return [(element.tag, element.text) for element in parse_html(render_body(body)).elements]


@pytest.fixture
def migrate(transactional_db):
    def to(target):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(target)
        return executor.loader.project_state(target).apps

    yield to
    to(AFTER)
    call_command("migrate", verbosity=0)


def test_the_seed_and_tricky_plain_bodies_read_the_same_after_the_migration_and_back(migrate, seed):
    old_apps = migrate(BEFORE)
    Article = old_apps.get_model("articles", "Article")
    section = old_apps.get_model("articles", "Section").objects.create(name="Tricky", slug="tricky")
    for number, body in enumerate(TRICKY):
        Article.objects.create(
            headline=f"Tricky {number}", slug=f"tricky-{number}", body=body, section=section
        )
    before = dict(Article.objects.values_list("slug", "body"))

    new_apps = migrate(AFTER)
    after = new_apps.get_model("articles", "Article").objects.values_list("slug", "body", "body_text")

    for slug, body, body_text in after:
        assert shown(body, plain=False) == shown(before[slug], plain=True), slug
        assert body_text == "\n\n".join(text for _, text in shown(before[slug], plain=True))
    converted = {slug: body for slug, body, _ in after}
    assert converted[SEED_SLUG] == before[SEED_SLUG]  # nothing in it to escape: not rewritten
    assert "5\\*3" in converted["tricky-0"] and "\\[\\[image:1\\]\\]" in converted["tricky-2"]

    back = migrate(BEFORE).get_model("articles", "Article").objects.values_list("slug", "body")
    for slug, body in back:
        assert shown(body, plain=True) == shown(before[slug], plain=True), slug


def test_saved_revisions_are_converted_too_so_restoring_one_brings_back_its_words(migrate, seed):
    import json

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from reversion.models import Revision, Version

    old_apps = migrate(BEFORE)
    Article = old_apps.get_model("articles", "Article")
    section = old_apps.get_model("articles", "Section").objects.create(name="Tricky", slug="tricky")
    article = Article.objects.create(headline="Tricky", slug="tricky", body=TRICKY[0], section=section)
    article_type = ContentType.objects.get(app_label="articles", model="article")
    stored = [
        {"model": "articles.article", "pk": article.pk, "fields": {"headline": "Tricky", "body": TRICKY[0]}}
    ]
    version = Version.objects.create(
        revision=Revision.objects.create(comment="before Markdown", date_created=timezone.now()),
        object_id=str(article.pk),
        content_type=article_type,
        db="default",
        format="json",
        serialized_data=json.dumps(stored),
        object_repr="Tricky",
    )

    migrate(AFTER)
    fields = json.loads(Version.objects.get(pk=version.pk).serialized_data)[0]["fields"]

    assert shown(fields["body"], plain=False) == shown(TRICKY[0], plain=True)
    assert "5\\*3" in fields["body"]
    assert fields["body_text"] == "\n\n".join(text for _, text in shown(TRICKY[0], plain=True))
    migrate(BEFORE)
    back = json.loads(Version.objects.get(pk=version.pk).serialized_data)
    assert shown(back[0]["fields"]["body"], plain=True) == shown(TRICKY[0], plain=True)
