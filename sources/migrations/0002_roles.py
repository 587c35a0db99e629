"""Editors keep source records and targets; reporters see the desk's targets (articles/roles.py)."""

from django.db import migrations

from articles.roles import sync_groups


def grant(apps, schema_editor):
    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0001_initial"),
        ("images", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
