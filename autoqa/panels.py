"""The transcript beside the player (qa.extensions.interaction_panels): on the scoring screen and on the
evaluation page, for whoever reaches the interaction (qa.scoping.interactions_for, the same rule as the
recording). A transcript belongs to the interaction, not to a score, so blind calibration hides nothing here:
every reviewer of a calibration call hears the same call."""

from django.conf import settings

from autoqa.models import Transcript
from qa import scoping
from qa.models import Recording

# A new turn starts when the speaker changes or after a pause this long (seconds).
TURN_PAUSE = 1.5


def turns(words: list[dict]) -> list[dict]:
    """Words grouped into turns: [{"sp", "s", "words": [{"i", "s", "e", "w", "tag"}]}]."""
    out = []
    for index, word in enumerate(words):
        current = out[-1] if out else None
        if current is None or word.get("sp", "") != current["sp"] or word["s"] - current["end"] > TURN_PAUSE:
            current = {"sp": word.get("sp", ""), "s": word["s"], "end": word["e"], "words": []}
            out.append(current)
        text = word["w"]
        current["words"].append({"i": index, "s": word["s"], "e": word["e"], "w": text,
                                 "tag": text.startswith("[") and text.endswith("]")})
        current["end"] = max(current["end"], word["e"])
    return out


def transcript_panel(request, interaction, evaluation=None):
    if not scoping.interactions_for(request.user).filter(pk=interaction.pk).exists():
        return None
    transcript = Transcript.objects.filter(interaction=interaction).first()
    if transcript is None and not Recording.objects.filter(interaction=interaction).exists():
        return None  # an email or a chat: its text is on the page already
    return {"template": "autoqa/_transcript.html", "context": {
        "transcript": transcript,
        "turns": turns(transcript.words) if transcript and transcript.status == Transcript.Status.DONE else [],
        "enabled": settings.TRANSCRIPTION,
    }}
