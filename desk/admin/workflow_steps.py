"""
The article admin's workflow steps: one article's, "Save and publish" in its form, and the
change list's bulk actions.
"""

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import localize

from articles import workflow
from articles.models import Article
from desk.admin.pages import admin_page
from desk.forms import TransitionForm


class WorkflowSteps:
    """Each step for one article (a confirmation page, then the step) and for many at once."""

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

    # "Save and publish" beside Save: the form is saved, then published (or scheduled, when its
    # publication time is still to come) through the same step, checks and record as the button's.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        publishing = request.method == "POST" and "_publish" in request.POST
        if publishing and not self.has_publish_permission(request):
            # Refused before anything is saved: the button is not on a reporter's form.
            raise PermissionDenied
        article = self.get_object(request, unquote(object_id)) if object_id else None
        may_publish = self.has_publish_permission(request) and (
            article is None
            or not workflow.refusal(request.user, article, workflow.TRANSITIONS["publish"])
            or not workflow.refusal(request.user, article, workflow.TRANSITIONS["schedule"])
        )
        extra_context = {**(extra_context or {}), "can_save_and_publish": may_publish}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        if "_publish" in request.POST:
            return self._publish_saved(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_publish" in request.POST:
            return self._publish_saved(request, obj)
        return super().response_change(request, obj)

    def _publish_saved(self, request, article):
        when = article.published_at
        name = "schedule" if when and when > timezone.now() else "publish"
        try:
            article = workflow.apply(request.user, article, name, when=when)
        except workflow.WorkflowError as error:
            # The edit is saved all the same: the editor fixes what the checks name and publishes.
            self.message_user(request, f"Saved, but not published: {error}", messages.ERROR)
        else:
            if reversion.is_active():
                reversion.set_comment(f"Saved and {workflow.TRANSITIONS[name].action.label.lower()}")
            done = "published" if name == "publish" else f"scheduled for {localize(timezone.localtime(when))}"
            self.message_user(request, f"“{article}” was saved and {done}.", messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(article))

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
