from django import template

from scorecards import words

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


@register.filter
def answer_label(answer):
    """An answer as the scorer chose it, in words (scorecards.words, the one place)."""
    return words.answer_word(answer.value, answer.na, answer.item.answer_type, answer.item.number_unit)


@register.filter
def answer_text(value):
    """A bare stored answer value (a correction's, a dispute's) in words; empty means N/A."""
    return words.answer_word(value, na=not value)


@register.filter
def report_state(assignment):
    """The shopper's label for a sent report's state (qa.shopper_views.report_state_label)."""
    from qa.shopper_views import report_state_label

    return report_state_label(assignment)


@register.filter
def has_password_field(form):
    """Whether the form asks for a password: a password is never sent back to the page, so its
    error summary must not promise that everything typed is kept."""
    return any(field.widget_type == "password" for field in form.visible_fields())


@register.filter
def maps_url(location):
    """A maps link that opens the phone's map app: by coordinates when known, else by address."""
    from urllib.parse import quote_plus

    query = f"{location.latitude},{location.longitude}" if location.has_coordinates else location.address
    return f"https://www.google.com/maps/search/?api=1&query={quote_plus(query)}"


@register.filter
def answer_options(item):
    """The answers an item offers, as (value, words) pairs; empty for number and text items."""
    return words.answer_options(item.answer_type)
