"""
The body editor's two helpers, for staff who may edit articles: a preview of the body as readers
will see it (the same renderer as the public page), and the image library's pictures to choose
an inline image from. Both answer JSON to the toolbar (static/desk/body-editor.js).
"""

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

import bodytext
from articles.models import Article, Person, figure_html
from images.models import Image

# A body longer than this is not previewed: no real story comes near it.
MAX_PREVIEW_CHARS = 200_000
IMAGE_RESULTS = 12


def _thumbnail(image: Image) -> str:
    entry = (image.renditions or {}).get("square") or {}
    sources = entry.get("sources", {})
    pairs = sources.get("jpeg") or sources.get("png") or []
    return default_storage.url(pairs[0][1]) if pairs else ""


def _posted_quotes(request, article: Article | None) -> list[bodytext.QuoteMark]:
    """The quotes as the form on the page holds them (edited, new), else as saved."""
    data = request.POST
    try:
        total = min(int(data.get("quotes-TOTAL_FORMS", "")), 200)
    except ValueError:
        total = None
    if total is None:
        if article is None:
            return []
        return [
            bodytext.QuoteMark(q.text, q.anchor, q.speaker.name, q.speaker.get_absolute_url(), q.order)
            for q in article.quotes.select_related("speaker")
        ]
    rows = []
    for index in range(total):
        prefix = f"quotes-{index}-"
        text, order, speaker = (data.get(prefix + name, "").strip() for name in ("text", "order", "speaker"))
        if text and order.isdigit() and speaker.isdigit() and not data.get(prefix + "DELETE"):
            rows.append((text, int(order), int(speaker)))
    speakers = Person.objects.in_bulk([speaker for _, _, speaker in rows])
    return [
        bodytext.QuoteMark(text, f"quote-{order}", speakers[pk].name, speakers[pk].get_absolute_url(), order)
        for text, order, pk in rows
        if pk in speakers
    ]


class BodyEditor:
    """Views of the article admin that the body's toolbar calls."""

    def _check_may_edit(self, request):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied

    def body_preview_view(self, request):
        """The posted body rendered as the article page renders it, with the problems the form will name."""
        self._check_may_edit(request)
        body = request.POST.get("body", "")
        if len(body) > MAX_PREVIEW_CHARS:
            return JsonResponse({"error": "The body is too long to preview."}, status=400)
        article = None
        if request.POST.get("article", "").isdigit():
            article = Article.objects.filter(pk=int(request.POST["article"])).first()
        quotes = _posted_quotes(request, article)
        people = []
        if article is not None:
            people = [
                bodytext.PersonLink(tuple(person.names), person.name, person.get_absolute_url())
                for person in article.people.all()
            ]
        ids = bodytext.image_ids(body)
        figures = {image.pk: figure_html(image) for image in Image.objects.filter(pk__in=ids)} if ids else {}
        html = bodytext.render_body(body.replace("\r\n", "\n"), quotes, people, figures)
        return JsonResponse({"html": html, "problems": bodytext.problems(body)})

    def body_images_view(self, request):
        """Library pictures matching ``q`` (the newest when it is empty), to put in the body."""
        self._check_may_edit(request)
        terms = request.GET.get("q", "").strip()[:100]
        images = Image.objects.search(terms) if terms else Image.objects.all()
        found = images.order_by("-uploaded_at", "-pk")[:IMAGE_RESULTS]
        return JsonResponse(
            {
                "results": [
                    {
                        "id": image.pk,
                        "title": str(image),
                        "alt": image.alt_text,
                        "described": image.publishable,
                        "thumbnail": _thumbnail(image),
                    }
                    for image in found
                ]
            }
        )

    def body_editor_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "body/preview/",
                self.admin_site.admin_view(require_POST(self.body_preview_view)),
                name="{}_{}_body_preview".format(*info),
            ),
            path(
                "body/images/",
                self.admin_site.admin_view(require_GET(self.body_images_view)),
                name="{}_{}_body_images".format(*info),
            ),
        ]
