from django.db import migrations

# A search document is about 2 KB, just over the size at which PostgreSQL moves a value out of
# its row into the TOAST table. Ranking reads every matching document, so a query matching 8,000
# articles read three TOAST pages for each; kept in the row (up to 4 KB), it reads one. Only new
# and updated documents move: `manage.py update_search_documents` rewrites the others.
# PostgreSQL only, like the documents themselves.


def store_inline(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE articles_articlesearchdocument SET (toast_tuple_target = 4080)")


def store_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE articles_articlesearchdocument RESET (toast_tuple_target)")


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0005_public_listing_indexes"),
    ]

    operations = [
        migrations.RunPython(store_inline, store_default),
    ]
