"""The automatic checks: pure functions over utterances (autoqa.utterances), no database,
like scorecards.scoring. Each check returns a `Verdict`: passed (True/False, or None when the
check cannot tell, e.g. interruptions on a mono call) and the moments that justify it.

Rules
-----
* Phrases are compared after `normalise` (lower case, no punctuation, apostrophes dropped,
  so "you're" = "youre"), with RapidFuzz's ratio against stretches of whole words (`_align`):
  the best-matching stretch of an utterance scores 0-100. A phrase is found when that score
  reaches the rule's `min_similarity` (default 85) and each word resembles its counterpart:
  "thank you for colling" still finds "thank you for calling" (95), "sorry" does not find
  "story" (80), nor "welcome to" "you're welcome. It's ..." ("its" is not "to").
* Speaker: only that speaker's utterances are searched. On a mono call or an unlabelled text
  the speaker is unknown, so every utterance is searched (the note says so).
* Time window: "start" N s keeps matches that begin within the first N seconds of speech,
  "end" N s those that begin within the last N seconds. A text has no times: "start" is its
  first `TEXT_WINDOW_MESSAGES` messages and "end" its last.
* Phrases come as lines; a line may offer alternatives separated by "|" ("my name is | this is").
  find: passed when any line is found (with `require_all`, when every line is: "a greeting and
  the agent's name"); evidence: each line's best match. avoid: passed when no alternative of any
  line is found; evidence: what was said.
* silence: passed when no gap between speech (anyone's) is longer than `limit_seconds`
  (evidence: each long gap). Needs times.
* talk_ratio: the agent's share of speech (seconds on a call, words in a text) within
  [ratio_min, ratio_max] percent. Needs the speakers told apart.
* interruptions: an utterance of `speaker` (default the agent) that starts while the other
  side is still speaking, at least `OVERLAP_SECONDS` before they stop, and is at least two
  words long (a "mm-hmm" is not an interruption). Passed when there are at most
  `max_interruptions`. Needs a stereo call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from autoqa.utterances import AGENT, CUSTOMER, UNKNOWN, Utterance

FIND = "find"
AVOID = "avoid"
SILENCE = "silence"
TALK_RATIO = "talk_ratio"
INTERRUPTIONS = "interruptions"

START = "start"
END = "end"

TEXT_WINDOW_MESSAGES = 2
OVERLAP_SECONDS = 0.3
DEFAULT_SIMILARITY = 85


@dataclass(frozen=True)
class Moment:
    start: float | None
    end: float | None
    speaker: str
    text: str
    why: str = ""

    def as_dict(self) -> dict:
        return {"s": self.start, "e": self.end, "sp": self.speaker, "text": self.text, "why": self.why}


@dataclass(frozen=True)
class Verdict:
    passed: bool | None
    moments: tuple[Moment, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Match:
    phrase: str
    similarity: float
    moment: Moment


@dataclass(frozen=True)
class RuleSpec:
    check: str
    phrases: tuple[str, ...] = ()
    min_similarity: int = DEFAULT_SIMILARITY
    speaker: str = ""
    window: str = ""
    window_seconds: float | None = None
    limit_seconds: float | None = None
    ratio_min: float | None = None
    ratio_max: float | None = None
    max_interruptions: int | None = None
    require_all: bool = False


_PUNCTUATION = re.compile(r"[^\w\s\[\]]")


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("'", "")
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    total = int(seconds)
    return f"{total // 60}:{total % 60:02d}"


def _speech_bounds(utterances: list[Utterance]) -> tuple[float, float]:
    timed = [u for u in utterances if u.timed]
    if not timed:
        return 0.0, 0.0
    return min(u.start for u in timed), max(u.end for u in timed)


def _searched(utterances: list[Utterance], speaker: str) -> list[Utterance]:
    if not speaker or not any(u.speaker for u in utterances):
        return list(utterances)  # mono / unlabelled: whoever said it
    return [u for u in utterances if u.speaker == speaker]


def _text_window(utterances: list[Utterance], window: str) -> set[int]:
    ids = [id(u) for u in utterances]
    if window == START:
        return set(ids[:TEXT_WINDOW_MESSAGES])
    if window == END:
        return set(ids[-TEXT_WINDOW_MESSAGES:])
    return set(ids)


@lru_cache(maxsize=8192)
def _prepared(utterance: Utterance) -> tuple[str, tuple]:
    """The utterance's normalised text and, for timed words, each word's span in it: computed once per
    utterance, however many phrases are looked for in it."""
    if not utterance.words:
        return normalise(utterance.text), ()
    spans, parts, offset = [], [], 0
    for word in utterance.words:
        norm = normalise(word.text)
        if not norm:
            continue
        spans.append((offset, offset + len(norm), word))
        parts.append(norm)
        offset += len(norm) + 1
    return " ".join(parts), tuple(spans)


# A phrase is compared with whole words of what was said, never with a stretch cut inside a word: "welcome
# to" is not heard in "you're welcome. It's ..." (the stretch "welcome it" scores 90). Word for word, each
# word must resemble its counterpart (WORD_SIMILARITY: "colling" for "calling" 86, "there" for "their" 80, but
# not "it" or "its" for "to", 50 and 40); a word split or merged by the recogniser ("my name" / "myname") is
# compared without spaces, and then the whole must be closer (SPLIT_SIMILARITY).
WORD_SIMILARITY = 60
SPLIT_SIMILARITY = 90
PREFILTER_MARGIN = 15  # the character-level look may score a whole-word stretch a little lower or higher


@lru_cache(maxsize=4096)
def _windows(text: str, size: int) -> tuple[list[str], list[str], list[tuple[int, int]]]:
    """Every stretch of `size` whole words of the text: spaced, without spaces, and where it lies in the
    text. Cached: an utterance is searched for many phrases."""
    words, offsets, position = text.split(), [], 0
    for word in words:
        position = text.index(word, position)
        offsets.append((position, position + len(word)))
        position += len(word)
    stretches = [words[i:i + size] for i in range(len(words) - size + 1)]
    return ([" ".join(w) for w in stretches], ["".join(w) for w in stretches],
            [(offsets[i][0], offsets[i + size - 1][1]) for i in range(len(stretches))])


def _align(phrase_norm: str, text: str, cutoff: float = 0) -> tuple[float, int, int]:
    """(similarity, start, end in text) of the phrase's best stretch of whole words of the text: stretches
    of as many words as the phrase (each word alike, WORD_SIMILARITY), or one word fewer or more (a word
    split or merged, compared without spaces). (0, 0, 0) when no stretch reaches `cutoff`."""
    phrase_words = phrase_norm.split()
    count = len(text.split())
    if not count or not phrase_words:
        return 0.0, 0, 0
    # A quick look first (C speed): a text with no stretch even roughly like the phrase is not read word by word.
    if cutoff and len(text) >= len(phrase_norm) and not fuzz.partial_ratio(
            phrase_norm, text, score_cutoff=max(0, cutoff - PREFILTER_MARGIN)):
        return 0.0, 0, 0
    n = len(phrase_words)
    best = (0.0, 0, 0)
    for size in (n, n - 1, n + 1):
        if size < 1 or size > count:
            continue
        spaced, packed, spans = _windows(text, size)
        if size == n:
            found = process.extract(phrase_norm, spaced, scorer=fuzz.ratio, score_cutoff=cutoff or None, limit=None)
            found = [(score, i) for _stretch, score, i in found
                     if all(fuzz.ratio(a, b) >= WORD_SIMILARITY for a, b in zip(phrase_words, spaced[i].split()))]
        else:
            found = [(score, i) for _stretch, score, i in process.extract(
                "".join(phrase_words), packed, scorer=fuzz.ratio, score_cutoff=max(cutoff, SPLIT_SIMILARITY),
                limit=None)]
        for score, i in found:
            if score > best[0] or (score == best[0] and best[0] and spans[i][0] < best[1]):
                best = (score, *spans[i])
    return best


def _placed(utterance: Utterance, phrase_norm: str, cutoff: float = 0) -> tuple[float, float | None, float | None, str]:
    """The best stretch of the utterance for the phrase: (similarity, start, end, what was said);
    similarity 0 when it is below `cutoff` (not worth placing)."""
    text, spans = _prepared(utterance)
    if not utterance.words:
        score, start, end = _align(phrase_norm, text, cutoff)
        return score, utterance.start, utterance.end, _quote(utterance.text, start, end, text)
    # Timed words: align on the normalised words, then read the times of the words covered.
    if not spans:
        return 0.0, utterance.start, utterance.end, ""
    score, start, end = _align(phrase_norm, text, cutoff)
    covered = [w for a, b, w in spans if b > start and a < end] or [spans[0][2]]
    return score, covered[0].start, covered[-1].end, " ".join(w.text for w in covered)


def _quote(original: str, start: int, end: int, normalised_text: str) -> str:
    """Roughly the same stretch of the original text (normalising keeps word order and count)."""
    words_before = len(normalised_text[:start].split())
    length = max(1, len(normalised_text[start:end].split()))
    return " ".join(original.split()[words_before:words_before + length])


def find_phrases(utterances: list[Utterance], phrases, *, min_similarity: int = DEFAULT_SIMILARITY,
                 speaker: str = "", window: str = "", window_seconds: float | None = None) -> list[Match]:
    """Each phrase's best match within the speaker and the window, when it reaches min_similarity."""
    searched = _searched(utterances, speaker)
    timed = any(u.timed for u in utterances)
    first, last = _speech_bounds(utterances)
    allowed = None if timed or not window else _text_window(utterances, window)
    found = []
    for phrase in phrases:
        phrase_norm = normalise(phrase)
        if not phrase_norm:
            continue
        best = None
        for utterance in searched:
            if allowed is not None and id(utterance) not in allowed:
                continue
            similarity, start, end, said = _placed(utterance, phrase_norm, min_similarity)
            if similarity < min_similarity:
                continue
            if timed and window and window_seconds is not None and start is not None:
                if window == START and start > first + window_seconds:
                    continue
                if window == END and start < last - window_seconds:
                    continue
            if best is None or similarity > best.similarity:
                best = Match(phrase, similarity, Moment(start, end, utterance.speaker, said or utterance.text,
                                                        f"“{phrase}” ({similarity:.0f}% similar)"))
        if best is not None:
            found.append(best)
    return found


def _where(spec: RuleSpec) -> str:
    parts = []
    if spec.speaker:
        parts.append({AGENT: "by the agent", CUSTOMER: "by the customer"}.get(spec.speaker, ""))
    if spec.window == START:
        parts.append(f"in the first {spec.window_seconds:g} s" if spec.window_seconds is not None else "at the start")
    elif spec.window == END:
        parts.append(f"in the last {spec.window_seconds:g} s" if spec.window_seconds is not None else "at the end")
    return " ".join(p for p in parts if p)


def alternatives(line: str) -> list[str]:
    return [part.strip() for part in line.split("|") if part.strip()]


def phrases_of(lines) -> list[str]:
    """Every phrase of a list written as the lead writes it (a rule's phrases, a phrase alert): one
    line each, alternatives on a line separated by "|"."""
    return [alt for line in lines for alt in alternatives(line)]


def _either(phrases: list[str], shown: int = 3) -> str:
    """Phrases as a reader says them: “my name is” or “this is”; a long list is cut after `shown`
    (“a”, “b”, “c” or 4 more), so a note stays short enough to read (and to store)."""
    quoted = [f"“{p}”" for p in phrases]
    if len(quoted) > shown + 1:
        return ", ".join(quoted[:shown]) + f" or {len(quoted) - shown} more"
    return " or ".join(quoted) if len(quoted) < 3 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _missing(lines: list[str], every: bool) -> str:
    """What was listened for and not heard: each line when every line is needed ("…; and …"), else one list."""
    if every:
        return "; and ".join(_either(alternatives(line) or [line]) for line in lines)
    return _either(phrases_of(lines))


def _said(matches) -> str:
    return "; ".join(f"“{m.moment.text}”" + (f" at {clock(m.moment.start)}" if m.moment.start is not None else "")
                     for m in matches)


def check_find(utterances: list[Utterance], spec: RuleSpec) -> Verdict:
    """The note says plainly what was heard and what was not: "Found “…” at 0:01 (in the first 15 s).",
    "Found “thank you for calling” at 0:01, but not “my name is” or “this is” (in the first 15 s).",
    "Not found in the first 15 s: “my name is” or “this is”."."""
    where = _where(spec)
    matches, missing = [], []
    for line in spec.phrases:
        found = find_phrases(utterances, alternatives(line), min_similarity=spec.min_similarity,
                             speaker=spec.speaker, window=spec.window, window_seconds=spec.window_seconds)
        if found:
            matches.append(max(found, key=lambda m: m.similarity))
        else:
            missing.append(line)
    not_found = f"Not found{(' ' + where) if where else ''}: " + _missing(missing, spec.require_all)
    if spec.require_all and missing and matches:
        return Verdict(False, tuple(m.moment for m in matches),
                       f"Found {_said(matches)}, but not " + _missing(missing, True)
                       + (f" ({where})" if where else "") + ".")
    if matches:
        return Verdict(True, tuple(m.moment for m in matches),
                       f"Found {_said(matches)}" + (f" ({where})" if where else "") + ".")
    return Verdict(False, (), not_found + ".")


def check_avoid(utterances: list[Utterance], spec: RuleSpec) -> Verdict:
    """Passed when nothing to avoid was said; the note then says so (and where it was listened for)."""
    where = _where(spec)
    matches = find_phrases(utterances, phrases_of(spec.phrases),
                           min_similarity=spec.min_similarity, speaker=spec.speaker,
                           window=spec.window, window_seconds=spec.window_seconds)
    if matches:
        return Verdict(False, tuple(m.moment for m in matches),
                       f"Said what should be avoided{(' ' + where) if where else ''}: {_said(matches)}.")
    return Verdict(True, (), f"None of the phrases to avoid was said{(' ' + where) if where else ''}.")


def speech_intervals(utterances: list[Utterance]) -> list[tuple[float, float]]:
    """Stretches when anyone speaks, merged across speakers (from the words where there are)."""
    spans = []
    for u in utterances:
        if not u.timed:
            continue
        spans.extend((w.start, w.end) for w in u.words) if u.words else spans.append((u.start, u.end))
    spans.sort()
    merged: list[list[float]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def silences(utterances: list[Utterance], longer_than: float) -> list[Moment]:
    """Gaps in the conversation (nobody speaking) longer than `longer_than` seconds."""
    spans = speech_intervals(utterances)
    return [Moment(a_end, b_start, UNKNOWN, "", f"{b_start - a_end:.0f} s of silence")
            for (_a, a_end), (b_start, _b) in zip(spans, spans[1:]) if b_start - a_end > longer_than]


def check_silence(utterances: list[Utterance], spec: RuleSpec) -> Verdict:
    if not any(u.timed for u in utterances):
        return Verdict(None, (), "A written conversation has no silences to measure.")
    limit = spec.limit_seconds if spec.limit_seconds is not None else 30
    gaps = silences(utterances, limit)
    if gaps:
        longest = max(m.end - m.start for m in gaps)
        return Verdict(False, tuple(gaps), f"{len(gaps)} silence(s) or hold(s) longer than {limit:g} s "
                                           f"(longest {longest:.0f} s).")
    return Verdict(True, (), f"No silence or hold longer than {limit:g} s.")


def talk_shares(utterances: list[Utterance]) -> dict[str, float]:
    """Each side's amount of speech: seconds of words on a call, words in a text."""
    shares = {AGENT: 0.0, CUSTOMER: 0.0}
    for u in utterances:
        if u.speaker not in shares:
            continue
        if u.words:
            shares[u.speaker] += sum(w.end - w.start for w in u.words)
        elif u.timed:
            shares[u.speaker] += u.end - u.start
        else:
            shares[u.speaker] += len(u.text.split())
    return shares


def talk_ratio(utterances: list[Utterance]) -> float | None:
    """The agent's share of the speech, in percent; None when the speakers are not told apart."""
    shares = talk_shares(utterances)
    total = shares[AGENT] + shares[CUSTOMER]
    if not total or not shares[AGENT] or not shares[CUSTOMER]:
        return None
    return 100 * shares[AGENT] / total


def check_talk_ratio(utterances: list[Utterance], spec: RuleSpec) -> Verdict:
    ratio = talk_ratio(utterances)
    if ratio is None:
        return Verdict(None, (), "The agent's and the customer's speech are not told apart (mono or unlabelled).")
    low = spec.ratio_min if spec.ratio_min is not None else 0
    high = spec.ratio_max if spec.ratio_max is not None else 100
    unit = "of the speaking time" if any(u.timed for u in utterances) else "of the words"
    note = f"The agent had {ratio:.0f}% {unit} (wanted {low:g}-{high:g}%)."
    return Verdict(low <= ratio <= high, (), note)


def interruptions(utterances: list[Utterance], by: str = AGENT) -> list[Moment]:
    """Utterances of `by` that start while the other side is still speaking (see the module's rules)."""
    other = CUSTOMER if by == AGENT else AGENT
    theirs = [u for u in utterances if u.speaker == other and u.timed]
    found = []
    for u in utterances:
        if u.speaker != by or not u.timed or len(u.text.split()) < 2:
            continue
        for t in theirs:
            if t.start < u.start and t.end - u.start >= OVERLAP_SECONDS:
                found.append(Moment(u.start, u.end, by, u.text, f"talked over “{_short(t.text)}”"))
                break
    return found


def _short(text: str, words: int = 6) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def check_interruptions(utterances: list[Utterance], spec: RuleSpec) -> Verdict:
    if not any(u.timed and u.speaker for u in utterances):
        return Verdict(None, (), "Interruptions are measured on stereo calls only (one speaker per channel).")
    by = spec.speaker or AGENT
    found = interruptions(utterances, by)
    allowed = spec.max_interruptions or 0
    who = "The agent" if by == AGENT else "The customer"
    return Verdict(len(found) <= allowed, tuple(found),
                   f"{who} interrupted {len(found)} time(s) (at most {allowed} allowed).")


CHECKS = {
    FIND: check_find,
    AVOID: check_avoid,
    SILENCE: check_silence,
    TALK_RATIO: check_talk_ratio,
    INTERRUPTIONS: check_interruptions,
}


def evaluate(spec: RuleSpec, utterances: list[Utterance]) -> Verdict:
    """Run one rule. Nothing said at all cannot be judged."""
    if not utterances:
        return Verdict(None, (), "Nothing was said or written to check.")
    return CHECKS[spec.check](utterances, spec)
