"""The real speech model on calls made with espeak-ng: phrases come through, word times are plausible,
each channel of a stereo call is a speaker, and personal data said aloud is gone once redacted."""

import pytest

from autoqa import redaction, transcription
from tests.autoqa.conftest import PLANTED_DIGITS, found


@pytest.fixture(scope="module")
def stereo(calls, speech_model):
    return transcription.transcribe_file(calls["stereo"])


@pytest.fixture(scope="module")
def mono(calls, speech_model):
    return transcription.transcribe_file(calls["mono"])


def text_of(words, speaker=None):
    return " ".join(w["w"] for w in words if speaker is None or w["sp"] == speaker)


def test_a_mono_call_is_one_track_with_its_phrases(mono):
    assert not mono.stereo
    assert {w["sp"] for w in mono.words} == {""}
    text = text_of(mono.words)
    assert found("thank you for calling", text)
    assert found("anything else I can help you with", text)


def test_word_times_are_in_order_and_within_the_call(mono, stereo):
    for result in (mono, stereo):
        starts = [w["s"] for w in result.words]
        assert starts == sorted(starts)
        assert all(0 <= w["s"] <= w["e"] <= result.duration for w in result.words)
        assert result.words[-1]["e"] > result.duration / 2  # the whole call, not its first sentence


def test_each_channel_of_a_stereo_call_is_a_speaker(stereo):
    assert stereo.stereo
    agent, customer = text_of(stereo.words, "agent"), text_of(stereo.words, "customer")
    assert found("thank you for calling", agent) and found("how can I help you", agent)
    assert found("my card number", customer) and not found("thank you for calling", customer)
    assert not found("my card number", agent)
    first_customer = min(w["s"] for w in stereo.words if w["sp"] == "customer")
    last_agent = max(w["e"] for w in stereo.words if w["sp"] == "agent")
    assert first_customer >= last_agent - 0.5  # the customer answers after the agent, as recorded


def test_personal_data_said_aloud_is_redacted(stereo):
    words, spans = redaction.redact_words(stereo.words)
    text = text_of(words)
    for digits in PLANTED_DIGITS:
        assert digits not in text.replace(" ", "").replace(",", "")
    assert "[email address]" in text
    assert text.count("[") >= 3  # card, phone and the code at least
    assert all(span["sp"] == "customer" for span in spans)
    assert found("thank you for calling", text)  # the rest stays


def test_a_file_that_is_not_audio_is_refused_with_a_reason(tmp_path):
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt " + b"\x00" * 40)
    with pytest.raises(transcription.TranscriptionError):
        transcription.transcribe_file(str(junk))
