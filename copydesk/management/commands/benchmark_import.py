"""
Measure how well plain-text copy is read: precision and recall of quote extraction and of
attribution (and of the people found) against hand-made annotations, in two sets scored apart —
the regression set (the seed fixture and fixtures/gold/, every story held to the targets) and
the development set of published news copy (fixtures/realcopy/, held to its targets as a whole).
Reads files only; touches no database.

    python manage.py benchmark_import            # the tables, in Markdown
    python manage.py benchmark_import -v2        # …and every mistake
    python manage.py benchmark_import --check    # …and fail below the targets
"""

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ingest.benchmark import (
    DEVELOPMENT_TARGETS,
    PRECISION_TARGET,
    RECALL_TARGET,
    development_shortfalls,
    load_gold_directory,
    load_seed_gold,
    score,
    table,
    total,
)


class Command(BaseCommand):
    help = (
        "Print precision and recall of quote extraction and attribution on the regression set and the "
        "development set."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        fixtures = Path(settings.BASE_DIR) / "fixtures"
        parser.add_argument(
            "--gold",
            default=str(fixtures / "gold"),
            help="Regression set: a folder of NAME.txt with NAME.json (default: fixtures/gold).",
        )
        parser.add_argument(
            "--development",
            default=str(fixtures / "realcopy"),
            help="Development set of published copy, same layout (default: fixtures/realcopy).",
        )
        parser.add_argument("--check", action="store_true", help="Exit with an error below the targets.")

    def handle(self, *args, gold, development, check, **options):
        fixtures = Path(settings.BASE_DIR) / "fixtures"
        for folder in (gold, development):
            if not Path(folder).is_dir():
                raise CommandError(f"No such folder: {folder}. Pass a folder of NAME.txt with NAME.json.")
        seed = load_seed_gold(fixtures / "seed.json", fixtures / "seed.txt")
        regression = [seed, *load_gold_directory(Path(gold))]
        stories = load_gold_directory(Path(development))
        started = time.perf_counter()
        regression_scores = [score(story) for story in regression]
        development_scores = [score(story) for story in stories]
        elapsed = time.perf_counter() - started
        development_total = total("all", development_scores)
        shown = {folder: os.path.relpath(folder, settings.BASE_DIR) for folder in (gold, development)}
        targets = ", ".join(
            f"{name.replace('_', ' ')} ≥ {value}" for name, value in DEVELOPMENT_TARGETS.items()
        )

        self.stdout.write(table([*regression_scores, total("all", regression_scores)]))
        self.stdout.write(
            f"\nRegression set ({shown[gold]} and the seed). Targets: precision ≥ {PRECISION_TARGET} "
            f"and recall ≥ {RECALL_TARGET}, for extraction and attribution, on every story.\n"
        )
        self.stdout.write(table([*development_scores, development_total]))
        self.stdout.write(f"\nDevelopment set ({shown[development]}). Targets: {targets}, over the set.")
        count = len(regression) + len(stories)
        self.stdout.write(
            f"Read {count} stories in {elapsed * 1000:.0f} ms ({elapsed * 1000 / count:.1f} ms each)."
        )
        if options["verbosity"] > 1:
            for result in [*regression_scores, *development_scores]:
                for mistake in result.mistakes:
                    self.stdout.write(f"  {result.story}: {mistake}")

        missed = [result.story for result in regression_scores if not result.meets_targets]
        shortfalls = [f"development set, {item}" for item in development_shortfalls(development_total)]
        if check and (missed or shortfalls):
            raise CommandError(
                f"Below the targets: {'; '.join(([', '.join(missed)] if missed else []) + shortfalls)}."
            )
        if not missed:
            self.stdout.write(self.style.SUCCESS("Every story meets the targets."))
        if not shortfalls:
            self.stdout.write(self.style.SUCCESS("The development set meets its targets."))
