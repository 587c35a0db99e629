"""
Keys to the content API for preview apps (api.models): editors issue them, see each once, and
revoke them. A key is read-only by design: the API has no endpoint that writes.
"""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.html import format_html

from api.models import ApiKey

# Whoever may publish decides who may read unpublished stories.
EDITORS = "articles.publish_article"


class ApiKeyForm(forms.ModelForm):
    revoke = forms.BooleanField(
        required=False,
        label="Revoke this key",
        help_text="Every request with it is refused from now on. A revoked key cannot be restored.",
    )

    class Meta:
        model = ApiKey
        fields = ("name",)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ("name", "prefix_shown", "created_by", "created_at", "last_used_at", "is_active")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "prefix")
    readonly_fields = ("prefix_shown", "created_by", "created_at", "last_used_at", "revoked_at")
    actions = ("revoke_keys",)

    def has_module_permission(self, request):
        return request.user.has_perm(EDITORS)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(EDITORS)

    def has_add_permission(self, request):
        return request.user.has_perm(EDITORS)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(EDITORS) and (obj is None or not obj.revoked)

    def has_delete_permission(self, request, obj=None):
        # Revoked, not deleted: who had a key, and until when, stays on record.
        return False

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("name",)
        return ("name", "prefix_shown", "created_by", "created_at", "last_used_at", "revoked_at", "revoke")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")

    @admin.display(description="key starts")
    def prefix_shown(self, key):
        return format_html("<code>{}…</code>", key.prefix)

    @admin.display(description="active", boolean=True)
    def is_active(self, key):
        return not key.revoked

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            if form.cleaned_data.get("revoke"):
                obj.revoke()
            return
        request._issued_key = obj.new_key()
        obj.created_by = request.user
        obj.save()

    def response_add(self, request, obj, post_url_continue=None):
        """The key, this once: it is stored only as a digest, so nobody can show it again."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "key": obj,
            "secret": request._issued_key,
            "title": "Copy the new API key now",
        }
        return TemplateResponse(request, "admin/api/apikey/issued.html", context)

    @admin.action(description="Revoke the selected keys")
    def revoke_keys(self, request, queryset):
        for key in queryset.filter(revoked_at__isnull=True):
            key.revoke()
        self.message_user(
            request, "Revoked. Requests with those keys are refused from now on.", messages.SUCCESS
        )
