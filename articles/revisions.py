"""
Revision history of articles, kept by django-reversion: readable snapshots, a word-level
difference between two of them, and restoring an earlier revision's content.
"""

import difflib
import re
from html import escape

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Version
from taggit.models import Tag

from articles.models import Article, ArticleEvent, Author, Person, Quote, Section, TaggedArticle

CURRENT = "current"

# The content a revision restores; workflow state (status, publication time) and the URL stay.
RESTORED_FIELDS = ("headline", "dek", "body", "section_id", "byline")


def article_versions(article: Article):
    return Version.objects.get_for_object(article).select_related("revision", "revision__user")


def _related_versions(version: Version, model) -> list[dict]:
    content_type = ContentType.objects.get_for_model(model)
    return [related.field_dict for related in version.revision.version_set.filter(content_type=content_type)]


def _names(model, pks, attribute) -> list[str]:
    found = dict(model.objects.filter(pk__in=pks).values_list("pk", attribute))
    return [found.get(pk, "(since deleted)") for pk in pks]


def snapshot_of_version(version: Version) -> dict[str, str]:
    """What an editor reads in a revision: its content as labelled text."""
    fields = version.field_dict
    quotes = sorted(
        (quote for quote in _related_versions(version, Quote) if quote["article_id"] == fields["id"]),
        key=lambda quote: quote["order"],
    )
    speakers = dict(Person.objects.filter(pk__in=[q["speaker_id"] for q in quotes]).values_list("pk", "name"))
    tag_ids = [item["tag_id"] for item in _related_versions(version, TaggedArticle)]
    return _snapshot(
        headline=fields["headline"],
        dek=fields["dek"],
        body=fields["body"],
        section=_names(Section, [fields["section_id"]], "name")[0] if fields["section_id"] else "",
        authors=_names(Author, fields.get("authors", []), "display_name"),
        byline=fields["byline"],
        people=_names(Person, fields.get("people", []), "name"),
        tags=_names(Tag, tag_ids, "name"),
        quotes=[(quote["order"], speakers.get(quote["speaker_id"], "?"), quote["text"]) for quote in quotes],
    )


def snapshot_of_article(article: Article) -> dict[str, str]:
    return _snapshot(
        headline=article.headline,
        dek=article.dek,
        body=article.body,
        section=article.section.name if article.section else "",
        authors=[author.display_name for author in article.authors.all()],
        byline=article.byline,
        people=[person.name for person in article.people.all()],
        tags=[tag.name for tag in article.tags.all()],
        quotes=[
            (quote.order, quote.speaker.name, quote.text)
            for quote in article.quotes.select_related("speaker")
        ],
    )


def _snapshot(*, headline, dek, body, section, authors, byline, people, tags, quotes) -> dict[str, str]:
    return {
        "Headline": headline,
        "Standfirst": dek,
        "Body": body,
        "Section": section,
        "Authors": ", ".join(authors),
        "Byline": byline,
        "People": ", ".join(sorted(people)),
        "Tags": ", ".join(sorted(tags, key=str.lower)),
        "Quotes": "\n".join(f"{order}. {speaker}: “{text}”" for order, speaker, text in quotes),
    }


def word_diff(old: str, new: str) -> SafeString:
    """``new`` with words removed since ``old`` in <del> and words added in <ins>."""
    old_words, new_words = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    out = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(
        None, old_words, new_words, autojunk=False
    ).get_opcodes():
        if op == "equal":
            out.append(escape("".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            out.append(f"<del>{escape(''.join(old_words[a1:a2]))}</del>")
        if b2 > b1:
            out.append(f"<ins>{escape(''.join(new_words[b1:b2]))}</ins>")
    return mark_safe("".join(out))


def compare(old: dict[str, str], new: dict[str, str]) -> list[dict]:
    """Each labelled field with its word-level difference, changed fields flagged."""
    return [
        {"label": label, "changed": old[label] != new[label], "diff": word_diff(old[label], new[label])}
        for label in new
    ]


def restore(user, article: Article, version: Version) -> Article:
    """
    Bring back a revision's content (text, section, byline, people, authors, tags, quotes)
    as a new revision. The workflow state, the publication time, the URL and the
    corrections stay as they are: restoring never publishes or unpublishes anything.
    """
    fields = version.field_dict
    with transaction.atomic(), reversion.create_revision():
        article = Article.objects.select_for_update().get(pk=article.pk)
        for name in RESTORED_FIELDS:
            setattr(article, name, fields[name])
        if article.section_id and not Section.objects.filter(pk=article.section_id).exists():
            article.section_id = None
        article.edit_version += 1
        article.save()
        article.people.set(Person.objects.filter(pk__in=fields.get("people", [])))
        article.authors.set(Author.objects.filter(pk__in=fields.get("authors", [])))
        tag_ids = [item["tag_id"] for item in _related_versions(version, TaggedArticle)]
        article.tags.set(Tag.objects.filter(pk__in=tag_ids))
        article.quotes.all().delete()
        existing_people = set(Person.objects.values_list("pk", flat=True))
        # One by one, with their signals: the search document and the cached pages of the
        # speakers hear of each (a handful of quotes; bulk_create() would tell neither).
        for quote in _related_versions(version, Quote):
            if quote["article_id"] == article.pk and quote["speaker_id"] in existing_people:
                Quote.objects.create(
                    article=article,
                    speaker_id=quote["speaker_id"],
                    text=quote["text"],
                    context=quote["context"],
                    order=quote["order"],
                )
        saved = version.revision.date_created
        ArticleEvent.objects.create(
            article=article,
            action=ArticleEvent.Action.RESTORED,
            user=user,
            comment=f"Revision of {saved:%Y-%m-%d %H:%M}",
        )
        reversion.set_user(user)
        reversion.set_comment(f"Restored the revision of {saved:%Y-%m-%d %H:%M}")
    return article
