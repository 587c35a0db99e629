"""The focal-point picker in a real browser: a click on the picture sets the point the crops follow."""

import pytest

from images.models import Image
from tests.images.pictures import library_image, two_halves

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_click_on_the_picture_sets_the_focal_point_and_saving_moves_the_crops(
    chromium, live_server, make_staff
):
    make_staff("edna", "Editor")
    image = library_image(two_halves(), focal_x=0.5, focal_y=0.5)
    landscape_before = image.renditions["landscape"]["sources"]["webp"][-1][1]
    page = chromium.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "edna")
    page.fill("#id_password", "secret-pw-1")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/images/image/{image.pk}/change/")
    picture = page.locator(".focal-picker img")
    picture.scroll_into_view_if_needed()
    box = picture.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.25)

    assert float(page.input_value("#id_focal_x")) == pytest.approx(0.8, abs=0.01)
    assert float(page.input_value("#id_focal_y")) == pytest.approx(0.25, abs=0.01)
    marker = page.locator(".focal-marker")
    left, top = (float(marker.evaluate(f"m => m.style.{side}").rstrip("%")) for side in ("left", "top"))
    assert (left, top) == (pytest.approx(80, abs=1), pytest.approx(25, abs=1))

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    image = Image.objects.get(pk=image.pk)
    assert (image.focal_x, image.focal_y) == (pytest.approx(0.8, abs=0.01), pytest.approx(0.25, abs=0.01))
    assert image.renditions["landscape"]["sources"]["webp"][-1][1] != landscape_before
    # The script is the page's only one of its own, and broke nothing (CSP: script-src 'self').
    assert not [error for error in errors if "Content Security Policy" in error or "focal" in error]
