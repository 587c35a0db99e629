"""
Load the seed article (fixtures/seed.json), as ``loaddata seed`` does, with its lead image
(fixtures/images/seed-lead.jpg, an illustration drawn by fixtures/images/draw_seed_lead.py)
put in the image library through the same checks as an upload, renditions and all.

With --if-empty it does nothing when the site already has articles, so restarting a
local site never overwrites an editor's changes to the seed story.
"""

from django.conf import settings
from django.core.files import File
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Article
from images.models import Image
from images.uploads import UploadRefused, prepare

SEED_SLUG = "what-did-trump-and-putin-discuss-in-their-recent-call"
SEED_IMAGE = settings.BASE_DIR / "fixtures" / "images" / "seed-lead.jpg"
SEED_IMAGE_TEXT = {
    "title": "Seed story: the call between two presidents (illustration)",
    "alt_text": "An illustration: a red and a blue telephone handset facing each other above two "
    "night-time skylines, with signal waves passing between them.",
    "caption": "Trump and Putin spoke by telephone for more than two hours.",
    "credit": "Illustration: Newsroom",
}


def seed_lead_image() -> Image:
    """The seed's lead image from the library, stored there first if it is not yet (by its digest)."""
    with open(SEED_IMAGE, "rb") as source:
        try:
            prepared = prepare(File(source, name=SEED_IMAGE.name))
        except UploadRefused as refusal:
            raise CommandError(f"{SEED_IMAGE}: {refusal.messages[0]}") from None
    existing = Image.objects.filter(sha256=prepared.sha256).order_by("pk").first()
    if existing is not None:
        return existing
    image = Image(**SEED_IMAGE_TEXT, sha256=prepared.sha256, focal_x=0.5, focal_y=0.45)
    image.file = prepared.content
    image.save()  # stores the master and makes the renditions
    return image


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
                # Checks the picture without storing it: files written now would outlive the rollback.
                with open(SEED_IMAGE, "rb") as source:
                    prepare(File(source, name=SEED_IMAGE.name))
            else:
                # loaddata leaves the lead image empty, as the fixture has none: set it again.
                article = Article.objects.get(slug=SEED_SLUG)
                article.lead_image = seed_lead_image()
                article.save(update_fields=["lead_image"])
            if dry_run:
                transaction.set_rollback(True)
                self.stdout.write("Dry run: the seed loads; nothing was written.")
