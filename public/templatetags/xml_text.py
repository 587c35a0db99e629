"""``{{ value|xml_text }}``: text without the characters XML 1.0 cannot carry, for XML templates."""

from django import template

from public import feeds

register = template.Library()


@register.filter
def xml_text(value) -> str:
    return feeds.xml_text(str(value))
