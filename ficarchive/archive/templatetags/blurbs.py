"""`{% blurb work %}`: the work's blurb, rendered by `archive.blurbs` (fast, one place)."""

from django import template

from ficarchive.archive.blurbs import render_blurb

register = template.Library()


@register.simple_tag
def blurb(work):
    return render_blurb(work)
