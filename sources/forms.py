"""The dashboard's filters, and the quote origin field the article form's quotes carry."""

import datetime

from django import forms
from django.utils import timezone
from taggit.models import Tag

from articles.models import Author, Quote, Section
from sources.models import Origin, QuoteOrigin
from sources.reports import Filters

YEAR = datetime.timedelta(days=365)
# Every query of the dashboard reads the quotes of its period: a bounded period bounds them all
# (docs/performance.md, "The sources dashboard").
LONGEST = datetime.timedelta(days=3 * 365 + 1)


def default_start() -> datetime.date:
    """
    Without a start date the dashboard counts the twelve months up to the newest published quote
    (today's, on a working desk): a newsroom whose stories are older still sees its numbers.
    """
    newest = (
        Quote.objects.published()
        .order_by("-article__published_at")
        .values_list("article__published_at", flat=True)
        .first()
    )
    end = timezone.localdate(newest) if newest else timezone.localdate()
    return end - YEAR


class DashboardFilters(forms.Form):
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="From")
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To")
    section = forms.ModelChoiceField(Section.objects.all(), required=False, empty_label="Every section")
    author = forms.ModelChoiceField(
        Author.objects.all(), required=False, empty_label="Every author", to_field_name="slug"
    )
    # A topic by its address name: an archive has too many topics for a list.
    tag = forms.CharField(required=False, label="Topic", help_text="A topic's name or slug.")
    origin = forms.ChoiceField(
        choices=[("", "Every quote"), *Origin.choices], required=False, label="Quotes from"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Asked once: the form's initial value and the unfiltered page's period are the same.
        self.default_start = self.fields["start"].initial = default_start()

    def clean_tag(self):
        name = self.cleaned_data["tag"].strip()
        if not name:
            return None
        tag = Tag.objects.filter(slug=name).first() or Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            raise forms.ValidationError(f"No topic is called “{name}”: check its name in Topics.")
        return tag

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None and "start" not in self.errors:
            start = cleaned["start"] = (end or timezone.localdate()) - YEAR
        if start and end and start > end:
            raise forms.ValidationError("The start date is after the end date: swap them.")
        if start and (end or timezone.localdate()) - start > LONGEST:
            raise forms.ValidationError(
                "Choose at most three years at a time: for a longer view, download each period's CSV."
            )
        return cleaned

    def filters(self) -> Filters:
        return Filters(**self.cleaned_data)


class QuoteSourceForm(forms.ModelForm):
    """
    A quote in the article form, with where it came from. The origin is kept in sources (a row
    of its own per quote), written when the quote is: an empty choice is unknown.
    """

    origin = forms.ChoiceField(
        choices=Origin.choices,
        required=False,
        initial=Origin.UNKNOWN,
        label="From",
        help_text="Our own reporting, or wire copy: counted apart on the sources dashboard.",
    )

    class Meta:
        model = Quote
        fields = ("speaker", "order", "text", "context")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        recorded = getattr(self.instance, "origin", None) if self.instance.pk else None
        if recorded is not None:
            self.initial["origin"] = recorded.origin

    def save(self, commit=True):
        quote = super().save(commit=commit)
        if commit:
            self.save_origin()
        else:
            save_m2m = self.save_m2m

            def save_m2m_and_origin():
                save_m2m()
                self.save_origin()

            self.save_m2m = save_m2m_and_origin
        return quote

    def save_origin(self) -> None:
        origin = self.cleaned_data.get("origin") or Origin.UNKNOWN
        recorded = getattr(self.instance, "origin", None)
        if recorded is None and origin == Origin.UNKNOWN:
            return
        QuoteOrigin.objects.update_or_create(quote=self.instance, defaults={"origin": origin})
