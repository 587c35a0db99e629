"""Articles: the form with its quotes and notes, the workflow steps, importing, revisions."""

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connections, models, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import pluralize
from django.urls import path, reverse
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles import revisions, workflow
from articles.models import Article, ArticleEvent, ArticleNote, Quote
from articles.search import SEARCH_CONFIG
from desk import presence
from desk.admin.pages import admin_page
from desk.admin.tags import TopicFilter
from desk.forms import ArticleAdminForm, QuoteFormSet, StoryImportForm, TransitionForm
from desk.story_import import report, save_import
from newsroom.paging import LargeTablePaginator


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
    fields = (("speaker", "order"), "text", "context")
    ordering = ("order",)
    formset = QuoteFormSet
    # A quote is a sentence or two: Django's ten-row boxes made a story's quotes pages long.
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 80})}}


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
class ArticleAdmin(VersionAdmin):
    form = ArticleAdminForm
    list_display = ("headline", "section", "state", "published_at", "updated_at")
    list_filter = ("status", "section", TopicFilter)
    list_select_related = ("section",)
    search_fields = ("headline", "body")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("headline",)}
    autocomplete_fields = ("section", "people", "authors")
    inlines = (QuoteInline, ArticleNoteInline, ArticleEventInline)
    actions = ("submit_for_review", "send_back", "publish_now", "withdraw")
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
        publication = ["section", "authors", "byline", "state", "published_at"]
        return (
            (None, {"fields": ("headline", "slug", "dek", "body", "opened_version")}),
            ("Publication", {"fields": publication}),
            ("People and topics", {"fields": ("people", "tags")}),
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = ["state"]
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
        ] + super().get_urls()

    def _change_url(self, article):
        return reverse("admin:articles_article_change", args=[article.pk])

    def transition_view(self, request, object_id, name):
        """One workflow step for one article: a confirmation form, then the step."""
        article = get_object_or_404(Article, pk=object_id)
        transition = workflow.TRANSITIONS.get(name)
        if transition is None or not self.has_view_permission(request, article):
            raise PermissionDenied
        form = TransitionForm(request.POST if request.method == "POST" else None, transition=transition)
        reason = workflow.refusal(request.user, article, transition)
        if request.method == "POST":
            if reason:
                # A forged or stale request: refused with the reason, nothing changed.
                self.message_user(request, reason, messages.ERROR)
                return self._transition_page(request, article, transition, form, reason, status=403)
            if form.is_valid():
                try:
                    workflow.apply(
                        request.user,
                        article,
                        name,
                        comment=form.cleaned_data["comment"],
                        when=form.cleaned_data.get("publish_at"),
                    )
                except workflow.WorkflowError as error:
                    form.add_error(None, str(error))
                else:
                    self.message_user(
                        request, f"“{article}”: {transition.action.label.lower()}.", messages.SUCCESS
                    )
                    return HttpResponseRedirect(self._change_url(article))
        return self._transition_page(request, article, transition, form, reason)

    def _transition_page(self, request, article, transition, form, reason, status=200):
        context = {
            "article": article,
            "transition": transition,
            "form": form,
            "refusal": reason,
            "problems": workflow.publication_problems(article) if transition.checks_publication else [],
            "media": self.media + form.media,
        }
        title = f"{transition.label}: {article}"
        return admin_page(self, request, "admin/articles/article/transition.html", title, context, status)

    # "Import from text": paste a story, preview what importing it does, create the draft.

    def import_view(self, request):
        """
        A story pasted as plain text, read as the import_article command reads a file:
        "Preview" shows the command's report, "Create draft" saves what the preview showed.
        """
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = StoryImportForm(request.POST if request.method == "POST" else None, user=request.user)
        preview = None
        if form.is_valid():
            if "_create" in request.POST and request.POST.get("previewed") == form.fingerprint():
                try:
                    article = self._create_imported_draft(request, form)
                except IntegrityError:
                    form.add_error(
                        None,
                        "Someone saved this story, or a person it names, at the same moment, so nothing "
                        "was created. Preview it again to see where things stand.",
                    )
                else:
                    self.message_user(request, self._imported_message(article, form.plan), messages.SUCCESS)
                    return HttpResponseRedirect(self._change_url(article))
            else:
                if "_create" in request.POST:
                    self.message_user(
                        request,
                        "The story, section or tags changed after the preview: check this preview, "
                        "then create the draft.",
                        messages.WARNING,
                    )
                preview = report(form.plan, "preview")
        people = preview["people"] if preview else []
        new_people = sum(person["status"] == "new" for person in people)
        context = {
            "form": form,
            "preview": preview,
            "previewed": form.fingerprint() if preview else "",
            "people_new": new_people,
            "people_matched": len(people) - new_people,
            "media": self.media + form.media,
        }
        return admin_page(
            self, request, "admin/articles/article/import_text.html", "Import from text", context
        )

    def _create_imported_draft(self, request, form) -> Article:
        with transaction.atomic(), reversion.create_revision():
            article = save_import(form.plan, form.cleaned_data["tags"], user=request.user)
            reversion.set_user(request.user)
            reversion.set_comment("Imported from text")
        self.log_addition(request, article, "Imported from text.")
        return article

    def _imported_message(self, article, plan) -> str:
        people, quotes = len(plan.people), len(plan.quotes)
        new = sum(person_plan.is_new for person_plan in plan.people)
        message = (
            f"Imported “{article}” as a draft: {people} {'person' if people == 1 else 'people'} "
            f"({new} new) and {quotes} quote{pluralize(quotes)}."
        )
        undecided = len(plan.story.undecided)
        if undecided:
            message += (
                f" {undecided} quote{pluralize(undecided)} had no clear speaker and "
                f"{pluralize(undecided, 'was,were')} not saved: add {pluralize(undecided, 'it,them')} "
                f"below if {pluralize(undecided, 'it belongs,they belong')}."
            )
        return message

    # Bulk workflow actions on the change list.

    def _bulk(self, request, queryset, name, comment=""):
        done, refused = 0, []
        for article in queryset:
            try:
                workflow.apply(request.user, article, name, comment=comment)
                done += 1
            except workflow.WorkflowError as error:
                refused.append(str(error))
        transition = workflow.TRANSITIONS[name]
        if done:
            self.message_user(
                request, f"{done} article(s): {transition.action.label.lower()}.", messages.SUCCESS
            )
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)

    @admin.action(description="Submit selected articles for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._bulk(request, queryset, "submit")

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_now(self, request, queryset):
        self._bulk(request, queryset, "publish")

    @admin.action(description="Withdraw selected articles", permissions=["publish"])
    def withdraw(self, request, queryset):
        self._bulk(request, queryset, "withdraw")

    @admin.action(description="Send selected articles back to their reporters", permissions=["publish"])
    def send_back(self, request, queryset):
        transition = workflow.TRANSITIONS["send_back"]
        form = TransitionForm(request.POST if "confirm" in request.POST else None, transition=transition)
        if form.is_valid():
            self._bulk(request, queryset, "send_back", comment=form.cleaned_data["comment"])
            return None
        # An intermediate page asks for the comment the reporters will read.
        return admin_page(
            self,
            request,
            "admin/articles/article/bulk_send_back.html",
            "Send articles back",
            {
                "articles": queryset,
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    # Revision history: a readable difference between revisions, and restoring one.

    def history_view(self, request, object_id, extra_context=None):
        article = get_object_or_404(Article, pk=object_id)
        versions = list(revisions.article_versions(article))
        context = {
            "versions": versions,
            "article": article,
            "can_restore": workflow.can_edit(request.user, article),
        }
        return super().history_view(request, object_id, {**context, **(extra_context or {})})

    def compare_view(self, request, object_id):
        """Two revisions side by side as one text: removed words struck out, added words marked."""
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        versions = revisions.article_versions(article)

        def snapshot(key):
            if key in (None, "", revisions.CURRENT):
                return None, revisions.snapshot_of_article(article)
            version = get_object_or_404(versions, pk=key)
            return version, revisions.snapshot_of_version(version)

        old_version, old = snapshot(request.GET.get("from"))
        new_version, new = snapshot(request.GET.get("to"))
        return admin_page(
            self,
            request,
            "admin/articles/article/compare.html",
            f"Compare revisions: {article}",
            {
                "article": article,
                "old_version": old_version,
                "new_version": new_version,
                "fields": revisions.compare(old, new),
            },
        )

    def recoverlist_view(self, request, extra_context=None):
        # Deleted articles are read and brought back only by those who may delete them: a
        # reporter holds "add", which is all django-reversion asks for.
        if not self.has_delete_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_delete_permission(request):
            raise PermissionDenied
        # Only the last version of a deleted article: any other version id would revert whatever
        # revision it belongs to.
        get_object_or_404(Version.objects.get_deleted(Article), pk=version_id)
        return super().recover_view(request, version_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """An earlier revision compared with the article as it is now, and a button to restore it."""
        article = get_object_or_404(Article, pk=object_id)
        version = get_object_or_404(revisions.article_versions(article), pk=version_id)
        can_restore = workflow.can_edit(request.user, article)
        if request.method == "POST":
            if not can_restore:
                raise PermissionDenied
            revisions.restore(request.user, article, version)
            self.message_user(
                request,
                f"Restored the revision of {version.revision.date_created:%Y-%m-%d %H:%M}.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(self._change_url(article))
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return admin_page(
            self,
            request,
            "admin/articles/article/revision.html",
            f"Revision of {version.revision.date_created:%Y-%m-%d %H:%M}: {article}",
            {
                "article": article,
                "version": version,
                "can_restore": can_restore,
                "fields": revisions.compare(
                    revisions.snapshot_of_article(article), revisions.snapshot_of_version(version)
                ),
            },
        )
