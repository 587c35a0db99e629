from django.contrib import admin
from django.db.models import Count

from articles.models import Article, Person, Quote, Section


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order", "article_count")
    list_editable = ("order",)
    ordering = ("order", "name")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, section):
        return section.article_count


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "affiliation", "quote_count", "article_count")
    ordering = ("name",)
    search_fields = ("name", "aliases", "role", "affiliation")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "slug", "role", "affiliation", "bio")}),
        ("Finding this person in copy", {"fields": ("aliases", "wikidata_id")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                quote_count=Count("quotes", distinct=True),
                article_count=Count("articles", distinct=True),
            )
        )

    @admin.display(description="quotes", ordering="quote_count")
    def quote_count(self, person):
        return person.quote_count

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, person):
        return person.article_count


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ("speaker",)
    fields = (("speaker", "order"), "text", "context")
    ordering = ("order",)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("headline", "section", "status", "published_at", "updated_at")
    list_filter = ("status", "section", "tags")
    list_select_related = ("section",)
    search_fields = ("headline", "body")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("headline",)}
    autocomplete_fields = ("section", "people")
    inlines = (QuoteInline,)
    fieldsets = (
        (None, {"fields": ("headline", "slug", "dek", "body")}),
        ("Publication", {"fields": ("section", "byline", "status", "published_at")}),
        ("People and topics", {"fields": ("people", "tags")}),
    )


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ("short_text", "speaker", "article", "order")
    list_select_related = ("speaker", "article")
    search_fields = ("text", "speaker__name", "article__headline")
    autocomplete_fields = ("article", "speaker")

    @admin.display(description="quote")
    def short_text(self, quote):
        return quote.short_text
