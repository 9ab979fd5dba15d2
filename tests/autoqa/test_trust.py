"""Trust: agreement between automatic and human answers per rule, against a hand-checked alpha;
a rule below the threshold is left out of automatic scores until it improves."""

import pytest

from autoqa import evaluation as auto
from autoqa import trust
from autoqa.models import ItemReview, ItemRule
from qa.models import Evaluation
from scorecards.models import Item
from tests.autoqa.helpers import GOOD_CALL
from tests.autoqa.test_automatic_evaluation import GREETING

# Ten interactions: both say yes on 4, both no on 4, the check yes / reviewer no on 1, the reverse on 1.
PAIRS = [("yes", "yes")] * 4 + [("no", "no")] * 4 + [("yes", "no"), ("no", "yes")]


def test_alpha_by_hand():
    """Nominal alpha, two raters, 10 units: coincidences o(yes,yes) = o(no,no) = 8, o(yes,no) = o(no,yes) = 2,
    n = 20, n(yes) = n(no) = 10. Observed disagreement 4/20 = 0.2; expected 2*10*10/(20*19) = 0.5263...;
    alpha = 1 - 0.2/0.5263 = 0.62. Agreement 8 of 10."""
    result = trust.figures("yes_no", [(a, False, h, False) for a, h in PAIRS])
    assert result.alpha == pytest.approx(0.62)
    assert (result.pairs, result.agreement) == (10, 80.0)


def test_na_and_unanswered_are_not_pairs_and_all_the_same_is_trusted(settings):
    settings.AUTOQA_TRUST_MIN_PAIRS = 3
    pairs = [("yes", False, "yes", False)] * 3 + [("", True, "yes", False), ("yes", False, "", True)]
    result = trust.figures("yes_no", pairs)
    assert (result.pairs, result.alpha, result.agreement, result.trusted, result.measured) == (3, None, 100.0, True, True)


def review_pairs(world, rule, item, pairs):
    rows = []
    for suggested, final in pairs:
        evaluation = Evaluation.objects.create(
            version=item.section.version, location=world.location_a, employee=world.employee_a, channel="phone_call",
            source=Evaluation.Source.REVIEWER, interaction_at="2026-11-01T10:00Z", evaluator=world.reviewer)
        from qa.models import Interaction

        interaction = Interaction.objects.create(channel="phone_call", location=world.location_a,
                                                 occurred_at="2026-11-01T10:00Z", created_by=world.reviewer)
        rows.append(ItemReview(evaluation=evaluation, interaction=interaction, item=item, rule=rule,
                               suggested_value=suggested, final_value=final, changed=suggested != final,
                               reviewed_by=world.reviewer, note="Found “thank you for calling”."))
    ItemReview.objects.bulk_create(rows)


def test_below_threshold_is_not_trusted_and_left_out(defaults, make_call, world, settings, client_for):
    settings.AUTOQA_TRUST_MIN_PAIRS = 10
    rule = ItemRule.objects.get(question=GREETING)
    item = Item.objects.get(section__version=defaults["phone"], question=GREETING)
    review_pairs(world, rule, item, PAIRS[:9])
    assert trust.refresh(rule).measured is False and rule.trusted  # 9 pairs: not measured yet, still used
    review_pairs(world, rule, item, PAIRS[9:])
    result = trust.refresh(rule)
    assert (result.pairs, round(result.alpha, 3), result.trusted) == (10, 0.62, False)
    rule.refresh_from_db()
    assert not rule.trusted
    evaluation = auto.evaluate_interaction(make_call(GOOD_CALL))
    assert not evaluation.answers.filter(item=item).exists()

    page = client_for(world.lead).get("/autoqa/trust/")
    html = page.content.decode()
    row = next(r for r in page.context["rows"] if r["rule"] == rule)
    assert row["figures"].alpha == pytest.approx(0.62)
    assert "0.620" in html and "80.0%" in html and "Not trusted" in html
    assert len(row["corrections"]["wrong"]) == 1 and len(row["corrections"]["missed"]) == 1
    assert "Matched wrongly" in html and "Missed" in html

    settings.AUTOQA_TRUST_ALPHA = 0.6
    assert trust.refresh(rule).trusted  # the threshold is a setting


def test_editing_a_rule_measures_it_again(defaults, make_call, world, settings, client_for):
    """The lead fixes the phrases; the rule is run again over its reviewed interactions and earns back its trust."""
    settings.AUTOQA_TRUST_MIN_PAIRS = 2
    rule = ItemRule.objects.get(question=GREETING)
    item = Item.objects.get(section__version=defaults["phone"], question=GREETING)
    for _ in range(2):
        interaction = make_call(GOOD_CALL)
        evaluation = Evaluation.objects.create(
            version=defaults["phone"], location=world.location_a, employee=world.employee_a, channel="phone_call",
            source=Evaluation.Source.REVIEWER, interaction_at=interaction.occurred_at, evaluator=world.reviewer,
            interaction=interaction)
        ItemReview.objects.create(evaluation=evaluation, interaction=interaction, item=item, rule=rule,
                                  suggested_value="no", final_value="yes", changed=True, reviewed_by=world.reviewer)
    ItemReview.objects.create(evaluation=evaluation, interaction=interaction, item=Item.objects.get(
        section__version=defaults["phone"], question__startswith="Used courteous"), rule=ItemRule.objects.get(
        question__startswith="Used courteous"), suggested_value="no", final_value="no", reviewed_by=world.reviewer)
    assert trust.refresh(rule).agreement == 0
    response = client_for(world.lead).post(f"/autoqa/rules/{defaults['phone'].scorecard_id}/items/{item.pk}/", {
        "kind": "find", "phrases": "thank you for calling\nmy name is", "require_all": "on", "min_similarity": "85",
        "speaker": "agent", "window": "start", "window_seconds": "15", "pass_value": "yes", "fail_value": "no",
        "active": "on"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.trust_pairs, rule.trust_agreement, rule.revision) == (2, 100.0, 2)
    assert ItemReview.objects.filter(rule=rule, changed=False).count() == 2
