"""make_renditions, and the seed story's lead image that load_seed puts in the library."""

from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image as PILImage

from articles import workflow
from articles.models import Article
from images.models import Image
from images.renditions import names
from tests.conftest import SEED_SLUG
from tests.images.pictures import library_image

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("make_renditions", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_dry_run_reads_every_image_and_changes_nothing():
    image = library_image()
    lost = sorted(names(image.renditions))[:3]
    for name in lost:
        default_storage.delete(name)
    Image.objects.filter(pk=image.pk).update(renditions={})

    output = run("--dry-run")

    assert "1 image(s) read, 3 file(s) would be written; nothing was" in output
    assert Image.objects.get(pk=image.pk).renditions == {}
    assert not any(default_storage.exists(name) for name in lost)


def test_the_command_writes_the_missing_files_and_records_them():
    image = library_image()
    recorded = image.renditions
    lost = sorted(names(recorded))[:3]
    for name in lost:
        default_storage.delete(name)
    Image.objects.filter(pk=image.pk).update(renditions={})

    output = run(str(image.pk))

    assert "1 image(s) done, 3 file(s) written." in output
    assert Image.objects.get(pk=image.pk).renditions == recorded
    assert all(default_storage.exists(name) for name in lost)


def test_force_writes_every_file_again():
    image = library_image()

    assert f"{len(names(image.renditions))} file(s) written" in run("--force")


def test_an_image_whose_file_is_lost_fails_the_command_and_leaves_the_others_done():
    broken = library_image(title="Broken")
    fine = library_image(title="Fine")
    default_storage.delete(broken.file.name)
    Image.objects.filter(pk__in=[broken.pk, fine.pk]).update(renditions={})

    with pytest.raises(CommandError, match="1 image\\(s\\) failed"):
        run()

    assert Image.objects.get(pk=broken.pk).renditions == {}
    assert Image.objects.get(pk=fine.pk).renditions != {}


def test_an_unknown_id_is_refused_with_what_to_do():
    with pytest.raises(CommandError, match="No image with id 999: see the ids in the admin's image library."):
        run("999")


# The seed's lead image.


def test_load_seed_gives_the_seed_story_its_lead_image_once_however_often_it_runs():
    call_command("load_seed", verbosity=0)
    call_command("load_seed", verbosity=0)

    article = Article.objects.get(slug=SEED_SLUG)
    image = Image.objects.get()
    assert article.lead_image == image
    assert image.credit == "Illustration: Newsroom"
    assert image.alt_text and image.caption and image.publishable
    assert all(default_storage.exists(name) for name in names(image.renditions))
    with default_storage.open(image.renditions["social"]["name"]) as card:
        assert PILImage.open(card).size == (1200, 630)
    assert not [problem for problem in workflow.publication_problems(article) if "lead image" in problem]


def test_a_dry_run_of_load_seed_stores_no_picture():
    call_command("load_seed", dry_run=True, stdout=StringIO())

    assert not Image.objects.exists()
    assert not default_storage.listdir("")[1] and not default_storage.exists("images")
