"""
Nothing recorded about a source reaches readers or the API: with the seed story's people and
quotes recorded, every public page, feed, sitemap, search result, JSON-LD block and API answer
reachable from the site is fetched and searched for the recorded values.
"""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from articles.models import Article, Person
from sources.models import QuoteOrigin, SourceProfile

pytestmark = pytest.mark.django_db

PLACE = "Quibbleton-on-Zed"
# What a recorded value would look like on a page or in JSON: labels and stored values alike.
NEVER_PUBLIC = re.compile(
    rf"{PLACE}|Another description|Citizen or witness|Wire copy|source_profile|gender|\bcitizen\b|\bwire\b",
    re.IGNORECASE,
)
START = [
    "/",
    "/people/",
    "/quotes/",
    "/sitemap.xml",
    "/news-sitemap.xml",
    "/robots.txt",
    "/feeds/latest/rss/",
    "/feeds/latest/atom/",
    "/api/articles/",
    "/api/quotes/",
    "/api/people/",
    "/api/sections/",
    "/api/tags/",
    "/api/authors/",
]
LINK = re.compile(
    r"""(?:href|src)=["']([^"']+)["']|<loc>([^<]+)</loc>|"(/[^"\s]*|http://testserver/[^"\s]*)\""""
)


def record_everything(seed: Article) -> None:
    for person in Person.objects.all():
        SourceProfile.objects.update_or_create(
            person=person,
            defaults={"gender": "another", "gender_basis": "self", "source_type": "citizen", "place": PLACE},
        )
    for quote in seed.quotes.all():
        QuoteOrigin.objects.update_or_create(quote=quote, defaults={"origin": "wire"})


def links(body: str) -> set[str]:
    found = set()
    for match in LINK.finditer(body):
        url = next(group for group in match.groups() if group)
        parts = urlsplit(url.replace("&amp;", "&"))
        if parts.netloc not in ("", "testserver"):
            continue
        if parts.path.startswith(("/admin", "/static", "/media", "/favicon")):
            continue
        found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def test_no_public_page_feed_sitemap_search_or_api_answer_shows_what_editors_recorded(client, seed):
    record_everything(seed)
    assert SourceProfile.objects.filter(place=PLACE).count() == Person.objects.count() > 0
    queue = [*START, seed.get_absolute_url()]
    queue += [f"{reverse('articles:search')}?q={person.name}" for person in Person.objects.all()]
    queue += [f"/api/people/{person.slug}/" for person in Person.objects.all()]
    queue += [f"/api/articles/{seed.slug}/"]
    seen, answered = set(), 0
    while queue and len(seen) < 400:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        answered += 1
        body = response.content.decode()
        leaked = NEVER_PUBLIC.search(body)
        assert leaked is None, f"{url} shows {leaked.group(0)!r}"
        if response["Content-Type"].startswith("application/json"):
            json.loads(body)  # an API answer: its strings were searched above
        queue += sorted(links(body) - seen)
    reached = {url for url in seen if url.startswith(("/people/", "/articles/", "/api/people/", "/search/"))}
    assert answered > 30 and len(reached) > 10, sorted(seen)
    # The story's structured data was among what was searched.
    assert "application/ld+json" in client.get(seed.get_absolute_url()).content.decode()
