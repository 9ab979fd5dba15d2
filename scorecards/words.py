"""Codes into words, written once: what pages, exports, calibration results and history
show people instead of the values stored ("partial", "phone_call", "na").

Choice fields already carry their words (their choices' labels); `label()` reads them
for a bare value. Answers are the one kind of value with no choices field: their words
are here."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from scorecards.models import AnswerType, Channel

YES, PARTIAL, NO = "yes", "partial", "no"
ANSWER_WORDS = {YES: _("Yes"), PARTIAL: _("Partly"), NO: _("No")}
NOT_APPLICABLE = _("N/A")

# The values each kind of item offers, in order.
ANSWER_CHOICES = {
    AnswerType.YES_NO: [YES, NO],
    AnswerType.YES_PARTIAL_NO: [YES, PARTIAL, NO],
    AnswerType.SCALE_5: ["1", "2", "3", "4", "5"],
}


def label(choices, value) -> str:
    """A stored choice value in words, by its choices' label (the value itself if unknown)."""
    return str(dict(choices.choices).get(value, value)) if value is not None else ""


def channel_label(value) -> str:
    return label(Channel, value)


def answer_word(value, na: bool = False, answer_type: str = "", unit: str = "") -> str:
    """An answer as the scorer chose it: words for choices, "3 of 5" for a scale, the unit
    naming a number ("Rings: 1", as units are typed in the plural and "1 rings" reads
    wrong), N/A for not applicable; free text as typed."""
    if na or value == "N/A":
        return str(NOT_APPLICABLE)
    if value in ANSWER_WORDS:
        return str(ANSWER_WORDS[value])
    if answer_type == AnswerType.SCALE_5 and value:
        return str(_("%(value)s of 5") % {"value": value})
    if answer_type == AnswerType.NUMBER and value:
        return str(_("%(unit)s: %(value)s") % {"unit": capfirst(unit), "value": value}) if unit else value
    return value or ""


def answer_options(answer_type: str) -> list[tuple[str, str]]:
    """The answers an item offers, as (value, words) pairs; empty for number and text items."""
    return [(value, str(ANSWER_WORDS.get(value, value))) for value in ANSWER_CHOICES.get(answer_type, [])]


# Stored answers whose words differ from the value itself other than by case: an export
# checks for these before writing a row's answers as stored.
RENAMED_ANSWERS = {value: str(word) for value, word in ANSWER_WORDS.items() if str(word).lower() != value}
