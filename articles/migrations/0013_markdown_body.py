"""
Bodies become the Markdown subset (docs/architecture.md, "The body format"), unchanged in
meaning: a character Markdown would read as markup (an asterisk, a bracket, "1." or "#" at the
start of a line…) is escaped, "## " subheads stay. Each article also gets its plain text, which
search indexes. Rows are read in key order and written in batches, a body only when escaping
changes it. Reversible: going back writes each body's text in the plain format again.

The articles' saved revisions are converted the same way: restoring one written before the change
then brings back its words, not a stray asterisk read as emphasis.
"""

import json

from django.db import migrations, models

from bodytext.plain import from_plain, plain_text_of_plain, to_plain

BATCH = 2000


def _batches(Article, fields):
    last = 0
    while True:
        rows = list(Article.objects.filter(pk__gt=last).order_by("pk").only("pk", *fields)[:BATCH])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def to_markdown(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for rows in _batches(Article, ["body"]):
        changed_body, text_only = [], []
        for article in rows:
            article.body_text = plain_text_of_plain(article.body)
            converted = from_plain(article.body)
            if converted != article.body:
                article.body = converted
                changed_body.append(article)
            elif article.body_text:
                text_only.append(article)
        if changed_body:
            Article.objects.bulk_update(changed_body, ["body", "body_text"])
        if text_only:
            Article.objects.bulk_update(text_only, ["body_text"])


def to_plain_format(apps, schema_editor):
    from bodytext.syntax import parse

    Article = apps.get_model("articles", "Article")
    for rows in _batches(Article, ["body"]):
        changed = []
        for article in rows:
            plain = to_plain(parse(article.body).blocks)
            if plain != article.body:
                article.body = plain
                changed.append(article)
        if changed:
            Article.objects.bulk_update(changed, ["body"])


def _convert_revisions(apps, convert):
    """Rewrites the body in each saved revision of an article with ``convert(body) -> (body, text)``."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    article_type = ContentType.objects.filter(app_label="articles", model="article").first()
    if article_type is None:
        return
    last = 0
    while True:
        versions = list(
            Version.objects.filter(content_type=article_type, pk__gt=last)
            .order_by("pk")
            .only("pk", "format", "serialized_data")[:BATCH]
        )
        if not versions:
            return
        last = versions[-1].pk
        changed = []
        for version in versions:
            if version.format != "json":
                continue
            objects = json.loads(version.serialized_data)
            touched = False
            for stored in objects:
                fields = stored.get("fields", {})
                if not isinstance(fields.get("body"), str):
                    continue
                body, text = convert(fields["body"])
                if body != fields["body"] or (text is not None and fields.get("body_text") != text):
                    fields["body"] = body
                    if text is not None:
                        fields["body_text"] = text
                    touched = True
            if touched:
                version.serialized_data = json.dumps(objects)
                changed.append(version)
        if changed:
            Version.objects.bulk_update(changed, ["serialized_data"])


def revisions_to_markdown(apps, schema_editor):
    _convert_revisions(apps, lambda body: (from_plain(body), plain_text_of_plain(body)))


def revisions_to_plain_format(apps, schema_editor):
    from bodytext.syntax import parse

    _convert_revisions(apps, lambda body: (to_plain(parse(body).blocks), None))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_lead_image_portrait_placement"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="body_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AlterField(
            model_name="article",
            name="body",
            field=models.TextField(
                blank=True,
                help_text="Paragraphs separated by a blank line; the toolbar adds subheads, bold, italic, links, "
                "lists, quotes, pictures from the library, videos, posts and pull quotes (docs/editors.md). "
                "Quotes below must appear in the body word for word.",
            ),
        ),
        migrations.RunPython(to_markdown, to_plain_format, elidable=True),
        migrations.RunPython(revisions_to_markdown, revisions_to_plain_format, elidable=True),
    ]
