"""Sections, people and authors: the records stories are filed under and name."""

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from articles.models import Article, Author, Person, Quote, Section
from desk.admin.sources import SourceProfileInline


def _count_of(model, field: str) -> Coalesce:
    """
    How many ``model`` rows point at the listed row, as a subquery counted for each row shown:
    a join with GROUP BY over every quote and article of the archive (worse, two joins at once)
    would cost as much as the archive is big.
    """
    rows = model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field)
    counted = rows.annotate(count=Count("*")).values("count")  # COUNT(*): read off the index alone
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order", "article_count")
    list_editable = ("order",)
    ordering = ("order", "name")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=_count_of(Article, "section"))

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, section):
        return section.article_count


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "affiliation", "quote_count", "article_count")
    ordering = ("name",)
    show_full_result_count = False
    search_fields = ("name", "aliases", "role", "affiliation")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "slug", "role", "affiliation", "bio", "portrait")}),
        ("Finding this person in copy", {"fields": ("aliases", "wikidata_id")}),
    )
    autocomplete_fields = ("portrait",)
    inlines = (SourceProfileInline,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                quote_count=_count_of(Quote, "speaker"),
                article_count=_count_of(Article.people.through, "person"),
            )
        )

    @admin.display(description="quotes", ordering="quote_count")
    def quote_count(self, person):
        return person.quote_count

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, person):
        return person.article_count


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ("display_name", "user", "slug")
    search_fields = ("display_name", "user__username")
    prepopulated_fields = {"slug": ("display_name",)}
    autocomplete_fields = ("user",)
