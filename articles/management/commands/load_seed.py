"""
Load the seed article (fixtures/seed.json), as ``loaddata seed`` does.

With --if-empty it does nothing when the site already has articles, so restarting a
local site never overwrites an editor's changes to the seed story.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article


class Command(BaseCommand):
    help = "Load the seed article from fixtures/seed.json: no duplicates, however often it runs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only load when there are no articles yet (keeps local edits across restarts).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Load the seed and roll it back: checks that it loads, writes nothing.",
        )

    def handle(self, *args, if_empty=False, dry_run=False, **options):
        if if_empty and Article.objects.exists():
            if options["verbosity"] >= 1:
                self.stdout.write("Articles already exist; the seed was not loaded again.")
            return
        # loaddata runs in one transaction: a broken fixture leaves the database as it was.
        with transaction.atomic():
            # A dry run's "Installed 48 object(s)" would read as done.
            verbosity = 0 if dry_run else options["verbosity"]
            call_command("loaddata", "seed", verbosity=verbosity, stdout=self.stdout)
            if dry_run:
                transaction.set_rollback(True)
                self.stdout.write("Dry run: the seed loads; nothing was written.")
