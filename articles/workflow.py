"""
The editorial workflow: who may do what to an article, what publication needs, and the
transitions between states. Every rule is checked here, on the server, whatever the form
or request that asked for it.
"""

from dataclasses import dataclass
from datetime import datetime

import reversion
from django.db import transaction
from django.utils import timezone

import bodytext
from articles.models import Article, ArticleEvent
from articles.quoting import first_missing_words
from bodytext import plain_text

PUBLISH_PERMISSION = "articles.publish_article"

Status = Article.Status
Action = ArticleEvent.Action


class WorkflowError(Exception):
    """A transition that is not allowed; the message says why and what to do."""


def is_editor(user) -> bool:
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def is_owner(user, article: Article) -> bool:
    if article.pk is None:
        return True
    return article.created_by_id == user.pk or article.authors.filter(user=user).exists()


def can_edit(user, article: Article | None) -> bool:
    """Editors change any article; reporters change only their own drafts."""
    if not user.is_active or not user.has_perm("articles.change_article"):
        return False
    if article is None or is_editor(user):
        return True
    return article.status == Status.DRAFT and is_owner(user, article)


def can_preview(user, article: Article) -> bool:
    """Staff who may see an article in the admin may see its page before it is public."""
    return user.is_active and user.is_staff and user.has_perm("articles.view_article")


def publication_problems(article: Article) -> list[str]:
    """What stands between this article and publication, in words an editor can act on."""
    problems = []
    if not article.section_id:
        problems.append("Choose a section.")
    if not article.dek.strip():
        problems.append("Write a standfirst (dek).")
    if not article.body.strip():
        problems.append("Write the body.")
    if not article.byline.strip() and not article.authors.exists():
        problems.append("Add an author or a byline.")
    if not article.tags.exists():
        problems.append("Add at least one tag.")
    if article.lead_image_id and not article.lead_image.publishable:
        problems.append(
            "Describe the lead image: write its alt text (what it shows) in the image library, "
            "or mark it decorative there."
        )
    problems += body_problems(article)
    for quote in article.quotes.select_related("speaker"):
        missing = first_missing_words(quote.text, plain_text(article.body))
        if missing:
            problems.append(f"Quote {quote.order} ({quote.speaker}) is not in the body: “{missing}”.")
    return problems


def body_problems(article: Article) -> list[str]:
    """
    The body's links and directives, its images in the library with alt text, its pull quotes
    among the article's quotes: the article form refuses these too, and publication checks them.
    """
    from images.models import Image

    problems = bodytext.problems(article.body)
    ids = bodytext.image_ids(article.body)
    images = {image.pk: image for image in Image.objects.filter(pk__in=ids)} if ids else {}
    for number in ids:
        image = images.get(number)
        if image is None:
            problems.append(
                f"The body shows image {number}, which is not in the image library: choose another."
            )
        elif not image.publishable:
            problems.append(
                f"Describe image {number} (“{image}”) in the body: write its alt text in the image library, "
                "or mark it decorative there."
            )
    orders = set(article.quotes.values_list("order", flat=True)) if article.pk else set()
    for number in bodytext.pullquote_refs(article.body):
        if number not in orders:
            problems.append(
                f"The body pulls quote {number}, but the article has no quote {number}: "
                "check the quotes' Order."
            )
    return problems


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    action: str
    sources: frozenset[str]
    target: str
    editors_only: bool
    needs_comment: bool = False
    needs_time: bool = False  # the article is published at the time the editor gives
    publishes_now: bool = False
    checks_publication: bool = False
    from_scheduled: bool = False  # also allowed from a published article not yet public


TRANSITIONS = {
    transition.name: transition
    for transition in [
        Transition(
            "submit",
            "Submit for review",
            Action.SUBMITTED,
            frozenset({Status.DRAFT}),
            Status.REVIEW,
            editors_only=False,
            checks_publication=True,
        ),
        Transition(
            "send_back",
            "Send back to the reporter",
            Action.SENT_BACK,
            frozenset({Status.REVIEW}),
            Status.DRAFT,
            editors_only=True,
            needs_comment=True,
        ),
        Transition(
            "publish",
            "Publish now",
            Action.PUBLISHED,
            frozenset({Status.DRAFT, Status.REVIEW, Status.WITHDRAWN}),
            Status.PUBLISHED,
            editors_only=True,
            publishes_now=True,
            checks_publication=True,
            from_scheduled=True,
        ),
        Transition(
            "schedule",
            "Schedule",
            Action.SCHEDULED,
            frozenset({Status.DRAFT, Status.REVIEW}),
            Status.PUBLISHED,
            editors_only=True,
            needs_time=True,
            checks_publication=True,
            from_scheduled=True,
        ),
        Transition(
            "withdraw",
            "Withdraw",
            Action.WITHDRAWN,
            frozenset({Status.PUBLISHED}),
            Status.WITHDRAWN,
            editors_only=True,
        ),
    ]
}


def refusal(user, article: Article, transition: Transition) -> str:
    """Why ``user`` may not apply ``transition`` to ``article`` now; "" when they may."""
    if transition.editors_only and not is_editor(user):
        return f"Only editors can {transition.label.lower()}; ask an editor."
    if not transition.editors_only and not can_edit(user, article):
        return "You can only submit your own drafts."
    in_source = article.status in transition.sources
    if transition.from_scheduled and article.is_scheduled:
        in_source = True
    if transition.name == "withdraw" and article.is_scheduled:
        in_source = False
    if not in_source:
        return (
            f"“{article}” is {article.state_label.lower()}: it cannot be {transition.action.label.lower()}."
        )
    return ""


def available(user, article: Article) -> list[Transition]:
    return [transition for transition in TRANSITIONS.values() if not refusal(user, article, transition)]


def apply(user, article: Article, name: str, comment: str = "", when: datetime | None = None) -> Article:
    """
    Move ``article`` through transition ``name`` on behalf of ``user``, recording who and
    when. Raises WorkflowError, with nothing changed, when the rules do not allow it.
    """
    transition = TRANSITIONS[name]
    comment = comment.strip()
    with transaction.atomic(), reversion.create_revision():
        # Lock the row: the transition sees and changes the latest saved state only.
        article = Article.objects.select_for_update().get(pk=article.pk)
        reason = refusal(user, article, transition)
        if reason:
            raise WorkflowError(reason)
        if transition.needs_comment and not comment:
            raise WorkflowError("Say what needs changing: a comment is required to send an article back.")
        if transition.needs_time:
            if when is None:
                raise WorkflowError("Give a publication time to schedule the article.")
            if when <= timezone.now():
                raise WorkflowError("A scheduled time must be in the future; use “Publish now” instead.")
        if transition.checks_publication:
            problems = publication_problems(article)
            if problems:
                raise WorkflowError(f"“{article}” is not ready: " + " ".join(problems))

        article.status = transition.target
        if transition.publishes_now:
            article.published_at = timezone.now()
        elif transition.needs_time:
            article.published_at = when
        article.edit_version += 1
        article.save(update_fields=["status", "published_at", "edit_version", "updated_at"])
        ArticleEvent.objects.create(article=article, action=transition.action, user=user, comment=comment)
        reversion.set_user(user)
        reversion.set_comment(transition.action.label + (f": {comment}" if comment else ""))
    return article
