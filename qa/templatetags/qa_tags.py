from django import template

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
