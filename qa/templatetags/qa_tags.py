from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.filter
def score_class(value):
    """Colour band for a 0-100 score; the number itself is always shown beside it."""
    if value is None or value == "":
        return ""
    value = float(value)
    if value < 60:
        return "score-bad"
    if value < 80:
        return "score-mid"
    return "score-good"


ANSWER_LABELS = {"yes": _("Yes"), "partial": _("Partly"), "no": _("No")}


@register.filter
def answer_label(answer):
    """An answer as the scorer chose it: words for choices, the unit for numbers."""
    if answer.na:
        return _("N/A")
    if answer.value in ANSWER_LABELS:
        return ANSWER_LABELS[answer.value]
    if answer.item.answer_type == "scale_5" and answer.value:
        return _("%(value)s of 5") % {"value": answer.value}
    unit = answer.item.number_unit
    return f"{answer.value} {unit}".strip() if answer.item.answer_type == "number" else answer.value


@register.filter
def maps_url(location):
    """A maps link that opens the phone's map app: by coordinates when known, else by address."""
    from urllib.parse import quote_plus

    query = f"{location.latitude},{location.longitude}" if location.has_coordinates else location.address
    return f"https://www.google.com/maps/search/?api=1&query={quote_plus(query)}"


@register.filter
def answer_options(item):
    """The answers an item offers, as (value, label) pairs; empty for number and text items."""
    choices = {
        "yes_no": ["yes", "no"],
        "yes_partial_no": ["yes", "partial", "no"],
        "scale_5": ["1", "2", "3", "4", "5"],
    }.get(item.answer_type, [])
    return [(value, ANSWER_LABELS.get(value, value)) for value in choices]
