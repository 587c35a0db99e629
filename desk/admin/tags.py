"""Topics (tags): a filter for the articles list, and the tags list with its merge."""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.db.models import Count
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.html import format_html
from taggit.models import Tag

from articles.models import Article
from articles.topics import merge_tags
from desk.admin.pages import admin_page


class TopicFilter(admin.SimpleListFilter):
    """
    The topics on the most of the latest articles, not every tag there is: a newsroom has
    thousands. Any other is one click away in the tags' list (its article count links here).
    """

    title = "topic"
    parameter_name = "tag"
    shown = 15
    latest_articles = 1000

    def lookups(self, request, model_admin):
        latest = Article.objects.order_by("-pk").values("pk")[: self.latest_articles]
        tags = list(
            Tag.objects.filter(articles_taggedarticle_items__content_object__in=latest)
            .annotate(used=Count("articles_taggedarticle_items"))
            .order_by("-used", "name")[: self.shown]
        )
        chosen = self.value()
        if chosen and all(tag.slug != chosen for tag in tags):
            tags += Tag.objects.filter(slug=chosen)
        return [(tag.slug, tag.name) for tag in sorted(tags, key=lambda tag: tag.name.casefold())]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__slug=self.value())
        return queryset


# Tags. taggit's own admin counts and merges its generic tagged items, which articles do not use
# (they have TaggedArticle): this one counts articles and merges them.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "article_count")
    ordering = ("name",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    actions = ("merge",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles_taggedarticle_items"))

    @admin.display(description="articles", ordering="article_total")
    def article_count(self, tag):
        query = urlencode({TopicFilter.parameter_name: tag.slug})
        url = f"{reverse('admin:articles_article_changelist')}?{query}"
        return format_html('<a href="{}">{}</a>', url, tag.article_total)

    @admin.action(description="Merge the selected tags into one", permissions=["delete"])
    def merge(self, request, queryset):
        tags = sorted(queryset, key=lambda tag: (-tag.article_total, tag.name.casefold()))
        if len(tags) < 2:
            self.message_user(request, "Select two tags or more to merge them.", messages.WARNING)
            return None
        if "keep" in request.POST:
            keep = next((tag for tag in tags if str(tag.pk) == request.POST["keep"]), None)
            if keep is None:
                self.message_user(request, "Choose which of the selected tags to keep.", messages.ERROR)
                return None
            others = [tag for tag in tags if tag != keep]
            carried = merge_tags(keep, others)
            names = ", ".join(f"“{tag}”" for tag in others)
            self.message_user(
                request,
                f"Merged {names} into “{keep}”: it is on {carried} article{pluralize(carried)}.",
                messages.SUCCESS,
            )
            return None
        return admin_page(
            self,
            request,
            "admin/taggit/tag/merge.html",
            "Merge tags",
            {
                "tags": tags,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
