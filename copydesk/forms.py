"""
Forms for turning copy into stories: the story pasted into "Import from text", the editor's
changes to its preview, and the quotes "Find quotes" proposes in the article form.
"""

import hashlib

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from taggit.forms import TagField

import bodytext
from articles.models import Person, Quote, Section
from articles.quoting import first_missing_words
from articles.topics import check_tag_names
from copydesk.story_import import ImportPlan, plan_import
from ingest import MAX_BYTES, CopyRefused, decode_copy

GONE = "That person is no longer on file (deleted, or the choice was altered): choose the speaker again."


class SpeakerSelect(AutocompleteSelect):
    """
    The admin's search-as-you-type choice of a person on file, offering ``candidates`` (the
    people the copy names) as options too, so that the choice works without JavaScript.
    """

    def __init__(self, candidates=(), attrs=None):
        super().__init__(Quote._meta.get_field("speaker"), admin.site, attrs=attrs)
        self.candidates = [str(pk) for pk in candidates]

    def optgroups(self, name, value, attr=None):
        # An altered id ("Ingrid") is refused by the field; shown again, it must not reach the query.
        value = [choice for choice in value if str(choice).isdigit()]
        groups = super().optgroups(name, value, attr)
        shown = {str(option["value"]) for option in groups[0][1]}
        options = groups[0][1]
        for person in Person.objects.filter(pk__in=[pk for pk in self.candidates if pk not in shown]):
            options.append(self.create_option(name, person.pk, person.name, False, len(options)))
        return groups


def speaker_field(candidates=(), **kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        Person.objects.all(),
        required=False,
        widget=SpeakerSelect(candidates),
        error_messages={"invalid_choice": GONE},
        **kwargs,
    )


class StoryImportForm(forms.Form):
    """
    A story pasted into the admin's "Import from text" page, read as the import_article
    command reads a file. Once the form is valid, ``plan`` says what creating the draft does.
    """

    text = forms.CharField(
        label="Story",
        # Empty copy is refused in clean(), with the same reason the command gives.
        required=False,
        widget=forms.Textarea(attrs={"rows": 20, "cols": 80}),
        help_text="The headline on the first line, then the paragraphs (a blank line between them, or "
        "one to a line). Short title-case lines become subheads; a “By …” line under the headline is "
        f"the byline. At most {MAX_BYTES:,} bytes.",
    )
    section = forms.ModelChoiceField(
        Section.objects.all(),
        empty_label=None,
        error_messages={
            "required": "Choose a section; if there are none yet, an editor adds one under Sections."
        },
    )
    tags = TagField(required=False, help_text="Topics, separated by commas: Ukraine, Diplomacy.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.plan: ImportPlan | None = None
        self.fields["section"].initial = Section.objects.first()

    def clean_tags(self):
        return check_tag_names(self.cleaned_data.get("tags") or [])

    def clean(self):
        cleaned_data = super().clean()
        section = cleaned_data.get("section")
        if "text" not in cleaned_data:
            return cleaned_data  # already refused by the field (null characters)
        try:
            text = decode_copy(cleaned_data["text"].encode("utf-8"))
            plan = plan_import(text, section) if section else None
        except CopyRefused as refusal:
            reason = str(refusal)
            self.add_error("text", ValidationError(f"{reason[:1].upper()}{reason[1:]}.", code="refused"))
            return cleaned_data
        if plan is None:
            return cleaned_data
        if plan.existing is not None:
            existing = plan.existing
            self.add_error(
                "text",
                ValidationError(
                    format_html(
                        'This story is already on the site: <a href="{}">{}</a> ({}). '
                        "Importing it again would change nothing.",
                        reverse("admin:articles_article_change", args=[existing.pk]),
                        existing.headline,
                        existing.state_label.lower(),
                    ),
                    code="exists",
                ),
            )
            return cleaned_data
        new_people = [person_plan.person.name for person_plan in plan.people if person_plan.is_new]
        if new_people and not self.user.has_perm("articles.add_person"):
            raise ValidationError(
                f"The story names people who are not on file yet ({', '.join(new_people)}), and your "
                "account cannot add people. Ask an editor to add them, then import again.",
                code="people",
            )
        self.plan = plan
        return cleaned_data

    def fingerprint(self) -> str:
        """
        What was read (text, section, tags) and what the preview showed of it (people, quotes),
        so "Create draft" creates what the preview showed, and the editor's changes to the
        preview's rows apply to the same rows.
        """
        data = self.cleaned_data
        shown = [f"{plan.person.pk}:{plan.found.name}" for plan in self.plan.people]
        shown += [f"{plan.found.start}:{plan.found.speaker}" for plan in self.plan.quote_plans]
        read = "\0".join([data["text"], str(data["section"].pk), *sorted(data["tags"]), *shown])
        return hashlib.sha256(read.encode("utf-8")).hexdigest()


class ImportChoicesForm(forms.Form):
    """
    The editor's changes to an import's preview: who is kept (untick "Old Town"), which new
    person is someone on file under another name (merged: their names become aliases), and who
    said each quote. ``apply()`` puts them on the plan; nothing is saved here.
    """

    def __init__(self, *args, plan: ImportPlan, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.may_merge = user.has_perm("articles.change_person")
        index = {id(person_plan.person): number for number, person_plan in enumerate(plan.people)}
        story_people = [
            (str(number), person_plan.person.name + (" (new)" if person_plan.is_new else ""))
            for number, person_plan in enumerate(plan.people)
        ]
        for number, person_plan in enumerate(plan.people):
            self.fields[f"person-{number}-keep"] = forms.BooleanField(
                required=False, initial=True, label=f"Save {person_plan.person.name}"
            )
            if person_plan.is_new and self.may_merge:
                self.fields[f"person-{number}-merge"] = speaker_field(
                    label=f"Merge {person_plan.person.name} into someone on file"
                )
        for number, quote_plan in enumerate(plan.quote_plans):
            speaker = quote_plan.speaker
            self.fields[f"quote-{number}-keep"] = forms.BooleanField(
                required=False, initial=speaker is not None, label=f"Save quote {number + 1}"
            )
            self.fields[f"quote-{number}-speaker"] = forms.TypedChoiceField(
                choices=[("", "no speaker: not saved"), *story_people],
                coerce=int,
                required=False,
                initial=index.get(id(speaker), ""),
                label=f"Speaker of quote {number + 1}",
                error_messages={
                    "invalid_choice": f"Quote {number + 1}'s speaker is not one of the story's people: "
                    "choose again."
                },
            )
            self.fields[f"quote-{number}-on_file"] = speaker_field(label="or someone on file")

    def people_rows(self):
        for number, person_plan in enumerate(self.plan.people):
            merge = self[f"person-{number}-merge"] if f"person-{number}-merge" in self.fields else None
            yield person_plan, self[f"person-{number}-keep"], merge

    def quote_rows(self):
        for number, quote_plan in enumerate(self.plan.quote_plans):
            yield (
                quote_plan,
                self[f"quote-{number}-keep"],
                self[f"quote-{number}-speaker"],
                self[f"quote-{number}-on_file"],
            )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not self.may_merge and any(name.endswith("-merge") and value for name, value in self.data.items()):
            raise ValidationError(
                "Your account cannot change people on file, so it cannot merge someone into them: "
                "ask an editor, or untick the person.",
                code="merge",
            )
        people = self.plan.people
        for number in range(len(self.plan.quote_plans)):
            if not data[f"quote-{number}-keep"]:
                continue
            chosen = data[f"quote-{number}-speaker"]
            if data[f"quote-{number}-on_file"] is not None:
                continue
            if chosen in ("", None):
                raise ValidationError(
                    f"Quote {number + 1} has no speaker: choose who said it, or untick it.", code="speaker"
                )
            if not data[f"person-{chosen}-keep"]:
                raise ValidationError(
                    f"Quote {number + 1} is given to {people[chosen].person.name}, whom you unticked: "
                    "choose another speaker, or untick the quote.",
                    code="unticked",
                )
        return data

    def apply(self) -> ImportPlan:
        """The plan as the editor changed it (the form must be valid)."""
        data = self.cleaned_data
        for number, person_plan in enumerate(self.plan.people):
            person_plan.kept = data[f"person-{number}-keep"]
            target = data.get(f"person-{number}-merge")
            if person_plan.kept and target is not None:
                person_plan.merge_into(target)
        for number, quote_plan in enumerate(self.plan.quote_plans):
            chosen = data[f"quote-{number}-speaker"]
            on_file = data[f"quote-{number}-on_file"]
            quote_plan.kept = data[f"quote-{number}-keep"]
            quote_plan.speaker = on_file or (self.plan.people[chosen].person if chosen != "" else None)
        return self.plan


class QuoteProposalForm(forms.Form):
    """A quote "Find quotes" read in the body: the editor accepts it, with its speaker, or not."""

    text = forms.CharField(widget=forms.HiddenInput, strip=False)
    accept = forms.BooleanField(required=False, label="Accept")

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"] = speaker_field(candidates, label="Said by")


class BaseQuoteProposalFormSet(forms.BaseFormSet):
    """The proposals posted with the article form; the accepted ones are saved with the article."""

    def __init__(self, *args, body: str = "", candidates=(), **kwargs):
        self.body = body
        super().__init__(*args, form_kwargs={"candidates": candidates}, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        for form in self.forms:
            if not form.cleaned_data.get("accept"):
                continue
            text = form.cleaned_data["text"]
            if form.cleaned_data["speaker"] is None:
                raise ValidationError(
                    f"Choose who said “{text[:60]}”, or untick it: a quote needs its speaker.", code="speaker"
                )
            if first_missing_words(text, bodytext.plain_text(self.body)):
                raise ValidationError(
                    f"“{text[:60]}” is no longer in the body: click Find quotes again.", code="not_in_body"
                )

    def accepted(self) -> list[tuple[str, Person]]:
        """(text, speaker) of each accepted proposal, once valid."""
        return [
            (form.cleaned_data["text"], form.cleaned_data["speaker"])
            for form in self.forms
            if form.cleaned_data.get("accept")
        ]


QuoteProposalFormSet = forms.formset_factory(
    QuoteProposalForm, formset=BaseQuoteProposalFormSet, extra=0, max_num=200, absolute_max=200
)
