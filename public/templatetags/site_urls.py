from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path=None):
    """The full URL of ``path`` (default: the current page, without its query string)."""
    request = context["request"]
    return request.build_absolute_uri(path if path is not None else request.path)
