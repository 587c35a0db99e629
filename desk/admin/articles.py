"""Articles: the form with its quotes and notes, the workflow steps, importing, revisions."""

from django import forms
from django.contrib import admin
from django.contrib.postgres.search import SearchQuery
from django.db import connections, models
from django.urls import path, reverse
from reversion.admin import VersionAdmin

from articles import workflow
from articles.models import Article, ArticleEvent, ArticleNote, Quote
from articles.search import SEARCH_CONFIG
from copydesk.find_quotes import FindQuotes
from copydesk.import_page import ImportFromText
from desk import presence
from desk.admin.body_editor import BodyEditor
from desk.admin.front_page import put_on_front_page
from desk.admin.history import RevisionHistory
from desk.admin.images import LeadImagePreview
from desk.admin.sources import story_panel
from desk.admin.tags import TopicFilter
from desk.admin.workflow_steps import WorkflowSteps
from desk.forms import ArticleAdminForm, QuoteFormSet
from newsroom.paging import LargeTablePaginator
from sources.forms import QuoteSourceForm


class ParentEditableMixin:
    """An inline is editable only where its article is (reporters: their own drafts)."""

    def _article_editable(self, request, obj):
        return obj is None or workflow.can_edit(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._article_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._article_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._article_editable(request, obj)


class QuoteInline(ParentEditableMixin, admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ("speaker",)
    # "origin" (own reporting or wire copy) is kept in sources, by QuoteSourceForm.
    fields = (("speaker", "order"), "text", "context", "origin")
    ordering = ("order",)
    form = QuoteSourceForm
    formset = QuoteFormSet
    # A quote is a sentence or two: Django's ten-row boxes made a story's quotes pages long.
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 80})}}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("origin")


class ArticleNoteInline(ParentEditableMixin, admin.TabularInline):
    model = ArticleNote
    extra = 0
    fields = ("kind", "noted_at", "text")


class ArticleEventInline(admin.TabularInline):
    model = ArticleEvent
    extra = 0
    fields = ("created_at", "action", "user", "comment")
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "workflow history"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(
    BodyEditor, LeadImagePreview, WorkflowSteps, ImportFromText, FindQuotes, RevisionHistory, VersionAdmin
):
    form = ArticleAdminForm
    list_display = ("headline", "section", "state", "published_at", "updated_at")
    list_filter = ("status", "section", TopicFilter)
    list_select_related = ("section",)
    search_fields = ("headline", "body")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("headline",)}
    autocomplete_fields = ("section", "people", "authors", "lead_image")
    inlines = (QuoteInline, ArticleNoteInline, ArticleEventInline)
    actions = ("submit_for_review", "send_back", "publish_now", "withdraw", put_on_front_page)
    object_history_template = "admin/articles/article/object_history.html"
    change_list_template = "admin/articles/article/change_list.html"  # adds "Import from text"
    # At 100,000 articles: no second COUNT(*) for "of N total", and no first one when unfiltered.
    show_full_result_count = False
    paginator = LargeTablePaginator

    def get_search_results(self, request, queryset, search_term):
        """
        On PostgreSQL, the articles' stored full-text documents (GIN-indexed; drafts have them
        too) instead of LIKE over every body, which reads the whole table; elsewhere Django's own.
        """
        if not search_term.strip() or connections[queryset.db].vendor != "postgresql":
            return super().get_search_results(request, queryset, search_term)
        query = SearchQuery(search_term, search_type="websearch", config=SEARCH_CONFIG)
        return queryset.filter(search_document__document=query), False

    def get_fieldsets(self, request, obj=None):
        story = ["headline", "slug", "dek", "lead_image", "lead_image_preview", "body", "opened_version"]
        publication = ["section", "authors", "byline", "state", "published_at"]
        return (
            (None, {"fields": story}),
            ("Publication", {"fields": publication}),
            ("People and topics", {"fields": ("people", "tags")}),
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = ["state", "lead_image_preview"]
        if not workflow.is_editor(request.user):
            readonly.append("published_at")
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # Status only moves through the workflow; only editors set the publication time.
        forbidden = {"status"} if workflow.is_editor(request.user) else {"status", "published_at"}
        return type(form.__name__, (form,), {"forbidden_fields": frozenset(forbidden)})

    @admin.display(description="state", ordering="status")
    def state(self, article):
        return article.state_label

    # Permissions: the rules live in articles.workflow and hold for every request.

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or workflow.can_edit(request.user, obj)
        )

    def has_publish_permission(self, request):
        return workflow.is_editor(request.user)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        else:
            obj.edit_version += 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.add_speakers_to_people()
        if not change:
            form.instance.credit_writer(request.user)

    # The change form: workflow buttons, what publication still needs, who else is editing.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if article is not None:
            extra_context.update(
                {
                    "article": article,
                    # None when the cache failed: the form says it cannot tell.
                    "others_editing": presence.others_editing(
                        article.pk, request.user, opening=request.method == "GET"
                    ),
                    "transitions": workflow.available(request.user, article),
                    "publication_problems": workflow.publication_problems(article),
                    # Who the story quotes, for balancing it before publication (staff only).
                    "story_sources": story_panel(request, article),
                }
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="{}_{}_import".format(*info),
            ),
            path(
                "<path:object_id>/workflow/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name="{}_{}_transition".format(*info),
            ),
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="{}_{}_compare".format(*info),
            ),
            *self.body_editor_urls(),
            *self.find_quotes_urls(),
        ] + super().get_urls()

    def _change_url(self, article):
        return reverse("admin:articles_article_change", args=[article.pk])
