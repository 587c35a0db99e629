"""The article admin's workflow steps: one article's, and the change list's bulk actions."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404

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
