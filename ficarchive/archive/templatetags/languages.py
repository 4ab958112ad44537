"""`{{ work.language|language_name }}`: "Français" for `fr` (see `archive.languages`)."""

from django import template

from ficarchive.archive.languages import language_name as _language_name

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    return _language_name(code)
