"""The image library: upload (checked by images.uploads), find, describe, set the focal point, reuse."""

import logging

from django.contrib import admin, messages
from django.core.files.storage import default_storage
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from images.forms import ImageForm
from images.models import Image
from images.storage import STORAGE_ERRORS, UNAVAILABLE

logger = logging.getLogger(__name__)

FOCAL_HELP = (
    "Click the picture where its subject is: crops keep that point in view. Without a mouse, "
    "type the numbers below (0 to 1 from the left and from the top). Save to see the new crops."
)


def _rendition_url(image: Image, kind: str, fmt: str = "jpeg", at_least: int = 0) -> str:
    """The URL of the first rendition of ``kind`` at least ``at_least`` wide, from the JSON alone."""
    entry = (image.renditions or {}).get(kind)
    if not entry:
        return ""
    if kind == "social":
        return default_storage.url(entry["name"])
    pairs = entry["sources"].get(fmt) or entry["sources"].get("png") or []
    name = next((name for width, name in pairs if width >= at_least), pairs[-1][1] if pairs else "")
    return default_storage.url(name) if name else ""


class AltTextFilter(admin.SimpleListFilter):
    title = "alt text"
    parameter_name = "alt"

    def lookups(self, request, model_admin):
        return (("missing", "Missing (cannot be published)"), ("written", "Written or decorative"))

    def queryset(self, request, queryset):
        missing = queryset.filter(alt_text="", decorative=False)
        if self.value() == "missing":
            return missing
        if self.value() == "written":
            return queryset.exclude(pk__in=missing.values("pk"))
        return queryset


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ("thumbnail", "__str__", "alt_text_state", "credit", "dimensions", "uploaded_at")
    list_display_links = ("thumbnail", "__str__")
    list_filter = (AltTextFilter, "decorative", "uploaded_at")
    search_fields = ("title", "alt_text", "caption", "credit")
    date_hierarchy = "uploaded_at"
    readonly_fields = ("focal_picker", "crops", "dimensions", "same_pictures", "uses")
    list_per_page = 50

    class Media:
        css = {"all": ("desk/images.css",)}
        js = ("desk/focal-point.js",)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ("file", "title")}),
            ("For readers", {"fields": ("alt_text", "decorative", "caption", "credit")}),
        ]
        if obj is not None:
            fieldsets[0][1]["fields"] = ("file", "dimensions", "title", "same_pictures", "uses")
            fieldsets.append(("Focal point", {"fields": ("focal_picker", ("focal_x", "focal_y"), "crops")}))
        return fieldsets

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The admin saves inside a transaction: a storage that fails midway leaves no row behind,
        # and the editor is told what happened instead of getting an error page.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except STORAGE_ERRORS as error:
            logger.exception("Media storage failed while saving an image")
            self.message_user(request, UNAVAILABLE.format(error=type(error).__name__), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_search_results(self, request, queryset, search_term):
        # Every word in one of the fields, as the library's own search (ImageQuerySet.search).
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        others = list(obj.same_picture()[:3])
        if others and form.prepared is not None:
            links = format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                ((reverse("admin:images_image_change", args=[other.pk]), str(other)) for other in others),
            )
            self.message_user(
                request,
                format_html(
                    "The same picture is already in the library: {}. Reuse it, or delete this copy.", links
                ),
                messages.WARNING,
            )

    # Columns and read-only parts, all from the row itself: no storage call, no query per row.

    @admin.display(description="picture")
    def thumbnail(self, image):
        url = _rendition_url(image, "square")
        if not url:
            return "—"
        return format_html('<img src="{}" width="64" height="64" alt="" class="image-thumbnail">', url)

    @admin.display(description="alt text", ordering="alt_text")
    def alt_text_state(self, image):
        if image.decorative:
            return "decorative"
        if not image.alt_text:
            return format_html('<strong class="errornote-inline">{}</strong>', "missing")
        return Truncator(image.alt_text).chars(80)

    @admin.display(description="size")
    def dimensions(self, image):
        return f"{image.width} × {image.height} px" if image.width else "—"

    @admin.display(description="same picture")
    def same_pictures(self, image):
        others = list(image.same_picture()[:5])
        if not others:
            return "Not in the library twice."
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:images_image_change", args=[other.pk]), str(other)) for other in others),
        )

    @admin.display(description="used by")
    def uses(self, image):
        articles = [
            (reverse("admin:articles_article_change", args=[a.pk]), a) for a in image.lead_of.all()[:10]
        ]
        people = [
            (reverse("admin:articles_person_change", args=[p.pk]), p) for p in image.portrait_of.all()[:10]
        ]
        if not articles and not people:
            return "Nothing yet."
        return format_html_join(", ", '<a href="{}">{}</a>', articles + people)

    @admin.display(description="picture")
    def focal_picker(self, image):
        entry = (image.renditions or {}).get("inline")
        url = _rendition_url(image, "inline", at_least=640)
        if not entry or not url:
            return "The picture's renditions are not made yet: save again, or run make_renditions."
        return format_html(
            '<div class="focal-picker" data-focal-picker>'
            '<img src="{}" width="{}" height="{}" alt="{}">'
            '<span class="focal-marker" style="left: {}%; top: {}%" aria-hidden="true"></span></div>'
            '<p class="help">{}</p>',
            url,
            entry["width"],
            entry["height"],
            "The picture: click where its subject is",
            round(image.focal_x * 100, 2),
            round(image.focal_y * 100, 2),
            FOCAL_HELP,
        )

    @admin.display(description="crops")
    def crops(self, image):
        shown = [
            ("landscape", "3:2, on pages", _rendition_url(image, "landscape", at_least=320)),
            ("square", "1:1, teasers and portraits", _rendition_url(image, "square", at_least=320)),
            ("social", "1200 × 630, link previews", _rendition_url(image, "social")),
        ]
        return format_html(
            '<div class="image-crops">{}</div>',
            format_html_join(
                "",
                '<figure class="image-crop image-crop-{}"><img src="{}" alt="">'
                "<figcaption>{}</figcaption></figure>",
                ((kind, url, label) for kind, label, url in shown if url),
            ),
        )


class LeadImagePreview:
    """For the article admin: the lead image as saved, with what publication needs of it."""

    @admin.display(description="lead image as saved")
    def lead_image_preview(self, article):
        image = article.lead_image if article.lead_image_id else None
        url = _rendition_url(image, "landscape") if image is not None else ""
        if not url:
            return "None yet: choose one above, or upload it to the image library first."
        note = (
            "Decorative: screen readers skip it."
            if image.decorative
            else image.alt_text or "No alt text: write it in the image library, or publication is refused."
        )
        return format_html(
            '<a href="{}"><img src="{}" width="160" alt="" class="image-thumbnail"></a>'
            '<p class="help">{}</p>',
            reverse("admin:images_image_change", args=[image.pk]),
            url,
            note,
        )
