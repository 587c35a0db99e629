"""
Times for machines (``<time datetime>``, meta tags): ISO 8601 to the second. Django's "c" format
keeps microseconds, which HTML's datetime attribute does not allow (three digits at most).
"""

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def iso_datetime(moment) -> str:
    if not moment:
        return ""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()
