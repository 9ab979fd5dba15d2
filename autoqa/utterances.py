"""One shape for what was said, whatever the channel: a list of utterances.

A call's transcript (autoqa.models.Transcript.words, timed words with their speaker) and an
email, chat or post (qa.Interaction.conversation, text with "Customer:" / "Agent:" labels)
both become `Utterance`s, so every rule in autoqa.rules reads one thing and works on both.

Calls: consecutive words of one speaker with pauses shorter than `PAUSE_SECONDS` make one
utterance, with its start and end and the words' own times (so a phrase found inside it is
placed to the word). Text: one utterance per labelled paragraph or line; times are None.
Pure functions, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

AGENT = "agent"
CUSTOMER = "customer"
UNKNOWN = ""

# A pause longer than this between two words of one speaker starts a new utterance.
PAUSE_SECONDS = 1.0

# "Customer:", "Agent (next day):", "Sarah from Support:" at the start of a line.
LABEL = re.compile(r"^\s*([^:\n]{1,40}?)\s*(?:\([^)\n]*\))?\s*:\s*(.*)$")
CUSTOMER_WORDS = ("customer", "client", "caller", "guest", "user", "member", "buyer", "shopper")
AGENT_WORDS = ("agent", "advisor", "adviser", "support", "staff", "employee", "team", "service", "rep", "store",
               "company", "us", "we", "assistant", "operator", "colleague")


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Utterance:
    speaker: str  # AGENT, CUSTOMER or UNKNOWN (a mono recording, an unlabelled text)
    start: float | None
    end: float | None
    text: str
    words: tuple[Word, ...] = field(default=(), compare=False)

    @property
    def timed(self) -> bool:
        return self.start is not None


def from_words(words: list[dict]) -> list[Utterance]:
    """A transcript's words ({"s", "e", "w", "sp"}) as utterances, in time order. Each speaker's
    words are grouped on their own, so on a stereo call one side talking over the other does not
    cut either side's sentence into pieces."""
    by_speaker: dict[str, list[Word]] = {}
    for raw in words or []:
        text = str(raw.get("w") or "").strip()
        if not text:
            continue
        start = float(raw.get("s") or 0)
        by_speaker.setdefault(raw.get("sp") or UNKNOWN, []).append(Word(start, float(raw.get("e") or start), text))
    utterances: list[Utterance] = []
    for speaker, spoken in by_speaker.items():
        spoken.sort(key=lambda w: (w.start, w.end))
        current: list[Word] = []
        for word in spoken:
            if current and word.start - current[-1].end > PAUSE_SECONDS:
                utterances.append(_joined(speaker, current))
                current = []
            current.append(word)
        if current:
            utterances.append(_joined(speaker, current))
    return sorted(utterances, key=lambda u: (u.start, u.end))


def _joined(speaker, words: list[Word]) -> Utterance:
    return Utterance(speaker=speaker, start=words[0].start, end=max(w.end for w in words),
                     text=" ".join(w.text for w in words), words=tuple(words))


def speaker_of(label: str, agent_names=()) -> str | None:
    """Who a line's label names, or None when it is not a speaker label ("Note: ...")."""
    lowered = label.strip().lower()
    if not lowered:
        return None
    tokens = set(re.findall(r"[a-z']+", lowered))
    if tokens & set(CUSTOMER_WORDS):
        return CUSTOMER
    if tokens & set(AGENT_WORDS):
        return AGENT
    for name in agent_names:
        if name and name.lower().split()[0] in tokens:
            return AGENT
    return None


def from_text(conversation: str, agent_names=()) -> list[Utterance]:
    """An email, chat or post as utterances. A line that starts with a speaker's label starts a
    new utterance; lines without one continue the one before. Unlabelled text is one utterance
    whose speaker is unknown."""
    utterances: list[tuple[str, list[str]]] = []
    for line in (conversation or "").splitlines():
        if not line.strip():
            continue
        match = LABEL.match(line)
        who = speaker_of(match.group(1), agent_names) if match else None
        if who is not None:
            utterances.append((who, [match.group(2).strip()]))
        elif utterances:
            utterances[-1][1].append(line.strip())
        else:
            utterances.append((UNKNOWN, [line.strip()]))
    return [Utterance(speaker=who, start=None, end=None, text=" ".join(p for p in parts if p))
            for who, parts in utterances if any(parts)]


def stereo(utterances: list[Utterance]) -> bool:
    """Whether the speakers are told apart (a stereo call, a labelled conversation)."""
    return any(u.speaker for u in utterances)


def for_interaction(interaction) -> list[Utterance]:
    """The interaction's utterances: its transcript's when it has a finished one, else its text."""
    transcript = getattr(interaction, "transcript", None)
    if transcript is not None and transcript.status == "done" and transcript.words:
        return from_words(transcript.words)
    names = [interaction.employee.name] if interaction.employee_id else []
    return from_text(interaction.conversation, names)
