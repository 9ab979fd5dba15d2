"""Counts read as English: a number answer is named by its unit ("Rings: 1", never "1 rings")
and an item failed once says "1 of 1 time"."""

from django.template.loader import render_to_string

from scorecards import words
from scorecards.models import AnswerType


def test_a_number_answer_is_named_by_its_unit():
    assert words.answer_word("1", answer_type=AnswerType.NUMBER, unit="rings") == "Rings: 1"
    assert words.answer_word("3", answer_type=AnswerType.NUMBER, unit="rings") == "Rings: 3"
    assert words.answer_word("3", answer_type=AnswerType.NUMBER) == "3"


def test_failed_once_is_one_time():
    def failed(failures, answered, rate):
        item = {"item__question": "Greeted", "item__section__name": "Welcome", "item__policy_reference": "",
                "failures": failures, "answered": answered, "rate": rate}
        return render_to_string("reports/_failed.html", {"data": {"failed_items": [item]}})
    assert "failed 1 of 1 time (100%)" in failed(1, 1, 100.0)
    assert "failed 7 of 56 times (13%)" in failed(7, 56, 12.5)
