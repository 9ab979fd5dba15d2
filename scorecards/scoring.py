"""The scoring engine: the only code in the toolkit that turns answers into scores.

Pure functions over plain data (no database; only messages go through Django's translation): views, tasks, imports, reports and
tests all call them, and nothing else computes a score.

Rules
-----
* Item score, 0-100:
  - yes/no: yes 100, no 0;
  - yes/partly/no: yes 100, partly 50, no 0;
  - 1-5 scale: (answer - 1) x 25, so 1 -> 0, 3 -> 50, 5 -> 100;
  - number: the score of the matching threshold band (see `number_score`), 0 outside every band;
  - free text: not scored.
* An item *fails* when its score is 0 (the worst possible answer). A failed
  critical item fails the whole evaluation.
* Section score = weighted mean of the section's answered, scored, non-N/A items.
  A section with no such item has no score (None) and takes no part in the overall.
* Overall = weighted mean of the sections that have a score.
  N/A removes an item from numerator and denominator alike.
* Critical failure: the overall becomes 0 and `critical_failed` is set; item and
  section scores stay as computed so the scorer and the employee can see the rest.
* Arithmetic is exact (fractions.Fraction) and rounding happens once, at the end,
  for each reported figure: to 2 decimal places, halves rounded up
  (ROUND_HALF_UP). The overall is computed from the *unrounded* section scores, so
  rounding never compounds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from django.utils.translation import gettext as _

YES_NO = "yes_no"
YES_PARTIAL_NO = "yes_partial_no"
SCALE_5 = "scale_5"
NUMBER = "number"
TEXT = "text"

LOWER_IS_BETTER = "lower"
HIGHER_IS_BETTER = "higher"

CHOICE_SCORES = {
    YES_NO: {"yes": Fraction(100), "no": Fraction(0)},
    YES_PARTIAL_NO: {"yes": Fraction(100), "partial": Fraction(50), "no": Fraction(0)},
    SCALE_5: {str(n): Fraction((n - 1) * 25) for n in range(1, 6)},
}

TWO_PLACES = Decimal("0.01")


class AnswerError(ValueError):
    """An answer that does not fit its item (a value the item does not offer, N/A where not allowed)."""


@dataclass(frozen=True)
class ItemSpec:
    id: int
    answer_type: str
    weight: Decimal = Decimal(1)
    critical: bool = False
    na_allowed: bool = False
    thresholds: tuple = ()
    direction: str = LOWER_IS_BETTER
    question: str = ""

    @property
    def is_scored(self) -> bool:
        return self.answer_type != TEXT


@dataclass(frozen=True)
class SectionSpec:
    id: int
    name: str
    weight: Decimal = Decimal(1)
    items: tuple[ItemSpec, ...] = ()


@dataclass(frozen=True)
class ScorecardSpec:
    sections: tuple[SectionSpec, ...]

    def items(self):
        for section in self.sections:
            yield from section.items


@dataclass(frozen=True)
class AnswerInput:
    value: str | None = None
    na: bool = False

    @property
    def is_blank(self) -> bool:
        return not self.na and (self.value is None or str(self.value).strip() == "")


@dataclass
class ScoreResult:
    item_scores: dict[int, Decimal | None] = field(default_factory=dict)
    failed_items: frozenset[int] = frozenset()
    section_scores: dict[int, Decimal | None] = field(default_factory=dict)
    overall: Decimal | None = None
    critical_failed: bool = False


def round_score(value: Fraction | None) -> Decimal | None:
    """The one place rounding happens: 2 decimal places, halves up."""
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _as_fraction(value) -> Fraction:
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def parse_number(value) -> Fraction:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise AnswerError(_("“%(value)s” is not a number.") % {"value": value}) from exc
    if not number.is_finite():
        raise AnswerError(_("“%(value)s” is not a number.") % {"value": value})
    return Fraction(number)


def sorted_bands(thresholds, direction: str) -> list[tuple[Fraction, Fraction]]:
    """Bands as (limit, score), the most demanding first."""
    bands = [(parse_number(b["limit"]), parse_number(b["score"])) for b in thresholds]
    return sorted(bands, key=lambda band: band[0], reverse=(direction == HIGHER_IS_BETTER))


def number_score(value, thresholds, direction: str) -> Fraction:
    """Score of a number against threshold bands.

    lower is better: the first band (tightest limit first) with value <= limit;
    higher is better: the first band (highest limit first) with value >= limit;
    outside every band: 0.
    """
    number = parse_number(value)
    for limit, score in sorted_bands(thresholds, direction):
        if (direction == HIGHER_IS_BETTER and number >= limit) or (direction != HIGHER_IS_BETTER and number <= limit):
            return score
    return Fraction(0)


def item_score(item: ItemSpec, answer: AnswerInput | None) -> Fraction | None:
    """The exact 0-100 score of one answer, or None when it does not count (N/A, blank, free text)."""
    if answer is None or answer.is_blank:
        return None
    if answer.na:
        if not item.na_allowed:
            raise AnswerError(_("N/A is not allowed for this item."))
        return None
    if not item.is_scored:
        return None
    if item.answer_type == NUMBER:
        return number_score(answer.value, item.thresholds, item.direction)
    scores = CHOICE_SCORES.get(item.answer_type)
    if scores is None:
        raise AnswerError(_("Unknown answer type “%(type)s”.") % {"type": item.answer_type})
    key = str(answer.value).strip().lower()
    if key not in scores:
        raise AnswerError(_("“%(value)s” is not an answer this item offers.") % {"value": answer.value})
    return scores[key]


def weighted_mean(pairs) -> Fraction | None:
    """Weighted mean of (weight, value) pairs; None when there are none."""
    total_weight = Fraction(0)
    total = Fraction(0)
    for weight, value in pairs:
        w = _as_fraction(weight)
        total_weight += w
        total += w * value
    if total_weight == 0:
        return None
    return total / total_weight


def score(spec: ScorecardSpec, answers: dict[int, AnswerInput]) -> ScoreResult:
    """Score one evaluation: item, section and overall scores and the critical-failure flag."""
    item_scores: dict[int, Decimal | None] = {}
    failed: set[int] = set()
    section_scores: dict[int, Decimal | None] = {}
    section_exact: list[tuple[Decimal, Fraction]] = []
    critical_failed = False

    for section in spec.sections:
        applicable = []
        for item in section.items:
            exact = item_score(item, answers.get(item.id))
            item_scores[item.id] = round_score(exact)
            if exact is None:
                continue
            applicable.append((item.weight, exact))
            if exact == 0:
                failed.add(item.id)
                critical_failed = critical_failed or item.critical
        section_value = weighted_mean(applicable)
        section_scores[section.id] = round_score(section_value)
        if section_value is not None:
            section_exact.append((section.weight, section_value))

    overall = weighted_mean(section_exact)
    if critical_failed:
        overall = Fraction(0)
    return ScoreResult(
        item_scores=item_scores,
        failed_items=frozenset(failed),
        section_scores=section_scores,
        overall=round_score(overall),
        critical_failed=critical_failed,
    )


def answer_problems(spec: ScorecardSpec, answers: dict[int, AnswerInput]) -> dict[int, str]:
    """What stops these answers from being submitted, per item id (empty when complete).

    Every scored item needs an answer or, where allowed, N/A; every answer must be
    one the item offers. Free-text items are optional.
    """
    problems: dict[int, str] = {}
    for item in spec.items():
        answer = answers.get(item.id)
        if item.is_scored and (answer is None or answer.is_blank):
            problems[item.id] = _("Answer this item or mark it N/A.") if item.na_allowed else _("Answer this item.")
            continue
        try:
            item_score(item, answer)
        except AnswerError as exc:
            problems[item.id] = str(exc)
    return problems


def validate_item_definition(*, answer_type: str, critical: bool, thresholds, direction: str) -> dict[str, str]:
    """Mistakes in an item's definition, per field, in words a scorecard author understands."""
    errors: dict[str, str] = {}
    if answer_type == TEXT and critical:
        errors["critical"] = _("A free-text item is not scored, so it cannot be critical.")
    if answer_type != NUMBER:
        return errors
    if not thresholds:
        errors["thresholds"] = _("A number item needs at least one threshold, e.g. up to 3 rings scores 100.")
        return errors
    try:
        bands = sorted_bands(thresholds, direction)
    except (AnswerError, KeyError, TypeError):
        errors["thresholds"] = _("Each threshold needs a numeric limit and a score.")
        return errors
    if any(not 0 <= band_score <= 100 for _limit, band_score in bands):
        errors["thresholds"] = _("Threshold scores must be between 0 and 100.")
    elif len({limit for limit, _score in bands}) != len(bands):
        errors["thresholds"] = _("Two thresholds have the same limit.")
    elif any(later[1] > earlier[1] for earlier, later in zip(bands, bands[1:])):
        errors["thresholds"] = _(
            "A looser threshold cannot score more than a stricter one: a worse answer would get a better score."
        )
    return errors
