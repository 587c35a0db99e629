"""
Load the seed article (fixtures/seed.json), as ``loaddata seed`` does.

With --if-empty it does nothing when the site already has articles, so restarting a
local site never overwrites an editor's changes to the seed story.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from articles.models import Article


class Command(BaseCommand):
    help = "Load the seed article from fixtures/seed.json (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only load when there are no articles yet (keeps local edits across restarts).",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Article.objects.exists():
            if options["verbosity"] >= 1:
                self.stdout.write("Articles already exist; the seed was not loaded again.")
            return
        # loaddata runs in one transaction: a broken fixture leaves the database as it was.
        call_command("loaddata", "seed", verbosity=options["verbosity"], stdout=self.stdout)
