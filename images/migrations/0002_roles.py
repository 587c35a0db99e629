"""Reporters and editors may upload and edit library images (articles/roles.py)."""

from django.db import migrations

from articles.roles import sync_groups


def grant(apps, schema_editor):
    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("images", "0001_initial"),
        ("articles", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
