"""Forms of the editorial admin: the article form that refuses stale saves, and workflow steps."""

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from reversion.models import Version

import bodytext
from articles.models import Article
from articles.topics import check_tag_names


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

    def clean_published_at(self):
        """The form shows whole seconds: a time sent back unchanged keeps its microseconds."""
        published_at = self.cleaned_data.get("published_at")
        saved = self.instance.published_at
        if published_at and saved and published_at == saved.replace(microsecond=0):
            return saved
        return published_at

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
