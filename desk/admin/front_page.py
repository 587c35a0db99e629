"""
The front page: editors choose the lead story and the order of the top stories. Everything not
placed here falls back to newest first on the public front page.
"""

from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Max
from django.template.defaultfilters import pluralize
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.models import Article, Placement

# The permission that makes an editor: whoever may publish decides what leads the paper.
EDITORS = "articles.publish_article"


class EditorsChoose:
    """Only editors place, move and take stories off the front page; other staff may look."""

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm(EDITORS)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(EDITORS)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm(EDITORS)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(EDITORS) or request.user.has_perm("articles.view_article")


class PublishedArticleSearch(AutocompleteJsonView):
    """The article box's choices: the articles' own search, among published ones (scheduled too)."""

    def get_queryset(self):
        return super().get_queryset().filter(status=Article.Status.PUBLISHED)


class PublishedArticleSelect(AutocompleteSelect):
    url_name = "%s:articles_placement_published_articles"


@admin.register(Placement)
class FrontPageAdmin(EditorsChoose, admin.ModelAdmin):
    list_display = ("article", "position", "expires_at", "showing", "placed_at")
    list_editable = ("position", "expires_at")
    list_display_links = ("article",)
    list_select_related = ("article",)
    ordering = ("position", "-placed_at")
    fields = ("article", "position", "expires_at")
    actions = ("take_off_front_page",)

    @admin.display(description="on the page now", boolean=True)
    def showing(self, placement):
        """Whether readers see it: not ended, and its article public."""
        unexpired = placement.expires_at is None or placement.expires_at > timezone.now()
        return unexpired and placement.article.is_public

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": "Front page: the lead (1) and the top stories, in order",
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        search = self.admin_site.admin_view(PublishedArticleSearch.as_view(admin_site=self.admin_site))
        return [
            path("published-articles/", search, name="articles_placement_published_articles"),
            *super().get_urls(),
        ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            # Drafts and withdrawn stories cannot lead the paper: not offered, and refused if sent.
            kwargs["queryset"] = Article.objects.filter(status=Article.Status.PUBLISHED)
            kwargs["widget"] = PublishedArticleSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(description="Take the selected stories off the front page", permissions=["delete"])
    def take_off_front_page(self, request, queryset):
        count, _ = queryset.delete()
        self.message_user(
            request, f"{count} stor{pluralize(count, 'y,ies')} back among the newest.", messages.SUCCESS
        )


@admin.action(description="Put the selected stories on the front page", permissions=["publish"])
def put_on_front_page(modeladmin, request, queryset):
    """
    An action of the articles' list: the selected published stories go on the front page after
    those placed already, newest first; editors then order them in the front page's list.
    """
    placed = set(Placement.objects.values_list("article_id", flat=True))
    stories = [article for article in queryset.order_by("-published_at") if article.pk not in placed]
    publishable = [article for article in stories if article.status == Article.Status.PUBLISHED]
    last = Placement.objects.aggregate(last=Max("position"))["last"] or 0
    for position, article in enumerate(publishable, start=last + 1):
        Placement.objects.create(article=article, position=position)
    url = reverse("admin:articles_placement_changelist")
    modeladmin.message_user(
        request,
        format_html(
            '{} stor{} put on the <a href="{}">front page</a>.',
            len(publishable),
            pluralize(len(publishable), "y,ies"),
            url,
        ),
        messages.SUCCESS,
    )
    if len(publishable) < len(stories):
        modeladmin.message_user(
            request,
            "Only published stories go on the front page: publish the others first.",
            messages.WARNING,
        )
