"""
schema.org JSON-LD for search engines and sharing: NewsArticle on articles (with their lead
picture as ``image``, their people as ``mentions`` and their quotes as ``Quotation`` parts),
ProfilePage with a Person (and their portrait) on person pages.
Builders take prefetched objects and a request (for absolute URLs) and return plain dicts;
json_ld_script() renders one safely inside a page.
"""

import json

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, Person, Quote
from images.models import Image
from images.rendering import social_image

SCHEMA_ORG = "https://schema.org"
WIKIDATA_ENTITY = "https://www.wikidata.org/wiki/{}"

# As django.utils.html.json_script: no "<", ">" or "&" in the payload, so text such as
# "</script>" or "<!--" in a headline cannot end the script element or start a comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    payload = json.dumps(data, ensure_ascii=False, indent=None).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


def _iso(moment) -> str | None:
    # To the second, like the page's <time> elements.
    return moment.replace(microsecond=0).isoformat() if moment else None


def _without_empty(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def image_object(image: Image | None, request: HttpRequest) -> dict | None:
    """An ImageObject of the picture's social rendition (1200 × 630, what search engines prefer)."""
    picture = social_image(image) if image is not None else None
    if picture is None:
        return None
    return _without_empty(
        {
            "@type": "ImageObject",
            "url": request.build_absolute_uri(picture["url"]),
            "width": picture["width"],
            "height": picture["height"],
            "encodingFormat": picture["type"],
            "caption": image.caption,
            "creditText": image.credit,
        }
    )


def publisher(request: HttpRequest) -> dict:
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": request.build_absolute_uri("/"),
        "logo": {"@type": "ImageObject", "url": request.build_absolute_uri(static("favicon.svg"))},
    }


def person(person: Person, request: HttpRequest, *, full: bool = False) -> dict:
    """A Person: who they are and where their page is; with ``full``, their bio and other names."""
    url = request.build_absolute_uri(person.get_absolute_url())
    data = {
        "@type": "Person",
        "@id": f"{url}#person",
        "name": person.name,
        "url": url,
        "jobTitle": person.role,
        "affiliation": {"@type": "Organization", "name": person.affiliation} if person.affiliation else None,
        "sameAs": [WIKIDATA_ENTITY.format(person.wikidata_id)] if person.wikidata_id else None,
    }
    if full:
        data |= {
            "description": person.bio,
            "alternateName": person.alias_list,
            "image": image_object(person.portrait, request),
        }
    return _without_empty(data)


def speaker(person: Person, request: HttpRequest) -> dict:
    """A reference to a person: enough to name them, the same @id as their full entry."""
    url = request.build_absolute_uri(person.get_absolute_url())
    return {"@type": "Person", "@id": f"{url}#person", "name": person.name, "url": url}


def language_tag(language_code: str) -> str:
    """Django's language code as a BCP 47 tag: "en-us" → "en-US"."""
    language, _, region = language_code.partition("-")
    return f"{language}-{region.upper()}" if region else language


def quotation(
    quote: Quote, request: HttpRequest, *, with_article: bool = False, with_speaker: bool = True
) -> dict:
    """
    A Quotation: the exact words, who said them (unless not ``with_speaker``), and
    (``with_article``) the article they are in.
    """
    data = {
        "@type": "Quotation",
        "text": quote.text,
        "url": request.build_absolute_uri(quote.get_absolute_url()),
        "description": quote.context,
        "spokenByCharacter": speaker(quote.speaker, request) if with_speaker else None,
    }
    if with_article:
        data["isPartOf"] = {
            "@type": "NewsArticle",
            "headline": quote.article.headline,
            "url": request.build_absolute_uri(quote.article.get_absolute_url()),
            "datePublished": _iso(quote.article.published_at),
        }
    return _without_empty(data)


def authors(article: Article, request: HttpRequest) -> list[dict]:
    """
    The staff authors as people (with their page, once they have one); an article with none is
    credited to its byline or the publication.
    """
    staff = [
        _without_empty(
            {
                "@type": "Person",
                "name": author.display_name,
                "url": request.build_absolute_uri(author.get_absolute_url())
                if article.is_public or author.is_public
                else None,
            }
        )
        for author in article.authors.all()
    ]
    if staff:
        return staff
    if article.credit:
        return [{"@type": "Organization", "name": article.credit}]
    return [publisher(request)]


def news_article(article: Article, request: HttpRequest) -> dict:
    url = request.build_absolute_uri(article.get_absolute_url())
    return _without_empty(
        {
            "@context": SCHEMA_ORG,
            "@type": "NewsArticle",
            "@id": f"{url}#article",
            "url": url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "headline": article.headline,
            "description": article.summary,
            "image": image_object(article.lead_image, request),
            "datePublished": _iso(article.published_at),
            "dateModified": _iso(article.modified_at or article.updated_at),
            "author": authors(article, request),
            "publisher": publisher(request),
            "articleSection": article.section.name if article.section else None,
            "keywords": [tag.name for tag in article.tags.all()],
            "inLanguage": language_tag(settings.LANGUAGE_CODE),
            "isAccessibleForFree": True,
            "mentions": [person(mentioned, request) for mentioned in article.people.all()],
            "hasPart": [quotation(quote, request) for quote in article.quotes.all()],
        }
    )


def profile_page(subject: Person, quotations: list[dict], request: HttpRequest) -> dict:
    """
    A person's page: the person as its main entity, and the quotes it shows as its parts
    (``quotations``: their_quotations(), each said by the person).
    """
    said_by = speaker(subject, request)
    return _without_empty(
        {
            "@context": SCHEMA_ORG,
            "@type": "ProfilePage",
            "url": request.build_absolute_uri(subject.get_absolute_url()),
            "name": subject.name,
            "mainEntity": person(subject, request, full=True),
            "hasPart": [part | {"spokenByCharacter": said_by} for part in quotations],
        }
    )


def their_quotations(quotes: list[Quote], request: HttpRequest) -> list[dict]:
    """
    A person's quotes as Quotations without their speaker, which profile_page() adds: kept with
    the person's lists (public.templatetags.pieces), they stay true when the person is renamed.
    """
    return [quotation(quote, request, with_article=True, with_speaker=False) for quote in quotes]
