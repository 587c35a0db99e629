"""
Measure how well plain-text copy is read: precision and recall of quote extraction and of
attribution (and of the people found) against hand-made gold annotations — the seed
fixture and the stories in fixtures/gold/. Reads files only; touches no database.

    python manage.py benchmark_import            # the table, in Markdown
    python manage.py benchmark_import --check    # …and fail when a story misses the targets
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ingest.benchmark import (
    PRECISION_TARGET,
    RECALL_TARGET,
    load_gold_directory,
    load_seed_gold,
    score,
    table,
)


class Command(BaseCommand):
    help = "Print precision and recall of quote extraction and attribution against the gold stories."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--gold",
            default=str(Path(settings.BASE_DIR) / "fixtures" / "gold"),
            help="Folder of gold stories: NAME.txt with NAME.json (default: fixtures/gold).",
        )
        parser.add_argument(
            "--check", action="store_true", help="Exit with an error when a story misses the targets."
        )

    def handle(self, *args, gold, check, **options):
        fixtures = Path(settings.BASE_DIR) / "fixtures"
        stories = [
            load_seed_gold(fixtures / "seed.json", fixtures / "seed.txt"),
            *load_gold_directory(Path(gold)),
        ]
        scores = [score(story) for story in stories]

        self.stdout.write(table(scores))
        self.stdout.write(
            f"\nTargets: precision ≥ {PRECISION_TARGET} and recall ≥ {RECALL_TARGET}, "
            "for extraction and attribution, on every story."
        )
        if options["verbosity"] > 1:
            for result in scores:
                for mistake in result.mistakes:
                    self.stdout.write(f"  {result.story}: {mistake}")

        missed = [result.story for result in scores if not result.meets_targets]
        if missed and check:
            raise CommandError(f"Below the targets: {', '.join(missed)}.")
        if not missed:
            self.stdout.write(self.style.SUCCESS("Every story meets the targets."))
