"""
What editors record about the people they quote, for the desk's own counting: staff-only, in an
app of its own that the reader site and the API never import (docs/architecture.md, "Sources").
Nothing here is inferred: a blank or missing record counts as unknown.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from articles.models import Person, Quote, Section

UNKNOWN = "unknown"


class Gender(models.TextChoices):
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    NON_BINARY = "non-binary", "Non-binary"
    ANOTHER = "another", "Another description"
    UNKNOWN = UNKNOWN, "Unknown"


class SourceType(models.TextChoices):
    OFFICIAL = "official", "Official or politician"
    EXPERT = "expert", "Expert"
    SPOKESPERSON = "spokesperson", "Spokesperson"
    BUSINESS = "business", "Business"
    CITIZEN = "citizen", "Citizen or witness"
    JOURNALIST = "journalist", "Journalist"
    OTHER = "other", "Other"
    UNKNOWN = UNKNOWN, "Unknown"


class Origin(models.TextChoices):
    OWN = "own", "Our own reporting"
    WIRE = "wire", "Wire copy"
    UNKNOWN = UNKNOWN, "Unknown"


# The measures a dashboard breaks quotes down by: the name of each, its categories, and the path
# from a quote to the recorded value (a missing record reads as NULL, counted as unknown).
DIMENSIONS = {
    "gender": (Gender, "speaker__source_profile__gender"),
    "source_type": (SourceType, "speaker__source_profile__source_type"),
    "origin": (Origin, "origin__origin"),
}


class SourceProfile(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="source_profile")
    gender = models.CharField(
        max_length=20,
        choices=Gender.choices,
        default=Gender.UNKNOWN,
        help_text="Only as the person describes themselves, or as an editor has recorded it. "
        "Never guess from a name or a picture: leave it unknown.",
    )

    class GenderBasis(models.TextChoices):
        SELF = "self", "Self-described"
        EDITOR = "editor", "Recorded by an editor"

    gender_basis = models.CharField(
        "gender recorded as",
        max_length=20,
        choices=GenderBasis.choices,
        blank=True,
        help_text="Whether the person told us, or an editor recorded it from what is on record.",
    )
    source_type = models.CharField(
        max_length=20,
        choices=SourceType.choices,
        default=SourceType.UNKNOWN,
        help_text="What the person speaks as in our stories.",
    )
    place = models.CharField(
        max_length=200, blank=True, help_text="Where the person lives or works, e.g. a city or region."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "source record"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gender="unknown") | ~models.Q(gender_basis=""),
                name="source_gender_has_basis",
                violation_error_message="Say whether the gender is self-described or recorded by an editor.",
            ),
        ]

    def __str__(self):
        return f"Source record of {self.person}"

    def clean(self):
        if self.gender == Gender.UNKNOWN:
            self.gender_basis = ""
        elif not self.gender_basis:
            raise ValidationError(
                {"gender_basis": "Say whether the person described themselves so or an editor recorded it."}
            )


class QuoteOrigin(models.Model):
    """Whether a quote is the newsroom's own reporting or came with wire copy."""

    quote = models.OneToOneField(Quote, on_delete=models.CASCADE, primary_key=True, related_name="origin")
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.UNKNOWN)

    class Meta:
        verbose_name = "quote origin"

    def __str__(self):
        return self.get_origin_display()


class Target(models.Model):
    """A share a desk sets itself, as 50:50 teams do: "at least 50 % women among our speakers"."""

    class Measure(models.TextChoices):
        SPEAKERS = "speakers", "Distinct people quoted"
        QUOTES = "quotes", "Quotes"

    class Dimension(models.TextChoices):
        GENDER = "gender", "Gender"
        SOURCE_TYPE = "source_type", "Source type"

    class Period(models.TextChoices):
        MONTH = "month", "Each calendar month"
        QUARTER = "quarter", "Each quarter"
        YEAR = "year", "Each year"

    name = models.CharField(max_length=200, help_text="e.g. “Half our contributors are women”.")
    measure = models.CharField(max_length=20, choices=Measure.choices, default=Measure.SPEAKERS)
    dimension = models.CharField(max_length=20, choices=Dimension.choices, default=Dimension.GENDER)
    category = models.CharField(
        max_length=20,
        help_text="A gender (woman, man, non-binary, another) or a source type (official, expert, "
        "spokesperson, business, citizen, journalist, other), as the dimension says.",
    )
    share = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(100)], help_text="At least this percentage."
    )
    period = models.CharField(max_length=20, choices=Period.choices, default=Period.MONTH)
    section = models.ForeignKey(
        Section,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="source_targets",
        help_text="Leave empty for the whole newsroom.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(share__gte=1, share__lte=100), name="target_share_is_a_percentage"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        choices = DIMENSIONS[self.dimension][0] if self.dimension in DIMENSIONS else None
        if choices is None:
            return
        if self.category not in choices.values or self.category == UNKNOWN:
            names = ", ".join(value for value in choices.values if value != UNKNOWN)
            raise ValidationError({"category": f"Choose one of: {names}."})
