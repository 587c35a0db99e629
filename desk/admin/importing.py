"""The article admin's *Import from text*: paste a story, preview it, create the draft."""

import reversion
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.template.defaultfilters import pluralize

from articles.models import Article
from desk.admin.pages import admin_page
from desk.forms import StoryImportForm
from desk.story_import import report, save_import


class ImportFromText:
    """A story pasted as plain text becomes a draft, as the import_article command makes one."""

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
