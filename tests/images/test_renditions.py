"""
Renditions: the JSON pages read, the files in the storage, crops that follow the focal point, and
the HTML the template tag and images.rendering give pages.
"""

from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.template import Context, Template
from PIL import Image as PILImage

from images.models import Image
from images.rendering import picture_html, social_image
from images.renditions import focal_crop, names, widths_for
from tests.html_tree import parse_html
from tests.images.pictures import library_image, picture_bytes, two_halves

pytestmark = pytest.mark.django_db


def opened(name: str) -> PILImage.Image:
    with default_storage.open(name) as stored:
        return PILImage.open(BytesIO(stored.read()))


def colour_at_centre(name: str) -> tuple[int, int, int]:
    picture = opened(name).convert("RGB")
    return picture.getpixel((picture.width // 2, picture.height // 2))


def is_red(colour) -> bool:
    red, green, blue = colour
    return red > 200 and green < 60 and blue < 60


def is_blue(colour) -> bool:
    red, green, blue = colour
    return blue > 200 and red < 60 and green < 60


@pytest.mark.parametrize(
    "width, expected",
    [(200, [200]), (640, [320, 640]), (1000, [320, 640, 960, 1000]), (4000, [320, 640, 960, 1280, 1600])],
)
def test_widths_never_exceed_the_source(width, expected):
    assert widths_for(width) == expected


def test_a_focal_crop_is_centred_on_the_point_as_far_as_it_fits():
    assert focal_crop(1200, 400, (3, 2), 0.5, 0.5) == (300, 0, 900, 400)
    assert focal_crop(1200, 400, (3, 2), 0.0, 0.5) == (0, 0, 600, 400)
    assert focal_crop(1200, 400, (3, 2), 1.0, 0.5) == (600, 0, 1200, 400)
    assert focal_crop(400, 1200, (1, 1), 0.5, 0.9) == (0, 800, 400, 1200)


def test_renditions_are_recorded_in_the_shape_pages_read_and_are_in_the_storage():
    image = library_image(picture_bytes(size=(2000, 1000)))

    renditions = Image.objects.get(pk=image.pk).renditions
    assert set(renditions) == {"landscape", "square", "inline", "social"}
    assert renditions["landscape"]["width"] == 1500 and renditions["landscape"]["height"] == 1000
    assert [width for width, _ in renditions["landscape"]["sources"]["webp"]] == [320, 640, 960, 1280, 1500]
    assert set(renditions["square"]["sources"]) == {"webp", "jpeg"}
    assert (renditions["square"]["width"], renditions["square"]["height"]) == (1000, 1000)
    assert (renditions["inline"]["width"], renditions["inline"]["height"]) == (1600, 800)
    assert renditions["social"]["type"] == "image/jpeg"
    for name in names(renditions):
        assert default_storage.exists(name), name
    for width, name in renditions["landscape"]["sources"]["webp"]:
        stored = opened(name)
        assert stored.format == "WEBP" and stored.width == width
    social = opened(renditions["social"]["name"])
    assert (social.format, social.size) == ("JPEG", (1200, 630))


def test_a_picture_with_transparency_falls_back_to_png():
    image = library_image(picture_bytes(mode="RGBA", color=(0, 0, 0, 0), fmt="PNG"), name="clear.png")

    sources = image.renditions["inline"]["sources"]
    assert set(sources) == {"webp", "png"}
    assert opened(sources["png"][0][1]).mode == "RGBA"
    assert opened(image.renditions["social"]["name"]).format == "JPEG"


def test_the_focal_point_decides_the_crop():
    image = library_image(two_halves(), name="halves.jpg", focal_x=0.1)
    first_names = names(image.renditions)
    assert is_red(colour_at_centre(image.renditions["landscape"]["sources"]["jpeg"][-1][1]))
    assert is_red(colour_at_centre(image.renditions["square"]["sources"]["webp"][-1][1]))

    image.focal_x = 0.9
    image.save()

    image.refresh_from_db()
    assert is_blue(colour_at_centre(image.renditions["landscape"]["sources"]["jpeg"][-1][1]))
    assert is_blue(colour_at_centre(image.renditions["square"]["sources"]["webp"][-1][1]))
    assert is_blue(colour_at_centre(image.renditions["social"]["name"]))
    # New names for the new crops (caches may keep a name for ever); the uncropped kind is unchanged.
    assert image.renditions["landscape"]["sources"]["jpeg"][-1][1] not in first_names
    assert image.renditions["inline"]["sources"]["jpeg"][-1][1] in first_names


def test_saving_without_changing_the_file_or_focal_point_makes_nothing_again():
    image = library_image()
    before = image.renditions
    default_storage.delete(image.renditions["square"]["sources"]["webp"][0][1])

    image = Image.objects.get(pk=image.pk)
    image.alt_text = "Another description"
    image.save()

    assert Image.objects.get(pk=image.pk).renditions == before
    assert not default_storage.exists(before["square"]["sources"]["webp"][0][1])


# The HTML pages get.

SIZES = "(min-width: 60rem) 40rem, 100vw"


def render(template: str, **context) -> str:
    return Template("{% load images %}" + template).render(Context(context))


def test_the_picture_tag_gives_srcset_sizes_width_height_and_alt():
    image = library_image(picture_bytes(size=(1000, 800)), alt_text="Flood water at the town hall")

    html = render('{% picture image "landscape" sizes=sizes loading="lazy" %}', image=image, sizes=SIZES)

    picture = parse_html(html).find("picture")
    source = picture.find("source")
    img = picture.find("img")
    landscape = image.renditions["landscape"]
    assert source.attrs["type"] == "image/webp"
    assert source.attrs["srcset"] == ", ".join(
        f"{default_storage.url(name)} {width}w" for width, name in landscape["sources"]["webp"]
    )
    assert source.attrs["srcset"].endswith(" 1000w") and "/media/renditions/" in source.attrs["srcset"]
    assert img.attrs["srcset"] == ", ".join(
        f"{default_storage.url(name)} {width}w" for width, name in landscape["sources"]["jpeg"]
    )
    assert (img.attrs["width"], img.attrs["height"]) == ("1000", "667")
    assert img.attrs["sizes"] == source.attrs["sizes"] == SIZES
    assert img.attrs["alt"] == "Flood water at the town hall"
    assert img.attrs["loading"] == "lazy" and img.attrs["decoding"] == "async"
    assert "fetchpriority" not in img.attrs
    # For browsers without srcset: the first width at least 960 wide.
    assert img.attrs["src"] == default_storage.url(dict(landscape["sources"]["jpeg"])[960])
    assert picture_html(image, "landscape", SIZES) == html


def test_a_decorative_picture_has_an_empty_alt_and_an_eager_one_loads_at_once():
    image = library_image(alt_text="Not read out", decorative=True)

    img = parse_html(picture_html(image, "square", "10rem", loading="eager")).find("img")

    assert img.attrs["alt"] == "" and img.attrs["loading"] == "eager"
    assert img.attrs["fetchpriority"] == "high"


def test_alt_text_and_sizes_are_escaped():
    image = library_image(alt_text='A "quoted" <b>word</b>')

    html = picture_html(image, "inline", '100vw"><script>')

    assert "<script>" not in html and "<b>" not in html
    assert parse_html(html).find("img").attrs["alt"] == 'A "quoted" <b>word</b>'


def test_no_image_or_no_renditions_renders_nothing():
    image = library_image()
    Image.objects.filter(pk=image.pk).update(renditions={})

    assert render('{% picture image "landscape" %}', image=None) == ""
    assert render('{% picture image "landscape" %}', image=Image.objects.get(pk=image.pk)) == ""
    assert social_image(None) is None


def test_the_figure_include_adds_caption_and_credit():
    image = library_image(caption="Flood water reached the steps.", credit="Jane Doe/AP")

    html = render(
        '{% include "images/includes/figure.html" with image=image kind="landscape" sizes="100vw" %}',
        image=image,
    )

    figure = parse_html(html).find("figure")
    assert figure.find("picture").find("img").attrs["loading"] == "lazy"
    assert figure.find("figcaption").text == "Flood water reached the steps. Jane Doe/AP"


def test_the_social_image_is_1200_by_630_jpeg_at_a_media_url():
    image = library_image()

    card = social_image(image)

    assert card == {
        "url": default_storage.url(image.renditions["social"]["name"]),
        "width": 1200,
        "height": 630,
        "type": "image/jpeg",
        "bytes": default_storage.size(image.renditions["social"]["name"]),
    }
    assert card["url"].startswith("/media/renditions/")
    assert card["bytes"] > 0


def test_rendering_asks_the_database_nothing(django_assert_num_queries):
    image = library_image()

    with django_assert_num_queries(0):
        picture_html(image, "landscape", SIZES)
        social_image(image)


def test_a_hostile_caption_and_credit_are_text_in_the_figure():
    image = library_image(caption='<script>alert(1)</script>"', credit="<img src=x onerror=alert(1)>")

    html = render('{% include "images/includes/figure.html" with image=image kind="square" %}', image=image)

    figure = parse_html(html).find("figure")
    assert not figure.find_all("script") and len(figure.find_all("img")) == 1
    assert figure.find("figcaption").text == '<script>alert(1)</script>" <img src=x onerror=alert(1)>'
