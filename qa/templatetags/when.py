"""The `when` and `figure` filters: `{{ moment|when:"datetime" }}` shows a date, time or period in the
viewer's time zone in the one format of its kind (qa.formats). Loaded on every page
(a template builtin, config.settings), so no template formats a date by hand."""

from django import template

from qa import formats

register = template.Library()


@register.filter
def when(value, kind="datetime"):
    return formats.as_kind(value, kind)


@register.filter
def figure(value, places=1):
    """`{{ score|figure:1 }}`: a figure rounded halves up by qa.formats.figure, the one
    helper charts, PDF and Excel text use too, so the page and the export agree."""
    return formats.figure(value, places)
