"""Personal data out of text and timed words: each kind planted, found, and replaced by its tag; what was said
is never in the result; ordinary words and small numbers stay."""

import pytest

from autoqa.redaction import redact_text, redact_words


@pytest.mark.parametrize("text, planted, tag", [
    ("Pay with 4556 7375 8689 9855 please", "4556 7375 8689 9855", "[card number]"),
    ("card 4556-7375-8689-9855.", "4556-7375-8689-9855", "[card number]"),
    ("Call me on 07911 123456 tomorrow", "07911 123456", "[phone number]"),
    ("or +44 20 7946 0958 at work", "20 7946 0958", "[phone number]"),
    ("Write to ann.smith@example.co.uk today", "ann.smith@example.co.uk", "[email address]"),
    ("it is ann dot smith at example dot com thanks", "smith at example", "[email address]"),
    ("my email in my example .com, the code", "example", "[email address]"),  # as recognition hears it
    ("my email in my example not com the coding", "example", "[email address]"),
    ("IBAN GB82 WEST 1234 5698 7654 32 for the refund", "GB82 WEST 1234", "[bank details]"),
    ("sort code 20-00-00 and account number 12345678", "12345678", "[bank details]"),
    ("my sort code is 40 47 84", "40 47 84", "[bank details]"),
    ("I live at SW1A 1AA, London", "SW1A 1AA", "[postcode]"),
    ("postcode m1 1ae", "m1 1ae", "[postcode]"),
    ("the pin is four five six seven", "four five six seven", "[number]"),
    ("it's double four oh one two", "double four oh one two", "[number]"),
    ("The code in 4, 5, 6, 7.", "4, 5, 6, 7", "[number]"),
    ("reference 98765432", "98765432", "[number]"),
    ("the code in 45 6 7.", "45 6 7", "[number]"),
    ("my pin is 4567", "4567", "[number]"),
])
def test_each_kind_in_text_is_replaced_by_its_tag(text, planted, tag):
    redacted = redact_text(text)
    assert planted not in redacted
    assert tag in redacted


def test_ordinary_words_and_small_numbers_stay():
    assert redact_text("I have not co-signed it, it is not common") == "I have not co-signed it, it is not common"
    text = "At one point I saw five of them in 2024 for £15.99. Oh, thanks! Call me at 10:30."
    assert redact_text(text) == text
    assert redact_text("") == ""


def test_a_number_misheard_in_pieces_goes_as_a_whole():
    """A card number read out comes back from recognition as groups with words between them."""
    redacted = redact_text("Hello, my card number in 4556, 737, I made 6895.")
    assert "4556" not in redacted and "737" not in redacted and "6895" not in redacted


def test_timed_words_keep_the_span_times_and_each_speaker_apart():
    words = [{"s": 0.0, "e": 0.4, "w": "my", "sp": "customer"}, {"s": 0.4, "e": 0.8, "w": "number", "sp": "customer"},
             {"s": 0.9, "e": 1.0, "w": "okay", "sp": "agent"},
             {"s": 1.0, "e": 1.6, "w": "07911", "sp": "customer"}, {"s": 1.7, "e": 2.5, "w": "123456.", "sp": "customer"},
             {"s": 2.6, "e": 3.0, "w": "thanks", "sp": "customer"}]
    redacted, spans = redact_words(words)
    assert [w["w"] for w in redacted] == ["my", "number", "okay", "[phone number]", "thanks"]
    assert redacted[3] == {"s": 1.0, "e": 2.5, "w": "[phone number]", "sp": "customer"}
    assert spans == [{"kind": "phone", "s": 1.0, "e": 2.5, "sp": "customer"}]
    assert all(set(w) == {"s", "e", "w", "sp"} for w in redacted)
