"""Invariants of the scoring engine, checked over generated scorecards and answers."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from scorecards import scoring as s

BANDS = ({"limit": 1, "score": 100}, {"limit": 3, "score": 75}, {"limit": 5, "score": 40})
# Answers of each type from worst to best, so "improving" is well defined.
LADDER = {
    s.YES_NO: ["no", "yes"],
    s.YES_PARTIAL_NO: ["no", "partial", "yes"],
    s.SCALE_5: ["1", "2", "3", "4", "5"],
    s.NUMBER: ["9", "5", "3", "1"],
}
weights = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=2)


@st.composite
def scorecards(draw):
    sections = []
    next_id = 1
    for sid in range(1, draw(st.integers(1, 4)) + 1):
        items = []
        for _ in range(draw(st.integers(1, 5))):
            answer_type = draw(st.sampled_from(sorted(LADDER)))
            items.append(s.ItemSpec(
                id=next_id, answer_type=answer_type, weight=draw(weights), critical=draw(st.booleans()),
                na_allowed=draw(st.booleans()), thresholds=BANDS if answer_type == s.NUMBER else (),
            ))
            next_id += 1
        sections.append(s.SectionSpec(id=sid, name=f"S{sid}", weight=draw(weights), items=tuple(items)))
    return s.ScorecardSpec(sections=tuple(sections))


@st.composite
def scorecards_with_answers(draw):
    spec = draw(scorecards())
    answers = {}
    for item in spec.items():
        options = list(LADDER[item.answer_type]) + (["N/A"] if item.na_allowed else [])
        value = draw(st.sampled_from(options))
        answers[item.id] = s.AnswerInput(na=True) if value == "N/A" else s.AnswerInput(value=value)
    return spec, answers


def in_bounds(value):
    return value is None or Decimal(0) <= value <= Decimal(100)


@settings(max_examples=200, deadline=None)
@given(scorecards_with_answers())
def test_every_score_is_between_0_and_100(case):
    spec, answers = case
    result = s.score(spec, answers)
    assert all(in_bounds(v) for v in result.item_scores.values())
    assert all(in_bounds(v) for v in result.section_scores.values())
    assert in_bounds(result.overall)
    if result.critical_failed:
        assert result.overall == 0


@settings(max_examples=200, deadline=None)
@given(scorecards_with_answers(), st.data())
def test_na_is_the_same_as_the_item_not_being_there(case, data):
    spec, answers = case
    na_items = [i for i in spec.items() if i.na_allowed]
    if not na_items:
        return
    item = data.draw(st.sampled_from(na_items))
    with_na = dict(answers)
    with_na[item.id] = s.AnswerInput(na=True)
    without = s.ScorecardSpec(sections=tuple(
        replace(sec, items=tuple(i for i in sec.items if i.id != item.id)) for sec in spec.sections
    ))
    a, b = s.score(spec, with_na), s.score(without, {k: v for k, v in with_na.items() if k != item.id})
    assert a.overall == b.overall
    assert a.critical_failed == b.critical_failed
    assert a.section_scores == b.section_scores


@settings(max_examples=200, deadline=None)
@given(scorecards_with_answers(), st.integers(2, 1000))
def test_scaling_every_weight_changes_nothing(case, factor):
    spec, answers = case
    scaled = s.ScorecardSpec(sections=tuple(
        replace(sec, weight=sec.weight * factor, items=tuple(replace(i, weight=i.weight * factor) for i in sec.items))
        for sec in spec.sections
    ))
    a, b = s.score(spec, answers), s.score(scaled, answers)
    assert (a.overall, a.section_scores, a.critical_failed) == (b.overall, b.section_scores, b.critical_failed)


@settings(max_examples=300, deadline=None)
@given(scorecards_with_answers(), st.data())
def test_improving_one_answer_never_lowers_a_score(case, data):
    spec, answers = case
    answered = [i for i in spec.items() if not answers[i.id].na]
    item = data.draw(st.sampled_from(answered)) if answered else None
    if item is None:
        return
    ladder = LADDER[item.answer_type]
    position = ladder.index(answers[item.id].value)
    if position == len(ladder) - 1:
        return
    better = dict(answers)
    better[item.id] = s.AnswerInput(value=data.draw(st.sampled_from(ladder[position + 1:])))
    before, after = s.score(spec, answers), s.score(spec, better)
    assert after.overall >= before.overall
    assert all(after.section_scores[k] >= v for k, v in before.section_scores.items() if v is not None)
    assert after.critical_failed <= before.critical_failed
