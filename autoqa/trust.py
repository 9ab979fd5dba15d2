"""How far each automatic check can be trusted, measured against the reviewers.

The pairs are ItemReview rows: for an interaction scored both ways, the automatic answer and the
reviewer's final answer to the same question. Agreement is Krippendorff's alpha at the item's
level (two raters, automatic and human; one unit per interaction) with qa.calibration's own
coding and alpha (the same scales as calibration: yes/no nominal, yes/partly/no and 1-5 ordinal),
beside the plain percent agreement and the number of pairs. A pair where either side is N/A or
unanswered is not a pair.

A rule with at least AUTOQA_TRUST_MIN_PAIRS pairs (default 30) and alpha below
AUTOQA_TRUST_ALPHA (default 0.667) is "not trusted": autoqa.evaluation leaves it out of automatic
scores. With fewer pairs it is "not measured yet" and used. When every answer of both sides is
the same value alpha is undefined; the rule is then trusted on its 100% agreement.

When the lead edits a rule, `recheck` runs the new rule again over the interactions of its
pairs, so its figures describe the rule as it is now, and a rule can earn back its trust.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from autoqa import rules as checks
from autoqa import utterances
from autoqa.evaluation import answer_for, spec_of
from autoqa.models import ItemRule, ItemReview
from qa import calibration

LEVELS = {answer_type: level for answer_type, level, _label in calibration.GROUPS}


def min_alpha() -> float:
    return float(getattr(settings, "AUTOQA_TRUST_ALPHA", 0.667))


def min_pairs() -> int:
    return int(getattr(settings, "AUTOQA_TRUST_MIN_PAIRS", 30))


@dataclass
class Figures:
    pairs: int
    agreement: float | None  # percent
    alpha: float | None
    alpha_note: str
    trusted: bool
    measured: bool  # enough pairs to judge


def figures(answer_type: str, pairs: list[tuple[str, bool, str, bool]]) -> Figures:
    """pairs: (automatic value, automatic N/A, human value, human N/A)."""
    level = LEVELS.get(answer_type, "nominal")
    coded = [(calibration.code(answer_type, av, an), calibration.code(answer_type, hv, hn))
             for av, an, hv, hn in pairs]
    coded = [(a, h) for a, h in coded if a == a and h == h]  # NaN != NaN: drop N/A and unanswered
    n = len(coded)
    if not n:
        return Figures(0, None, None, "", True, False)
    agreement = 100 * sum(1 for a, h in coded if a == h) / n
    value, note = calibration.alpha([[a for a, _h in coded], [h for _a, h in coded]], level)
    measured = n >= min_pairs()
    if not measured:
        trusted = True
    elif value is None:
        trusted = agreement == 100
    else:
        trusted = value >= min_alpha()
    return Figures(n, agreement, value, note, trusted, measured)


def pairs_of(rule: ItemRule) -> list[tuple[str, bool, str, bool]]:
    return list(rule.reviews.values_list("suggested_value", "suggested_na", "final_value", "final_na"))


def answer_type_of(rule: ItemRule) -> str:
    review = rule.reviews.select_related("item").first()
    return review.item.answer_type if review else "yes_no"


def refresh(rule: ItemRule) -> Figures:
    """Measure the rule and store the result on it (what automatic scoring reads)."""
    result = figures(answer_type_of(rule), pairs_of(rule))
    ItemRule.objects.filter(pk=rule.pk).update(
        trusted=result.trusted, trust_alpha=result.alpha, trust_agreement=result.agreement,
        trust_pairs=result.pairs, trust_measured_at=timezone.now())
    rule.trusted, rule.trust_alpha, rule.trust_agreement, rule.trust_pairs = (
        result.trusted, result.alpha, result.agreement, result.pairs)
    return result


@transaction.atomic
def recheck(rule: ItemRule) -> Figures:
    """Run the rule as it is now over its pairs' interactions, then measure it again."""
    spec = spec_of(rule)
    reviews = list(rule.reviews.select_related("interaction__employee", "interaction__transcript"))
    for review in reviews:
        verdict = checks.evaluate(spec, utterances.for_interaction(review.interaction))
        given = answer_for(rule, verdict)
        value, na = given if given is not None else ("", False)
        review.suggested_value, review.suggested_na = value, na
        review.changed = (value, na) != (review.final_value, review.final_na)
        review.evidence = [m.as_dict() for m in verdict.moments[:10]]
        review.note = verdict.note[:500]
    ItemReview.objects.bulk_update(reviews, ["suggested_value", "suggested_na", "changed", "evidence", "note"])
    return refresh(rule)


def corrections(rule: ItemRule, limit: int = 20) -> dict[str, list[ItemReview]]:
    """The reviewers' changes, in the lead's words: where the rule passed and the reviewer did not
    (it matched wrongly: the moments it matched are shown) and where it failed and the reviewer
    passed (it missed: the interaction is linked to find what was said instead)."""
    changed = (rule.reviews.filter(changed=True).exclude(suggested_value="", suggested_na=False)
               .select_related("interaction__employee", "interaction__location", "reviewed_by", "evaluation"))
    wrong, missed, other = [], [], []
    for review in changed[:limit * 3]:
        if review.suggested_value == rule.pass_value:
            wrong.append(review)
        elif review.final_value == rule.pass_value:
            missed.append(review)
        else:
            other.append(review)
    return {"wrong": wrong[:limit], "missed": missed[:limit], "other": other[:limit]}
