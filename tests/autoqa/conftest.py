"""Calls made at test time with Debian's espeak-ng and sox (telephone quality, 8 kHz), and the real speech
model (faster-whisper, the bundled tiny.en), loaded once per session. Synthetic speech is misheard the way
real calls are ("Northwind Felicom"), so phrases are matched fuzzily (rapidfuzz).

Fixtures of the automatic checks' tests: the default scorecards (which bring their default checks)
and interactions with planted transcripts or text."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rapidfuzz import fuzz

from autoqa import speech
from autoqa.models import Transcript
from qa.models import Interaction
from scorecards.defaults import EMAIL_AND_CHAT, PHONE_CALL, install_default_scorecards
from scorecards.models import Channel, Scorecard

AGENT = "Thank you for calling Northwind Telecom, my name is Sarah. How can I help you today?"
CUSTOMER = ("Hello. My card number is 4 5 5 6 7 3 7 5 8 6 8 9 9 8 5 5. "
            "My phone number is 0 7 9 1 1 1 2 3 4 5 6. My email is ann at example dot com. "
            "The code is four five six seven.")
PLANTED_DIGITS = ["4556", "7375", "8689", "9855", "07911", "123456", "4567"]
GREETING = "Thank you for calling. Is there anything else I can help you with today?"


@pytest.fixture(scope="session")
def calls(tmp_path_factory):
    """{"stereo": the agent on the left, then the customer on the right; "mono": a short greeting} as WAV files."""
    if not speech.available():
        pytest.fail("espeak-ng and sox are needed (apt-get install -y espeak-ng sox; .ci/run installs them)")
    folder = tmp_path_factory.mktemp("calls")
    stereo, mono = folder / "stereo.wav", folder / "mono.wav"
    stereo.write_bytes(speech.conversation([("agent", AGENT), ("customer", CUSTOMER)]))
    mono.write_bytes(speech.conversation([("agent", GREETING)], stereo=False))
    return {"stereo": str(stereo), "mono": str(mono), "folder": folder}


@pytest.fixture(scope="session")
def speech_model():
    from autoqa import transcription

    return transcription.get_model()


def found(phrase: str, text: str, at_least: int = 80) -> bool:
    """The phrase is in the text, allowing for recognition errors."""
    return fuzz.partial_ratio(phrase.lower(), text.lower()) >= at_least


@pytest.fixture
def transcription_on(settings, speech_model):
    settings.TRANSCRIPTION = True
    settings.TRANSCRIPTION_MODEL = ""
    settings.TRANSCRIPTION_DEVICE = "cpu"
    return settings


@pytest.fixture
def defaults(world):
    install_default_scorecards(world.admin)
    return {"phone": Scorecard.objects.get(name=PHONE_CALL["name"]).published_version,
            "text": Scorecard.objects.get(name=EMAIL_AND_CHAT["name"]).published_version}


@pytest.fixture
def make_call(world):
    def make(words, employee=None, stereo=True, days_ago=1):
        employee = employee or world.employee_a
        interaction = Interaction.objects.create(
            channel=Channel.PHONE_CALL, location=employee.location, employee=employee,
            occurred_at=timezone.now() - timedelta(days=days_ago), created_by=world.reviewer)
        Transcript.objects.create(interaction=interaction, status=Transcript.Status.DONE, stereo=stereo,
                                  words=words, text=" ".join(w["w"] for w in words),
                                  duration_seconds=max((w["e"] for w in words), default=0))
        return Interaction.objects.select_related("transcript", "employee", "location").get(pk=interaction.pk)
    return make


@pytest.fixture
def make_text(world):
    def make(conversation, channel=Channel.EMAIL, employee=None):
        employee = employee or world.employee_a
        return Interaction.objects.create(
            channel=channel, location=employee.location, employee=employee, conversation=conversation,
            occurred_at=timezone.now() - timedelta(days=1), created_by=world.reviewer)
    return make
