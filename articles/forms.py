"""Forms of the editorial admin: the article form that refuses stale saves, and workflow steps."""

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import localize
from django.utils.text import slugify
from reversion.models import Version
from taggit.models import Tag

from articles.models import Article


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
        widgets = {
            "headline": forms.TextInput(
                attrs={"class": "vTextField", "style": "width: 100%; max-width: 50em"}
            ),
            "slug": forms.TextInput(attrs={"class": "vTextField", "style": "width: 100%; max-width: 50em"}),
            "dek": forms.Textarea(attrs={"rows": 3, "cols": 80}),
            "body": forms.Textarea(attrs={"rows": 24, "cols": 80}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.instance.edit_version
        self.conflict = None

    def clean_tags(self):
        names = self.cleaned_data.get("tags") or []
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
        if opened_at is None or current is None or opened_at == current:
            return
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
