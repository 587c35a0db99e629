"""
Forms of the editorial admin: the article form that refuses stale saves, workflow steps, and
importing a story from pasted text.
"""

import hashlib

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.text import slugify
from reversion.models import Version
from taggit.forms import TagField
from taggit.models import Tag

import bodytext
from articles.models import Article, Section
from desk.story_import import ImportPlan, plan_import
from ingest import MAX_BYTES, CopyRefused, decode_copy


def check_tag_names(names: list[str]) -> list[str]:
    """The tag names, or ValidationError when one is too long or has no letters or digits."""
    limit = Tag._meta.get_field("name").max_length
    for name in names:
        if len(name) > limit:
            raise ValidationError(
                f"The tag “{name[:30]}…” is longer than {limit} characters; shorten it.",
                code="tag_too_long",
            )
        if not slugify(name, allow_unicode=True):
            raise ValidationError(
                f"The tag “{name}” has no letters or digits, so it cannot have an address; "
                "use a word instead.",
                code="tag_without_slug",
            )
    return names


class LongText(forms.CharField):
    """
    Text whose line breaks are stored as \\n, whichever the browser sends (\\r\\n): saving an
    unchanged body then changes nothing, in the history or the revisions.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


class BodyEditorWidget(forms.Textarea):
    """
    The body's textarea with a toolbar over it (static/desk/body-editor.js): bold, italic, links,
    subheads, lists, blockquotes, pictures, embeds, pull quotes and a preview. Without JavaScript
    it is the textarea, and the body is written as docs/editors.md shows.
    """

    class Media:
        css = {"all": ("desk/body-editor.css",)}
        js = ("desk/body-editor.js",)

    def __init__(self, attrs=None):
        super().__init__({"rows": 24, "cols": 80, "data-body-editor": "", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-preview-url": reverse("admin:articles_article_body_preview"),
                "data-images-url": reverse("admin:articles_article_body_images"),
            }
        )
        return context


def posted_quote_orders(data, saved: set[int]) -> set[int]:
    """The quote numbers the article will have once saved: as posted with it, else as saved."""
    try:
        total = min(int(data.get("quotes-TOTAL_FORMS", "")), 1000)
    except ValueError:
        return saved
    orders = set()
    for index in range(total):
        prefix = f"quotes-{index}-"
        order = (data.get(prefix + "order") or "").strip()
        if order.isdigit() and (data.get(prefix + "text") or "").strip() and not data.get(prefix + "DELETE"):
            orders.add(int(order))
    return orders


class QuoteFormSet(forms.BaseInlineFormSet):
    """An article's quotes, where new quotes left at order 0 are numbered after the others."""

    def clean(self):
        kept = [
            form
            for form in self.forms
            if form.is_valid() and form.cleaned_data and not self._should_delete_form(form)
        ]
        next_order = max((form.cleaned_data.get("order") or 0 for form in kept), default=0) + 1
        for form in kept:
            # A saved quote keeps its number, even 0: its anchor (#quote-N) may be linked to.
            if form.instance.pk is None and not form.cleaned_data.get("order"):
                form.cleaned_data["order"] = form.instance.order = next_order
                next_order += 1
        super().clean()


class ArticleAdminForm(forms.ModelForm):
    # The edit_version the editor's form was opened at; the save is refused if it moved on.
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # Fields this user may not change through the form, set per request by the admin.
    forbidden_fields: frozenset[str] = frozenset()

    class Meta:
        model = Article
        # The admin builds the form from its fieldsets; these are the editable ones.
        fields = (
            "headline",
            "slug",
            "dek",
            "body",
            "section",
            "authors",
            "byline",
            "published_at",
            "people",
            "tags",
        )
        field_classes = {"dek": LongText, "body": LongText}
        widgets = {
            "headline": forms.TextInput(
                attrs={"class": "vTextField", "style": "width: 100%; max-width: 50em"}
            ),
            "slug": forms.TextInput(attrs={"class": "vTextField", "style": "width: 100%; max-width: 50em"}),
            "dek": forms.Textarea(attrs={"rows": 3, "cols": 80}),
            "body": BodyEditorWidget,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.instance.edit_version
        self.conflict = None
        if "body" in self.fields and self.instance.pk:
            self.fields["body"].widget.attrs["data-article"] = str(self.instance.pk)

    def clean_body(self):
        """Links, pictures and pull quotes the page could not show are refused with what to do."""
        from images.models import Image

        body = self.cleaned_data["body"]
        problems = bodytext.problems(body)
        ids = bodytext.image_ids(body)
        known = set(Image.objects.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
        problems += [
            f"There is no image {number} in the library: pick the picture with the toolbar's Image button."
            for number in ids
            if number not in known
        ]
        saved = set(self.instance.quotes.values_list("order", flat=True)) if self.instance.pk else set()
        orders = posted_quote_orders(self.data, saved)
        problems += [
            f"[[pullquote:{number}]] names no quote: the article's quotes are numbered "
            f"{', '.join(map(str, sorted(orders))) or '(none yet)'} (their Order)."
            for number in dict.fromkeys(bodytext.pullquote_refs(body))
            if number not in orders
        ]
        if problems:
            raise ValidationError([ValidationError(problem, code="body") for problem in problems])
        return body

    def clean_tags(self):
        return check_tag_names(self.cleaned_data.get("tags") or [])

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        saved = self.instance  # as saved: the form's data is put on it after the fields are cleaned
        been_public = saved.is_public or saved.status == Article.Status.WITHDRAWN
        if saved.pk and slug != saved.slug and been_public:
            raise ValidationError(
                f"This article has been public at {saved.get_absolute_url()}, and links to it must keep "
                f"working: its address cannot change. Put back “{saved.slug}”; change the headline instead.",
                code="published_slug",
            )
        return slug

    def clean(self):
        cleaned_data = super().clean()
        forged = sorted(name for name in self.forbidden_fields if name in self.data)
        if forged:
            raise ValidationError(
                f"You cannot change {', '.join(forged)} here: status changes go through the workflow "
                "buttons, and only editors set the publication time. Nothing was saved.",
                code="forbidden",
            )
        if self.instance.pk:
            self._check_not_stale(cleaned_data.get("opened_version"))
        return cleaned_data

    def _check_not_stale(self, opened_at):
        # Lock the row for the rest of the save (the admin runs it in a transaction), so two
        # saves cannot both pass this check.
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("edit_version", flat=True)
        ).first()
        if current is None or opened_at == current:
            return
        if opened_at is None:
            # Without it a save cannot be told from one that overwrites a later edit.
            raise ValidationError(
                "This form did not say which version of the article it was opened at, so saving it "
                "could overwrite someone else's changes. Nothing was saved: reload the article and "
                "make your change again.",
                code="unversioned",
            )
        latest = Version.objects.get_for_object(self.instance).select_related("revision__user").first()
        who, when = "Someone", ""
        if latest:
            user = latest.revision.user
            who = (user and (user.get_full_name() or user.get_username())) or who
            when = f" at {localize(timezone.localtime(latest.revision.date_created))}"
        self.conflict = {"who": who, "when": when}
        # Let the next save go through once the editor has merged: it is then a decision.
        data = self.data.copy()
        data["opened_version"] = str(current)
        self.data = data
        raise ValidationError(
            f"{who} saved this article{when}, after you opened it. Nothing was saved: your text is "
            "still in the form below. Compare it with the saved version (History), merge, and save again.",
            code="stale",
        )


class TransitionForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        required=False,
        help_text="Shown in the article's workflow history.",
    )
    publish_at = forms.SplitDateTimeField(
        label="Publish at",
        required=False,
        widget=AdminSplitDateTime,
        help_text="Date as YYYY-MM-DD and time as HH:MM, in the site's time zone.",
    )

    def __init__(self, *args, transition, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        if transition.needs_comment:
            self.fields["comment"].required = True
            self.fields["comment"].help_text = "What needs changing; the reporter reads this."
        if transition.needs_time:
            self.fields["publish_at"].required = True
        else:
            del self.fields["publish_at"]


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
        """What was read (text, section, tags), so "Create draft" creates what the preview showed."""
        data = self.cleaned_data
        read = "\0".join([data["text"], str(data["section"].pk), *sorted(data["tags"])])
        return hashlib.sha256(read.encode("utf-8")).hexdigest()
