"""The desk's own admin pages (workflow steps, imports, revisions, merges), built like Django's."""

from django.template.response import TemplateResponse


def admin_page(model_admin, request, template: str, title: str, context: dict, status: int = 200):
    """``template`` with what every admin page has (the site's context, the model's options)."""
    return TemplateResponse(
        request,
        template,
        {**model_admin.admin_site.each_context(request), "opts": model_admin.opts, "title": title, **context},
        status=status,
    )
