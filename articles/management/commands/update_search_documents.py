"""
Recompute every article's stored search document (PostgreSQL full-text search).

Saving an article or a quote keeps its document current by itself; run this after changes
that send no signals (a bulk ``update()``, ``bulk_create()``, SQL run by hand) or after
changing how documents are built. On SQLite there is nothing to store, and it says so.
"""

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections

from articles.models import Article
from articles.search import update_search_documents
from articles.signals import content_changed


class Command(BaseCommand):
    help = "Recompute the stored full-text search document of every article (PostgreSQL only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database to update (default: %(default)s)."
        )

    def handle(self, *args, database=DEFAULT_DB_ALIAS, **options):
        if connections[database].vendor != "postgresql":
            if options["verbosity"] >= 1:
                self.stdout.write("This database has no full-text search (PostgreSQL only): nothing to do.")
            return
        # One INSERT … ON CONFLICT statement: all documents change together or none does.
        count = update_search_documents(Article.objects.using(database).all())
        # Cached search pages were made from the old documents.
        content_changed.send(sender=Article, using=database)
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"Updated the search documents of {count} articles."))
