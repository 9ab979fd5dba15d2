from django import template
from django.utils.translation import gettext as _

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
def kept_note(form):
    """What a form sent back with errors keeps, for its error summary (templates/bootstrap5/errors.html): a
    password is never sent back to the page, and no browser can put a chosen file back into a file field, so the
    summary does not promise that everything is kept when the form has either."""
    widgets = {field.widget_type for field in form.visible_fields()}
    typed = widgets - {"password", "file", "clearablefile"}
    files = bool(widgets & {"file", "clearablefile"})
    password = "password" in widgets
    if files and not typed and not password:
        return _("Choose the file again: a browser cannot keep a chosen file.")
    if files and password:
        return _("Everything you typed is kept, except passwords; choose the file again: a browser cannot keep a "
                 "chosen file.")
    if files:
        return _("Everything you typed is kept; choose the file again: a browser cannot keep a chosen file.")
    if password:
        return _("Everything you typed is kept, except passwords.")
    return _("Everything you typed is kept.")


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
