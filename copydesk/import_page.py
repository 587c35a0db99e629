"""The article admin's *Import from text*: paste a story, preview it, change the preview, create the draft."""

import reversion
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.models import Article
from copydesk.forms import ImportChoicesForm, StoryImportForm
from copydesk.story_import import ImportPlan, report, save_import


class ImportFromText:
    """A story pasted as plain text becomes a draft, as the import_article command makes one."""

    def import_view(self, request):
        """
        A story pasted as plain text, read as the import_article command reads a file:
        "Preview" shows the command's report, where the editor may untick people and quotes,
        change speakers and merge new people into people on file; "Create draft" saves that.
        """
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = StoryImportForm(request.POST if request.method == "POST" else None, user=request.user)
        choices = None
        if form.is_valid():
            if "_create" in request.POST and request.POST.get("previewed") == form.fingerprint():
                choices = ImportChoicesForm(request.POST, plan=form.plan, user=request.user)
                if choices.is_valid():
                    try:
                        article = self._create_imported_draft(request, form, choices.apply())
                    except IntegrityError:
                        choices.add_error(
                            None,
                            "Someone saved this story, or a person it names, at the same moment, so "
                            "nothing was created. Preview it again to see where things stand.",
                        )
                    else:
                        self.message_user(
                            request, self._imported_message(article, form.plan), messages.SUCCESS
                        )
                        return HttpResponseRedirect(
                            reverse("admin:articles_article_change", args=[article.pk])
                        )
            else:
                if "_create" in request.POST:
                    self.message_user(
                        request,
                        "The story, section or tags (or the people on file it names) changed after the "
                        "preview: check this preview, then create the draft.",
                        messages.WARNING,
                    )
                choices = ImportChoicesForm(plan=form.plan, user=request.user)
        preview = report(form.plan, "preview") if choices else None
        media = self.media + form.media
        if choices:
            media += choices.media
        people = preview["people"] if preview else []
        new_people = sum(person["status"] == "new" for person in people)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import from text",
            "form": form,
            "choices": choices,
            "preview": preview,
            "previewed": form.fingerprint() if preview else "",
            "people_new": new_people,
            "people_matched": len(people) - new_people,
            "media": media,
        }
        return TemplateResponse(request, "admin/articles/article/import_text.html", context)

    def _create_imported_draft(self, request, form, plan: ImportPlan) -> Article:
        with transaction.atomic(), reversion.create_revision():
            article = save_import(plan, form.cleaned_data["tags"], user=request.user)
            reversion.set_user(request.user)
            reversion.set_comment("Imported from text")
        self.log_addition(request, article, "Imported from text.")
        return article

    def _imported_message(self, article, plan: ImportPlan) -> str:
        kept = [person_plan for person_plan in plan.people if person_plan.kept]
        people, quotes = len(article.people.all()), len(plan.quotes)
        new = sum(person_plan.is_new for person_plan in kept)
        merged = sum(person_plan.merged for person_plan in kept)
        message = (
            f"Imported “{article}” as a draft: {people} {'person' if people == 1 else 'people'} "
            f"({new} new{f', {merged} merged' if merged else ''}) and {quotes} quote{pluralize(quotes)}."
        )
        undecided = len(plan.unsaved_undecided)
        if undecided:
            message += (
                f" {undecided} quote{pluralize(undecided)} had no clear speaker and "
                f"{pluralize(undecided, 'was,were')} not saved: add {pluralize(undecided, 'it,them')} "
                f"below if {pluralize(undecided, 'it belongs,they belong')}."
            )
        return message
