"""Personal data taken out of transcripts and texts before anything is stored or logged.

One set of detectors runs over plain text (`redact_text`, also for emails and chats) and over a transcript's
timed words (`redact_words`, which keeps each removed span's times so the audio can be silenced there). Each
finding is replaced by a tag naming its kind, e.g. "[card number]"; what was said is never kept.

What is found, in this order (an earlier kind wins where two overlap):
- e-mail addresses, written ("ann@example.com"), spoken ("ann dot smith at example dot com") or what is left
  of one once heard ("that example .com": up to three words before a mail domain's ending);
- bank details: IBANs (checked with python-stdnum), UK sort codes ("20-00-00", or six digits after
  "sort code") and account numbers (eight digits after "account");
- card numbers: 13 to 19 digits, spaces or dashes allowed, passing the Luhn check;
- phone numbers: whatever `phonenumbers` recognises as a valid number, in PHONE_REGION (default GB) or
  written internationally;
- postcodes: UK postcodes ("SW1A 1AA", "m1 1ae");
- digit runs: any other run of 6 or more digits, or of 4 or more in three or more groups ("four five six
  seven", "double four", "oh" for zero; "4, 5, 6, 7", "45 6 7"), or of 4 or more after a word such as
  "code", "pin", "number" or "reference" ("the code is 4567"). Speech recognition drops and merges digits (a card number read
  out comes back as "4556, 737, I made 6895"), so well-formed numbers are not enough; a group of 3 or
  more digits within three words of a span already removed is removed with it.
Spoken number words are read as digits only to find these; words that are not redacted are kept as said."""

import re
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban
from stdnum import luhn

KINDS = {
    "email": _("email address"),
    "bank": _("bank details"),
    "card": _("card number"),
    "phone": _("phone number"),
    "postcode": _("postcode"),
    "digits": _("number"),
}


def tag(kind: str) -> str:
    """What replaces a finding, e.g. "[card number]" (in English in stored text, whatever the viewer's language)."""
    return f"[{TAG_WORDS[kind]}]"


TAG_WORDS = {"email": "email address", "bank": "bank details", "card": "card number", "phone": "phone number",
             "postcode": "postcode", "digits": "number"}

DIGIT_WORDS = {"zero": "0", "oh": "0", "nought": "0", "one": "1", "two": "2", "three": "3", "four": "4",
               "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
REPEATS = {"double": 2, "triple": 3}
_DIGIT_NAMES = "zero|nought|one|two|three|four|five|six|seven|eight|nine"
# "oh" is a zero only when more digits follow ("oh one two"), not the "Oh, thanks" of a sentence.
NUMBER_WORD = re.compile(rf"\b(?:(double|triple)[\s-]+)?({_DIGIT_NAMES}|oh(?=[\s-]+(?:\d|{_DIGIT_NAMES}|oh|double|triple)\b))\b",
                         re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int


def normalise(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text with spoken digits written as digits, and for each character of it the span of the
    original text it came from (so findings map back to what was said)."""
    out, where, last = [], [], 0
    for match in NUMBER_WORD.finditer(text):
        for i in range(last, match.start()):
            out.append(text[i])
            where.append((i, i + 1))
        digit = DIGIT_WORDS[match.group(2).lower()]
        times = REPEATS[match.group(1).lower()] if match.group(1) else 1
        for _n in range(times):
            out.append(digit)
            where.append((match.start(), match.end()))
        last = match.end()
    for i in range(last, len(text)):
        out.append(text[i])
        where.append((i, i + 1))
    return "".join(out), where


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# What is left of a spoken address once recognition has mangled it ("ann at example dot com" heard as
# "that example .com" or "my example not com"): up to three words before a mail domain's ending. "not" only
# before com, org and net, where ordinary speech never puts it ("not co-signed" stays).
HEARD_EMAIL = re.compile(r"(?:\b[\w'-]+[\s,]+){0,3}[\w-]*(?:(?:\.|\bdot\s+)(?:com|co\s*\.?\s*uk|org|net|co)"
                         r"|\bnot\s+(?:com|org|net))\b", re.IGNORECASE)
SPOKEN_EMAIL = re.compile(
    r"\b[\w'-]+(?:[\s,]+(?:dot|underscore|dash|hyphen)[\s,]+[\w'-]+)*[\s,]+at[\s,]+[\w-]+"
    r"(?:[\s,]+dot[\s,]+[\w-]+)+", re.IGNORECASE)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b", re.IGNORECASE)
SORT_CODE = re.compile(r"(?P<num>\b\d{2}-\d{2}-\d{2}\b)|sort code[\s:,a-z]{0,8}?(?P<spoken>\d{2}[\s-]?\d{2}[\s-]?\d{2}\b)",
                       re.IGNORECASE)
ACCOUNT = re.compile(r"account[\s:,.a-z]{0,12}?(?P<num>\b\d(?:[\s-]?\d){7}\b)", re.IGNORECASE)
CARD = re.compile(r"\b\d(?:[\s,.-]{0,2}\d){12,18}\b")
POSTCODE = re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE)
DIGIT_RUN = re.compile(r"\d(?:[\s,.-]{0,2}\d)*")
NEAR_GROUP = re.compile(r"\d{3,}")
# Four or more digits (however they were grouped) after a word that announces a secret or an identifier.
AFTER_A_KEYWORD = re.compile(r"\b(?:pin|code|passcode|password|number|account|reference|security|digits|card)\b"
                             r"[\s,:]+(?:(?:is|in|it's|was|are|of|the|my|it|s)[\s,:]+){0,3}"
                             r"(?P<num>\d(?:[\s,.-]{0,2}\d){3,})", re.IGNORECASE)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def find(text: str) -> list[Finding]:
    """Every finding in the text (spans of the original text), earlier kinds first, none overlapping."""
    norm, where = normalise(text)
    found: list[Finding] = []
    taken = [False] * len(norm)

    def add(kind, start, end):
        while start < end and not (norm[start].isalnum() or norm[start] == "+" and kind == "phone"):
            start += 1
        while end > start and not norm[end - 1].isalnum():
            end -= 1
        if start >= end or any(taken[start:end]):
            return
        for i in range(start, end):
            taken[i] = True
        found.append(Finding(kind, where[start][0], where[end - 1][1]))

    for pattern in (EMAIL, SPOKEN_EMAIL, HEARD_EMAIL):
        for m in pattern.finditer(norm):
            add("email", m.start(), m.end())
    for m in IBAN.finditer(norm):
        end = m.end()
        while end - m.start() >= 15:  # the longest valid prefix: the pattern also takes the words after it
            if stdnum_iban.is_valid(norm[m.start():end]):
                add("bank", m.start(), end)
                break
            end -= 1
    for pattern in (SORT_CODE, ACCOUNT):
        for m in pattern.finditer(norm):
            group = "num" if m.group("num") else "spoken"
            add("bank", m.start(group), m.end(group))
    for m in CARD.finditer(norm):
        digits = _digits(m.group())
        if 13 <= len(digits) <= 19 and luhn.is_valid(digits):
            add("card", m.start(), m.end())
    region = getattr(settings, "PHONE_REGION", "GB") or None
    for m in phonenumbers.PhoneNumberMatcher(norm, region, leniency=phonenumbers.Leniency.VALID):
        add("phone", m.start, m.end)
    for m in POSTCODE.finditer(norm):
        if re.search(r"\d", m.group()) and re.search(r"[A-Za-z]", m.group()):
            add("postcode", m.start(), m.end())
    for m in DIGIT_RUN.finditer(norm):
        groups, count = re.findall(r"\d+", m.group()), len(_digits(m.group()))
        if count >= 6 or count >= 4 and len(groups) >= 3:
            add("digits", m.start(), m.end())
    for m in AFTER_A_KEYWORD.finditer(norm):
        add("digits", m.start("num"), m.end("num"))
    # A group of digits just after (or before) something removed is the rest of it, heard apart.
    for m in NEAR_GROUP.finditer(norm):
        before = [i for i in range(max(0, m.start() - 40), m.start()) if taken[i]]
        after = [i for i in range(m.end(), min(len(norm), m.end() + 40)) if taken[i]]
        if before and len(norm[before[-1] + 1:m.start()].split()) <= 3 \
                or after and len(norm[m.end():after[0]].split()) <= 3:
            add("digits", m.start(), m.end())
    return sorted(found, key=lambda f: f.start)


def redact_text(text: str) -> str:
    """The text with every finding replaced by its tag (e.g. for an email or a chat)."""
    if not text:
        return text
    out, last = [], 0
    for finding in find(text):
        out.append(text[last:finding.start])
        out.append(tag(finding.kind))
        last = finding.end
    out.append(text[last:])
    return "".join(out)


def redact_words(words: list[dict]) -> tuple[list[dict], list[dict]]:
    """Timed words ({"s", "e", "w", "sp"}) with every finding replaced by one tag word spanning its times,
    and the spans removed ([{"kind", "s", "e", "sp"}]). Each speaker's words are read on their own, in order,
    so a number the customer reads out is found even when the agent speaks over it."""
    redacted, spans = [], []
    speakers = sorted({w.get("sp", "") for w in words})
    for speaker in speakers:
        track = [w for w in words if w.get("sp", "") == speaker]
        text, bounds, position = [], [], 0
        for word in track:
            piece = word["w"].strip()
            bounds.append((position, position + len(piece)))
            text.append(piece)
            position += len(piece) + 1
        joined = " ".join(text)
        replaced = {}
        for finding in find(joined):
            hit = [i for i, (a, b) in enumerate(bounds) if a < finding.end and b > finding.start]
            if not hit or any(i in replaced for i in hit):
                continue
            first, last = track[hit[0]], track[hit[-1]]
            span = {"kind": finding.kind, "s": first["s"], "e": last["e"], "sp": speaker}
            spans.append(span)
            replaced[hit[0]] = {"s": first["s"], "e": last["e"], "w": tag(finding.kind), "sp": speaker}
            for i in hit[1:]:
                replaced[i] = None
        for i, word in enumerate(track):
            if i in replaced:
                if replaced[i] is not None:
                    redacted.append(replaced[i])
            else:
                redacted.append({"s": word["s"], "e": word["e"], "w": word["w"].strip(), "sp": speaker})
    redacted.sort(key=lambda w: (w["s"], w["e"]))
    spans.sort(key=lambda s: s["s"])
    return redacted, spans
