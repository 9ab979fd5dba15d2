"""Spotlights: interactions that deserve a reviewer's look, for sampling (qa.sampling gives
them a share of the sample) and the interaction list's filter.

* Phrase alerts: each active PhraseList (the defaults: cancel, complaint, manager, legal
  threats; the lead adds their own) searched over what was said, fuzzily as the rules are
  (autoqa.rules.find_phrases), by its speaker (the customer by default). Its phrases are written
  as a rule's are: one per line, alternatives on a line separated by "|" (autoqa.rules.phrases_of).
* Sentiment: vaderSentiment's compound score (-1 very negative .. 1 very positive) of each of
  the customer's utterances; the interaction is flagged when their mean is at or below
  AUTOQA_SENTIMENT_THRESHOLD (default -0.3), at the customer's most negative moment. On a
  mono call or unlabelled text the customer's words cannot be told apart, so the whole
  conversation's mean is used and the detail says so.
"""

from functools import lru_cache

from django.conf import settings

from autoqa import rules as checks
from autoqa.models import PhraseList, Spotlight
from autoqa.utterances import CUSTOMER

DEFAULT_LISTS = [
    ("Cancellation", ["cancel my account | cancel my order | cancel my contract | cancel the contract",
                      "close my account", "I want to leave", "switch to another provider"]),
    ("Complaint", ["I want to complain", "make a complaint", "this is unacceptable", "file a complaint",
                   "I am not happy", "worst service"]),
    ("Asked for a manager", ["speak to a manager", "speak to your manager", "talk to a supervisor",
                             "your supervisor", "someone in charge"]),
    ("Legal threat", ["my lawyer", "my solicitor", "legal action", "take you to court", "sue you",
                      "trading standards", "ombudsman"]),
]


def ensure_default_lists() -> None:
    for name, phrases in DEFAULT_LISTS:
        PhraseList.objects.get_or_create(name=name, defaults={"phrases": "\n".join(phrases)})


@lru_cache(maxsize=1)
def analyser():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def threshold() -> float:
    return float(getattr(settings, "AUTOQA_SENTIMENT_THRESHOLD", -0.3))


def sentiment(said) -> tuple[float, object, bool] | None:
    """(mean compound score, the most negative utterance, customer side only) or None if nothing was said."""
    customer = [u for u in said if u.speaker == CUSTOMER]
    side_only = bool(customer)
    scored = [(analyser().polarity_scores(u.text)["compound"], u) for u in (customer or said) if u.text.strip()]
    if not scored:
        return None
    mean = sum(score for score, _u in scored) / len(scored)
    worst = min(scored, key=lambda pair: pair[0])[1]
    return mean, worst, side_only


def found(said, lists) -> list[Spotlight]:
    flags = []
    for phrase_list in lists:
        matches = checks.find_phrases(said, checks.phrases_of(phrase_list.phrase_list),
                                      min_similarity=phrase_list.min_similarity,
                                      speaker=phrase_list.speaker)
        if matches:
            first = min(matches, key=lambda m: (m.moment.start is None, m.moment.start or 0))
            flags.append(Spotlight(kind=Spotlight.Kind.PHRASE, phrase_list=phrase_list, label=phrase_list.name,
                                   detail=f"“{first.moment.text}”"[:300], at_seconds=first.moment.start))
    mood = sentiment(said)
    if mood is not None and mood[0] <= threshold():
        mean, worst, side_only = mood
        whose = "the customer's" if side_only else "the whole conversation's (speakers not told apart)"
        flags.append(Spotlight(kind=Spotlight.Kind.SENTIMENT, label="Negative customer sentiment",
                               detail=f"Mean of {whose} sentiment {mean:+.2f}; most negative: “{worst.text[:200]}”",
                               at_seconds=worst.start, score=round(mean, 3)))
    return flags


def refresh(interaction, said, lists=None) -> list[Spotlight]:
    """Replace the interaction's spotlights with what is found now."""
    lists = list(PhraseList.objects.filter(active=True)) if lists is None else lists
    flags = found(said, lists) if said else []
    Spotlight.objects.filter(interaction=interaction).delete()
    for flag in flags:
        flag.interaction = interaction
    return Spotlight.objects.bulk_create(flags)
