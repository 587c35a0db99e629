"""Quotes: who said what, read-only (a quote changes in its article's form)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html

from articles.models import Quote
from newsroom.paging import LargeTablePaginator


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    """
    Every quote, to find who said what: read-only. A quote is part of its article, so it is
    added, changed and deleted only in the article's form, under the article's rules (a reporter
    only on their own drafts), in its revision history, and checked against concurrent saves.
    """

    list_display = ("short_text", "speaker", "article_link", "article_state", "order")
    list_select_related = ("speaker", "article")
    show_full_result_count = False
    paginator = LargeTablePaginator
    search_fields = ("text", "speaker__name", "article__headline")
    fields = ("article_link", "speaker", "text", "context", "order")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Asked of each quote when its article is deleted, which takes its quotes with it. A quote
        # on its own is deleted in its article's form: delete_view refuses, and without a row
        # (obj=None) the change list offers no bulk delete.
        return obj is not None and request.user.has_perm("articles.delete_article")

    def delete_view(self, request, object_id, extra_context=None):
        raise PermissionDenied

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "show_delete": False}
        )

    @admin.display(description="quote")
    def short_text(self, quote):
        return quote.short_text

    @admin.display(description="article")
    def article_link(self, quote):
        url = reverse("admin:articles_article_change", args=[quote.article_id])
        return format_html('<a href="{}#quotes-group">{}</a>', url, quote.article.headline)

    @admin.display(description="state")
    def article_state(self, quote):
        return quote.article.state_label
