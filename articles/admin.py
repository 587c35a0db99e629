from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion.admin import VersionAdmin

from articles import presence, revisions, workflow
from articles.forms import ArticleAdminForm, TransitionForm
from articles.models import Article, ArticleEvent, ArticleNote, Author, Person, Quote, Section


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
    list_filter = ("status", "section", "tags")
    list_select_related = ("section",)
    search_fields = ("headline", "body")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("headline",)}
    autocomplete_fields = ("section", "people", "authors")
    inlines = (QuoteInline, ArticleNoteInline, ArticleEventInline)
    actions = ("submit_for_review", "send_back", "publish_now", "withdraw")
    object_history_template = "admin/articles/article/object_history.html"

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
        author = Author.objects.filter(user=request.user).first()
        if not change and author and not form.instance.authors.exists():
            form.instance.authors.add(author)

    # The change form: workflow buttons, what publication still needs, who else is editing.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if article is not None:
            if request.method == "GET":
                presence.note_open(article.pk, request.user)
            extra_context.update(
                {
                    "article": article,
                    "others_editing": presence.others_editing(article.pk, request.user),
                    "transitions": workflow.available(request.user, article),
                    "publication_problems": workflow.publication_problems(article),
                }
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
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
                return TemplateResponse(
                    request,
                    "admin/articles/article/transition.html",
                    self._transition_context(request, article, transition, form, reason),
                    status=403,
                )
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
        context = self._transition_context(request, article, transition, form, reason)
        return TemplateResponse(request, "admin/articles/article/transition.html", context)

    def _transition_context(self, request, article, transition, form, reason):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{transition.label}: {article}",
            "article": article,
            "transition": transition,
            "form": form,
            "refusal": reason,
            "problems": workflow.publication_problems(article) if transition.checks_publication else [],
            "media": self.media + form.media,
        }

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
        return TemplateResponse(
            request,
            "admin/articles/article/bulk_send_back.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Send articles back",
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
        return TemplateResponse(
            request,
            "admin/articles/article/compare.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": f"Compare revisions: {article}",
                "article": article,
                "old_version": old_version,
                "new_version": new_version,
                "fields": revisions.compare(old, new),
            },
        )

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
        return TemplateResponse(
            request,
            "admin/articles/article/revision.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": f"Revision of {version.revision.date_created:%Y-%m-%d %H:%M}: {article}",
                "article": article,
                "version": version,
                "can_restore": can_restore,
                "fields": revisions.compare(
                    revisions.snapshot_of_article(article), revisions.snapshot_of_version(version)
                ),
            },
        )


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ("display_name", "user", "slug")
    search_fields = ("display_name", "user__username")
    prepopulated_fields = {"slug": ("display_name",)}
    autocomplete_fields = ("user",)


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ("short_text", "speaker", "article", "order")
    list_select_related = ("speaker", "article")
    search_fields = ("text", "speaker__name", "article__headline")
    autocomplete_fields = ("article", "speaker")

    @admin.display(description="quote")
    def short_text(self, quote):
        return quote.short_text
