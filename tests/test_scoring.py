"""The scoring engine against examples computed by hand."""

from decimal import Decimal

import pytest

from scorecards import scoring as s

GREET = s.ItemSpec(id=1, answer_type=s.YES_NO)
ARGUE = s.ItemSpec(id=2, answer_type=s.YES_NO, critical=True)
RETURNS = s.ItemSpec(id=3, answer_type=s.YES_PARTIAL_NO, weight=Decimal(2))
ANTICIPATE = s.ItemSpec(id=4, answer_type=s.YES_NO, na_allowed=True)
SPEC = s.ScorecardSpec(sections=(
    s.SectionSpec(id=10, name="Courtesy", weight=Decimal(2), items=(GREET, ARGUE)),
    s.SectionSpec(id=20, name="Accuracy", weight=Decimal(1), items=(RETURNS, ANTICIPATE)),
))


def answers(**by_id):
    return {int(k[1:]): (s.AnswerInput(na=True) if v == "N/A" else s.AnswerInput(value=v)) for k, v in by_id.items()}


def test_weighted_sections_and_items():
    # Courtesy (100 + 100) / 2 = 100; Accuracy (2 x 50 + 1 x 0) / 3 = 33.33...;
    # overall (2 x 100 + 1 x 33.33...) / 3 = 77.777... -> 77.78
    result = s.score(SPEC, answers(i1="yes", i2="yes", i3="partial", i4="no"))
    assert result.section_scores == {10: Decimal("100.00"), 20: Decimal("33.33")}
    assert result.overall == Decimal("77.78")
    assert result.item_scores == {1: Decimal("100.00"), 2: Decimal("100.00"), 3: Decimal("50.00"), 4: Decimal("0.00")}
    assert result.failed_items == {4}
    assert result.critical_failed is False


def test_na_leaves_numerator_and_denominator():
    # Accuracy is the return item alone: 50. Overall (2 x 100 + 50) / 3 = 83.33
    result = s.score(SPEC, answers(i1="yes", i2="yes", i3="partial", i4="N/A"))
    assert result.section_scores[20] == Decimal("50.00")
    assert result.item_scores[4] is None
    assert result.overall == Decimal("83.33")


def test_critical_failure_zeroes_overall_but_keeps_sections():
    result = s.score(SPEC, answers(i1="yes", i2="no", i3="yes", i4="yes"))
    assert result.critical_failed is True
    assert result.overall == Decimal("0.00")
    assert result.section_scores == {10: Decimal("50.00"), 20: Decimal("100.00")}
    assert result.failed_items == {2}


def test_non_critical_failure_does_not_flag():
    result = s.score(SPEC, answers(i1="no", i2="yes", i3="no", i4="no"))
    assert result.critical_failed is False
    assert result.overall == Decimal("33.33")  # (2 x 50 + 1 x 0) / 3


def test_section_without_applicable_items_is_left_out_of_overall():
    spec = s.ScorecardSpec(sections=(
        s.SectionSpec(id=1, name="A", weight=Decimal(1), items=(s.ItemSpec(id=1, answer_type=s.YES_NO),)),
        s.SectionSpec(id=2, name="B", weight=Decimal(5), items=(s.ItemSpec(id=2, answer_type=s.YES_NO, na_allowed=True),)),
    ))
    result = s.score(spec, answers(i1="yes", i2="N/A"))
    assert result.section_scores == {1: Decimal("100.00"), 2: None}
    assert result.overall == Decimal("100.00")


def test_no_applicable_item_at_all_gives_no_overall():
    spec = s.ScorecardSpec(sections=(
        s.SectionSpec(id=1, name="A", items=(s.ItemSpec(id=1, answer_type=s.YES_NO, na_allowed=True),)),
    ))
    assert s.score(spec, answers(i1="N/A")).overall is None


def test_rounding_happens_once_at_the_end():
    # Sections of three yes/no items: 2/3 -> 66.666..., 2/3 -> 66.666..., 0/3 -> 0.
    # Exact overall 44.444... -> 44.44. Rounding sections first would give (66.67 + 66.67 + 0) / 3 = 44.4467 -> 44.45.
    def section(sid):
        return s.SectionSpec(id=sid, name=str(sid), items=tuple(s.ItemSpec(id=sid * 10 + n, answer_type=s.YES_NO) for n in range(3)))

    spec = s.ScorecardSpec(sections=(section(1), section(2), section(3)))
    given = {10: "yes", 11: "yes", 12: "no", 20: "yes", 21: "yes", 22: "no", 30: "no", 31: "no", 32: "no"}
    result = s.score(spec, {k: s.AnswerInput(value=v) for k, v in given.items()})
    assert result.section_scores[1] == Decimal("66.67")
    assert result.overall == Decimal("44.44")


def test_half_rounds_up():
    assert s.round_score(s.Fraction(1, 8) * 100 / 1000) == Decimal("0.01")  # 0.0125 -> 0.01
    assert s.round_score(s.Fraction(125, 1000)) == Decimal("0.13")


@pytest.mark.parametrize("value,expected", [("1", 0), ("2", 25), ("3", 50), ("4", 75), ("5", 100)])
def test_scale_of_five(value, expected):
    item = s.ItemSpec(id=1, answer_type=s.SCALE_5)
    assert s.item_score(item, s.AnswerInput(value=value)) == expected


RINGS = [{"limit": 1, "score": 100}, {"limit": 3, "score": 75}, {"limit": 5, "score": 40}]


@pytest.mark.parametrize("rings,expected", [("0", 100), ("1", 100), ("2", 75), ("3", 75), ("4.5", 40), ("5", 40), ("6", 0)])
def test_number_lower_is_better(rings, expected):
    item = s.ItemSpec(id=1, answer_type=s.NUMBER, thresholds=tuple(RINGS), direction=s.LOWER_IS_BETTER)
    assert s.item_score(item, s.AnswerInput(value=rings)) == expected


@pytest.mark.parametrize("percent,expected", [("95", 100), ("90", 100), ("80", 50), ("74.9", 0)])
def test_number_higher_is_better(percent, expected):
    bands = ({"limit": 75, "score": 50}, {"limit": 90, "score": 100})
    item = s.ItemSpec(id=1, answer_type=s.NUMBER, thresholds=bands, direction=s.HIGHER_IS_BETTER)
    assert s.item_score(item, s.AnswerInput(value=percent)) == expected


def test_free_text_is_never_scored_nor_failed():
    spec = s.ScorecardSpec(sections=(s.SectionSpec(id=1, name="A", items=(
        s.ItemSpec(id=1, answer_type=s.YES_NO), s.ItemSpec(id=2, answer_type=s.TEXT),
    )),))
    result = s.score(spec, {1: s.AnswerInput(value="yes"), 2: s.AnswerInput(value="Lovely staff")})
    assert result.item_scores[2] is None
    assert result.overall == Decimal("100.00")


@pytest.mark.parametrize("item,answer", [
    (s.ItemSpec(id=1, answer_type=s.YES_NO), s.AnswerInput(value="maybe")),
    (s.ItemSpec(id=1, answer_type=s.YES_NO), s.AnswerInput(value="partial")),
    (s.ItemSpec(id=1, answer_type=s.SCALE_5), s.AnswerInput(value="6")),
    (s.ItemSpec(id=1, answer_type=s.YES_NO), s.AnswerInput(na=True)),
    (s.ItemSpec(id=1, answer_type=s.NUMBER, thresholds=({"limit": 1, "score": 100},)), s.AnswerInput(value="three")),
    (s.ItemSpec(id=1, answer_type=s.NUMBER, thresholds=({"limit": 1, "score": 100},)), s.AnswerInput(value="NaN")),
])
def test_answers_an_item_does_not_offer_are_refused(item, answer):
    with pytest.raises(s.AnswerError):
        s.item_score(item, answer)


def test_answer_problems_names_each_missing_or_invalid_item():
    problems = s.answer_problems(SPEC, answers(i1="yes", i3="perhaps"))
    assert set(problems) == {2, 3, 4}
    assert "mark it N/A" in problems[4]
    assert "not an answer" in problems[3]
    assert s.answer_problems(SPEC, answers(i1="yes", i2="yes", i3="no", i4="N/A")) == {}


@pytest.mark.parametrize("kwargs,field,words", [
    ({"answer_type": s.TEXT, "critical": True, "thresholds": [], "direction": "lower"}, "critical", "cannot be critical"),
    ({"answer_type": s.NUMBER, "critical": False, "thresholds": [], "direction": "lower"}, "thresholds", "at least one"),
    ({"answer_type": s.NUMBER, "critical": False, "thresholds": [{"limit": 3, "score": 50}, {"limit": 5, "score": 100}],
      "direction": "lower"}, "thresholds", "looser threshold"),
    ({"answer_type": s.NUMBER, "critical": False, "thresholds": [{"limit": 3, "score": 150}], "direction": "lower"},
     "thresholds", "between 0 and 100"),
    ({"answer_type": s.NUMBER, "critical": False, "thresholds": [{"limit": 3, "score": 100}, {"limit": 3, "score": 50}],
      "direction": "lower"}, "thresholds", "same limit"),
    ({"answer_type": s.NUMBER, "critical": False, "thresholds": [{"limit": "x", "score": 1}], "direction": "lower"},
     "thresholds", "numeric limit"),
])
def test_item_definition_mistakes_are_explained(kwargs, field, words):
    errors = s.validate_item_definition(**kwargs)
    assert words in errors[field]


def test_valid_item_definitions_pass():
    assert s.validate_item_definition(answer_type=s.NUMBER, critical=True, thresholds=RINGS, direction="lower") == {}
    assert s.validate_item_definition(answer_type=s.YES_NO, critical=True, thresholds=[], direction="lower") == {}
