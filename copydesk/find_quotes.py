"""
"Find quotes" in the article form: the importer reads the body as it stands in the form (saved
or not) and proposes its quotes, with their speakers matched to people on file; the quotes the
editor accepts are saved with the article, so nobody retypes a quote into the quote rows.
"""

from dataclasses import dataclass

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpResponseNotAllowed
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path

from articles.models import Article, Person, Quote
from articles.quoting import first_missing_words
from bodytext import plain_text
from copydesk.forms import QuoteProposalFormSet
from copydesk.story_import import people_on_file
from ingest import CopyRefused, parse_story

PREFIX = "proposals"
FIND = "_find_quotes"
# The importer reads a story from its headline down; the body alone is given one it accepts.
HEADLINE = "Quotes in the body"


@dataclass
class Proposal:
    text: str
    named: str | None  # the speaker as the copy names them; None when the importer cannot decide
    role: str
    speaker: Person | None  # on file under that name or an alias


def propose_quotes(body: str, present: set[str]) -> tuple[list[Proposal], list[Person]]:
    """
    The quotes the importer reads in ``body`` that are not among ``present`` (quotes the
    article has), and the people on file the body names, to choose speakers from.
    Raises CopyRefused when there is no text to read.
    """
    known, by_name = people_on_file()
    text = plain_text(body)
    story = parse_story(f"{HEADLINE}\n\n{text}", known)
    roles = {person.name: person.role for person in story.people}
    present = {" ".join(quote.split()) for quote in present}
    proposals = [
        Proposal(quote.text, quote.speaker, roles.get(quote.speaker, ""), by_name.get(quote.speaker))
        for quote in story.quotes
        if " ".join(quote.text.split()) not in present and not first_missing_words(quote.text, text)
    ]
    named = {
        by_name[person.name].pk: by_name[person.name] for person in story.people if person.name in by_name
    }
    return proposals, sorted(named.values(), key=lambda person: person.name)


class FindQuotes:
    """The article admin's "Find quotes": a button in the form, a view for the form's script."""

    @property
    def media(self):
        return super().media + forms.Media(js=("copydesk/find-quotes.js",))

    def may_find_quotes(self, request, obj) -> bool:
        """Whoever may change the article (or add one) and add quotes to it."""
        allowed = self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        return allowed and request.user.has_perm("articles.add_quote")

    def find_quotes_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view(self.find_quotes_view)
        return [
            path("find-quotes/", view, name="{}_{}_find_quotes".format(*info)),
            path("<path:object_id>/find-quotes/", view, name="{}_{}_find_quotes".format(*info)),
        ]

    def find_quotes_view(self, request, object_id=None):
        """The proposals for the body posted (the form's own fields), as the form shows them."""
        obj = self._article_or_none(request, object_id)
        if object_id and obj is None:
            raise Http404("No article with this id: it may have been deleted.")
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.may_find_quotes(request, obj):
            raise PermissionDenied
        context = self._proposals_context(request, obj, finding=True)
        status = 400 if context.get("proposals_error") else 200
        return TemplateResponse(
            request, "admin/articles/article/includes/quote_proposals.html", context, status=status
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self._article_or_none(request, object_id)
        finding = request.method == "POST" and FIND in request.POST
        if request.method == "POST" and (finding or PREFIX + "-TOTAL_FORMS" in request.POST):
            if not self.may_find_quotes(request, obj):
                raise PermissionDenied
        extra_context = {**(extra_context or {}), **self._proposals_context(request, obj, finding)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # Without JavaScript, "Find quotes" posts the form: shown again with the proposals, unsaved.
        finding = request.method == "POST" and FIND in request.POST
        return type(form.__name__, (AcceptsProposals, form), {"finding_quotes": finding})

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        accepted = form.proposals.accepted() if form.proposals is not None else []
        if not accepted:
            return
        article = form.instance
        last = article.quotes.aggregate(last=Max("order"))["last"] or 0
        for order, (text, speaker) in enumerate(accepted, start=last + 1):
            # One by one, as the quote rows are saved: each save is announced to the pages that show it.
            Quote.objects.create(article=article, speaker=speaker, text=text, order=order)
        count = len(accepted)
        self.message_user(
            request,
            f"{count} quote{pluralize(count)} found in the body {pluralize(count, 'was,were')} added.",
        )

    def _article_or_none(self, request, object_id) -> Article | None:
        return self.get_object(request, unquote(object_id)) if object_id else None

    def _proposals_context(self, request, obj, finding: bool) -> dict:
        context = {"may_find_quotes": self.may_find_quotes(request, obj)}
        if not context["may_find_quotes"] or request.method != "POST":
            return context
        body = request.POST.get("body", "")
        if finding:
            present = {
                value
                for name, value in request.POST.items()
                if name.startswith("quotes-") and name.endswith("-text")
            }
            if obj is not None:
                present.update(obj.quotes.values_list("text", flat=True))
            try:
                proposals, named = propose_quotes(body, present)
            except CopyRefused:
                context["proposals_error"] = "Write the body first: Find quotes reads the quotes in it."
                return context
            formset = QuoteProposalFormSet(
                prefix=PREFIX,
                body=body,
                candidates=[person.pk for person in named],
                initial=[{"text": proposal.text, "speaker": proposal.speaker} for proposal in proposals],
            )
            context["proposals"] = list(zip(formset.forms, proposals, strict=True))
        elif PREFIX + "-TOTAL_FORMS" in request.POST:
            formset = QuoteProposalFormSet(request.POST, prefix=PREFIX, body=body)
            context["proposals"] = [(form, None) for form in formset.forms]
        else:
            return context
        context["proposals_formset"] = formset
        return context


class AcceptsProposals:
    """
    The article form with the proposals posted with it: valid when both are, and never on
    "Find quotes", which shows the form again, unsaved and without errors.
    """

    finding_quotes = False
    proposals = None

    def is_valid(self) -> bool:
        if PREFIX + "-TOTAL_FORMS" in self.data and self.proposals is None:
            self.proposals = QuoteProposalFormSet(self.data, prefix=PREFIX, body=self.data.get("body", ""))
        valid = super().is_valid()
        if self.proposals is not None and not self.proposals.is_valid():
            problems = [*self.proposals.non_form_errors()]
            problems += [
                error for form in self.proposals.forms for errors in form.errors.values() for error in errors
            ]
            self.add_error(
                None, problems[0] if problems else "A proposed quote was altered: click Find quotes again."
            )
            valid = False
        return valid and not self.finding_quotes
