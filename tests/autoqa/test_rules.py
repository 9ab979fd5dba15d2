"""autoqa.rules and autoqa.utterances on planted utterances: pure functions, no database."""

from autoqa import rules as r
from autoqa import utterances as u
from tests.autoqa.helpers import GOOD_CALL, call


def check(kind, words_or_utterances, **options):
    said = words_or_utterances if words_or_utterances and isinstance(words_or_utterances[0], u.Utterance) \
        else u.from_words(words_or_utterances)
    return r.evaluate(r.RuleSpec(check=kind, **options), said)


def test_phrase_found_with_its_moment():
    verdict = check("find", GOOD_CALL, phrases=("thank you for calling",), speaker="agent")
    assert verdict.passed is True
    [moment] = verdict.moments
    assert (moment.start, moment.speaker, moment.text) == (0.5, "agent", "thank you for calling")
    assert moment.end == 0.5 + 3 * 0.4 + 0.36


def test_fuzzy_match_survives_recognition_errors_but_not_a_different_word():
    misheard = call(("agent", 1.0, "thank you for colling acme my name's sara"))
    assert check("find", misheard, phrases=("thank you for calling",)).passed is True
    assert check("find", misheard, phrases=("thank you for calling",), min_similarity=100).passed is False
    story = call(("agent", 1.0, "let me tell you a story"))
    assert check("find", story, phrases=("sorry",)).passed is False


def test_a_phrase_is_matched_on_whole_words():
    """Issue 14: the greeting "welcome to" was heard in a closing "You're welcome. It's ..." (the stretch
    "welcome it" scored 90). Whole words must match; recognition errors and split words are still heard."""
    closing = call(("agent", 30.0, "You're welcome. It's been a pleasure"), ("agent", 35.0, "you're welcome it is"))
    assert check("find", closing, phrases=("welcome to",)).passed is False
    assert check("find", call(("agent", 1.0, "hello and welcome to acme")), phrases=("welcome to",)).passed is True
    # A homophone the recogniser writes is still heard.
    assert check("find", call(("agent", 1.0, "hello and welcome two acme")), phrases=("welcome to",)).passed is True
    misheard = call(("agent", 1.0, "is their anything else I can do"), ("agent", 9.0, "my name is sara"))
    assert check("find", misheard, phrases=("is there anything else",)).passed is True
    verdict = check("find", call(("agent", 1.0, "hi myname is sarah")), phrases=("my name is",))
    assert verdict.passed is True and verdict.moments[0].text == "myname is"


def test_apostrophes_and_case_do_not_matter():
    words = call(("agent", 1.0, "You’re Welcome."))
    assert check("find", words, phrases=("you're welcome",), min_similarity=100).passed is True


def test_alternatives_and_every_line_required():
    greeting_only = call(("agent", 1.0, "good morning acme how can I help"))
    options = {"phrases": ("thank you for calling | good morning", "my name is | this is"), "require_all": True}
    failed = check("find", greeting_only, **options)
    assert failed.passed is False
    # Issue 14 (fresh-eye walk): the note read "Not found: “my name is | this is” (found “good morning”)".
    assert failed.note == "Found “good morning” at 0:01, but not “my name is” or “this is”."
    nothing = check("find", call(("agent", 1.0, "hello")), phrases=("my name is | this is",), speaker="agent",
                    window="start", window_seconds=15)
    assert nothing.note == "Not found by the agent in the first 15 s: “my name is” or “this is”."
    many = check("find", call(("agent", 1.0, "hello")), phrases=("a b c | d e f | g h i | j k l | m n o", "p q r"))
    assert many.note == "Not found: “a b c”, “d e f”, “g h i” or 3 more."  # short enough to read and to store
    assert check("find", GOOD_CALL, **options).passed is True
    assert check("find", greeting_only, phrases=options["phrases"]).passed is True  # one line is enough


def test_phrases_to_avoid():
    rude = call(("agent", 3.0, "calm down that's not my problem"))
    verdict = check("avoid", rude, phrases=("that's not my problem",), speaker="agent")
    assert verdict.passed is False and verdict.moments[0].start == 3.8
    assert check("avoid", GOOD_CALL, phrases=("that's not my problem",)).passed is True


def test_time_window_from_the_start_and_the_end():
    late = call(("customer", 0.0, "hello hello"), ("agent", 20.0, "thank you for calling acme"))
    assert check("find", late, phrases=("thank you for calling",), window="start", window_seconds=15).passed is False
    assert check("find", late, phrases=("thank you for calling",), window="start", window_seconds=25).passed is True
    closing = {"phrases": ("is there anything else",), "window": "end", "window_seconds": 15}
    assert check("find", GOOD_CALL, **closing).passed is True
    early_question = call(("agent", 1.0, "is there anything else"), ("customer", 60.0, "well my bill is wrong"))
    assert check("find", early_question, **closing).passed is False


def test_speaker_restriction_and_mono():
    customer_said_it = call(("customer", 1.0, "thank you for calling me back"))
    assert check("find", customer_said_it, phrases=("thank you for calling",), speaker="agent").passed is False
    assert check("find", customer_said_it, phrases=("thank you for calling",), speaker="customer").passed is True
    mono = [dict(w, sp="") for w in customer_said_it]
    assert check("find", mono, phrases=("thank you for calling",), speaker="agent").passed is True  # cannot tell


def test_silence_longer_than_the_limit():
    hold = call(("agent", 0.0, "let me check that for you"), ("agent", 47.0, "sorry to keep you waiting"))
    verdict = check("silence", hold, limit_seconds=30)
    assert verdict.passed is False
    [gap] = verdict.moments
    assert (gap.start, gap.end) == (2.0 + 0.36, 47.0)
    assert check("silence", hold, limit_seconds=60).passed is True
    assert check("silence", u.from_text("Customer: hi\nAgent: hello"), limit_seconds=5).passed is None


def test_talk_ratio_on_calls_and_texts():
    words = call(("agent", 0.0, "one two three four five six"), ("customer", 5.0, "one two"))
    assert round(r.talk_ratio(u.from_words(words))) == 75
    assert check("talk_ratio", words, ratio_min=30, ratio_max=70).passed is False
    assert check("talk_ratio", words, ratio_min=30, ratio_max=80).passed is True
    text = u.from_text("Customer: a b c\nAgent: d")
    assert r.talk_ratio(text) == 25
    assert check("talk_ratio", [dict(w, sp="") for w in words], ratio_max=70).passed is None


def test_interruptions_on_stereo():
    talked_over = call(("customer", 0.0, "I have been waiting for my refund for three weeks now"),
                       ("agent", 2.0, "yes yes I know"))
    verdict = check("interruptions", talked_over, max_interruptions=0)
    assert verdict.passed is False and verdict.moments[0].start == 2.0
    assert check("interruptions", talked_over, max_interruptions=1).passed is True
    backchannel = call(("customer", 0.0, "I have been waiting for my refund for three weeks now"), ("agent", 2.0, "mm"))
    assert check("interruptions", backchannel, max_interruptions=0).passed is True
    assert check("interruptions", GOOD_CALL, max_interruptions=0).passed is True
    mono = [dict(w, sp="") for w in talked_over]
    assert check("interruptions", mono, max_interruptions=0).passed is None


def test_text_conversation_becomes_utterances():
    said = u.from_text("Customer: I was charged twice.\n\nAgent (next day): Sorry to keep you waiting.\n"
                       "We will refund you within 3 working days.\nNote: internal", agent_names=["Sarah Jones"])
    assert [(x.speaker, x.text) for x in said] == [
        ("customer", "I was charged twice."),
        ("agent", "Sorry to keep you waiting. We will refund you within 3 working days. Note: internal")]
    assert u.from_text("Sarah: hello", agent_names=["Sarah Jones"])[0].speaker == "agent"
    assert u.from_text("just some text")[0].speaker == ""
    verdict = check("find", said, phrases=("sorry to keep you waiting",), speaker="agent", window="start")
    assert verdict.passed is True and verdict.moments[0].start is None
    assert check("find", said, phrases=("refund you within",), window="start").passed is True
    three = u.from_text("Customer: a\nAgent: b\nCustomer: c\nAgent: is there anything else")
    assert check("find", three, phrases=("is there anything else",), window="start").passed is False
    assert check("find", three, phrases=("is there anything else",), window="end").passed is True


def test_stereo_overlap_keeps_each_sentence_whole():
    words = call(("customer", 0.0, "I was charged twice for my order"), ("agent", 1.0, "oh no sorry"))
    said = u.from_words(words)
    assert [x.text for x in said] == ["I was charged twice for my order", "oh no sorry"]


def test_nothing_said_cannot_be_judged():
    assert r.evaluate(r.RuleSpec(check="find", phrases=("hello",)), []).passed is None
