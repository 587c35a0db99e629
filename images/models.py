from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from images import renditions as rendition_files

FOCAL_RANGE = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class ImageQuerySet(models.QuerySet):
    def search(self, terms: str):
        """Library images whose title, alt text, caption or credit hold every word of ``terms``."""
        query = self
        for word in terms.split():
            query = query.filter(
                Q(title__icontains=word)
                | Q(alt_text__icontains=word)
                | Q(caption__icontains=word)
                | Q(credit__icontains=word)
            )
        return query


class Image(models.Model):
    """A picture in the newsroom's library: uploaded once, used as a lead, a portrait or in a body."""

    file = models.ImageField(upload_to="images/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    title = models.CharField(
        max_length=200, blank=True, help_text="For finding it in the library; readers never see it."
    )
    alt_text = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it. Required to publish, "
        "unless the picture is decorative.",
    )
    decorative = models.BooleanField(
        default=False, help_text="Adds nothing a reader would miss: screen readers skip it."
    )
    caption = models.TextField(blank=True, help_text="Printed under the picture.")
    credit = models.CharField(
        max_length=200, blank=True, help_text="Photographer or agency and copyright, e.g. “Jane Doe/AP”."
    )
    focal_x = models.FloatField(
        default=0.5,
        validators=FOCAL_RANGE,
        help_text="Where the subject is, from the left (0) to the right (1).",
    )
    focal_y = models.FloatField(
        default=0.5,
        validators=FOCAL_RANGE,
        help_text="Where the subject is, from the top (0) to the bottom (1).",
    )
    # The sizes and formats made from the file, by kind of crop: pages build srcset from this
    # without asking the storage anything (images.renditions).
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.title or self.alt_text or self.file.name.rsplit("/", 1)[-1]

    def save(self, *args, **kwargs):
        """
        Makes the renditions when the file or the focal point changed, then saves: the row is never
        saved with renditions of another picture or crop, so pages that hear of the change (the
        post_save signal) already read the new ones.
        """
        if self.file and self.renditions_are_stale():
            self.renditions, _ = rendition_files.make(self)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "renditions"}
        super().save(*args, **kwargs)
        self._remember_saved()

    @classmethod
    def from_db(cls, db, field_names, values):
        image = super().from_db(db, field_names, values)
        image._remember_saved()
        return image

    def _remember_saved(self):
        self._saved = (self.file.name, self.focal_x, self.focal_y) if "file" in self.__dict__ else None

    def renditions_are_stale(self) -> bool:
        """No renditions yet, or made from another file or focal point than the one being saved."""
        saved = getattr(self, "_saved", None)
        return not self.renditions or saved != (self.file.name, self.focal_x, self.focal_y)

    def same_picture(self):
        """Other library images made from the same uploaded file."""
        if not self.sha256:
            return type(self).objects.none()
        return type(self).objects.filter(sha256=self.sha256).exclude(pk=self.pk)

    @property
    def publishable(self) -> bool:
        """Readers who cannot see it are told what it shows, or it is marked as adding nothing."""
        return self.decorative or bool(self.alt_text.strip())
