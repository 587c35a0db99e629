from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number: int, param: str | None = None, fragment: str | None = None) -> str:
    """
    The current page's URL showing page ``number`` of a list, keeping the rest of the query
    (a search's ``q``, another list's page); page 1 is the address without the parameter.
    """
    request = context["request"]
    query = request.GET.copy()
    query.pop(param or "page", None)
    if number != 1:
        query[param or "page"] = number
    url = f"?{query.urlencode()}" if query else request.path
    return f"{url}#{fragment}" if fragment else url
