"""Real library pictures for the reader pages' tests: generated, saved to a media folder of the test's own."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageDraw

from images.models import Image


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files and renditions go to a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def picture_bytes(width: int = 1600, height: int = 1000, hue: int = 0) -> bytes:
    """A JPEG of a sky over hills, so that a screenshot shows a picture, not a flat box."""
    picture = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for row in range(height):
        shade = row / height
        draw.line(
            [(0, row), (width, row)], fill=(int(40 + 80 * shade + hue) % 256, int(90 + 100 * shade), 190)
        )
    draw.ellipse([width * 0.62, height * 0.12, width * 0.78, height * 0.38], fill=(250, 214, 90))
    draw.polygon(
        [
            (0, height),
            (0, height * 0.62),
            (width * 0.35, height * 0.48),
            (width * 0.7, height * 0.7),
            (width, height * 0.55),
            (width, height),
        ],
        fill=(46, 104 + hue % 60, 62),
    )
    out = BytesIO()
    picture.save(out, "JPEG", quality=85)
    return out.getvalue()


def make_image(width: int = 1600, height: int = 1000, hue: int = 0, **fields) -> Image:
    """A library image with its renditions made, as an upload leaves it."""
    fields = {
        "alt_text": "Hills under a summer sky",
        "caption": "The valley at dawn.",
        "credit": "Jane Doe/Newsroom",
        **fields,
    }
    image = Image(**fields)
    image.file = ContentFile(picture_bytes(width, height, hue), name=f"picture-{hue}.jpg")  # as uploaded
    image.save()
    image.refresh_from_db()
    assert image.renditions, "the picture's renditions were not made"
    return image


def copies(image: Image, count: int) -> list[Image]:
    """More library images sharing ``image``'s files: as many rows as a big archive, at no cost."""
    clones = [
        Image(
            file=image.file.name,
            width=image.width,
            height=image.height,
            alt_text=f"{image.alt_text} {number}",
            caption=image.caption,
            credit=image.credit,
            renditions=image.renditions,
        )
        for number in range(count)
    ]
    return Image.objects.bulk_create(clones)
