"""The automatic answers offered on qa's scoring screen (qa.extensions.answer_suggestions), and
what the reviewer did with them (ItemReview), captured when their evaluation is submitted
(qa.signals.review_submitted)."""

from django.db import transaction

from autoqa import trust
from autoqa.models import ItemReview, Suggestion
from qa.models import Evaluation
from scorecards.models import Item


def automatic_suggestions(interaction_id) -> list[Suggestion]:
    return list(Suggestion.objects.filter(evaluation__interaction_id=interaction_id,
                                          evaluation__source=Evaluation.Source.AUTOMATIC)
                .select_related("item", "rule"))


def for_evaluation(evaluation) -> dict:
    """{item_id: {"value", "na", "note", "evidence", "trusted"}} for the reviewer's evaluation, matched
    to its version's items by question (the automatic evaluation may use another version)."""
    if not evaluation.interaction_id or evaluation.source != Evaluation.Source.REVIEWER or evaluation.is_calibration:
        return {}  # a blind calibration score measures the reviewer alone: nothing is suggested to them
    found = automatic_suggestions(evaluation.interaction_id)
    if not found:
        return {}
    items = _items_by_question(evaluation.version)
    result = {}
    for suggestion in found:
        item_id = items.get(suggestion.item.question)
        if item_id is None or (not suggestion.value and not suggestion.na):
            continue
        result[item_id] = {"value": suggestion.value, "na": suggestion.na, "note": suggestion.note,
                           "evidence": suggestion.evidence, "trusted": suggestion.used}
    return result


def _items_by_question(version) -> dict[str, int]:
    return dict(Item.objects.filter(section__version=version).values_list("question", "pk"))


@transaction.atomic
def capture(evaluation) -> int:
    """Record, per item with an automatic answer, the answer suggested and the reviewer's final one."""
    if evaluation.source != Evaluation.Source.REVIEWER or not evaluation.interaction_id or evaluation.is_calibration:
        return 0
    found = automatic_suggestions(evaluation.interaction_id)
    if not found:
        return 0
    finals = {a.item.question: a for a in evaluation.answers.select_related("item")}
    rows = []
    for suggestion in found:
        if suggestion.rule_id is None:
            continue
        final = finals.get(suggestion.item.question)
        if final is None:
            continue
        rows.append(ItemReview(
            evaluation=evaluation, interaction_id=evaluation.interaction_id, item=final.item, rule=suggestion.rule,
            suggested_value=suggestion.value, suggested_na=suggestion.na, final_value=final.value,
            final_na=final.na, changed=(suggestion.value, suggestion.na) != (final.value, final.na),
            evidence=suggestion.evidence, note=suggestion.note, reviewed_by=evaluation.evaluator))
    ItemReview.objects.filter(evaluation=evaluation).delete()
    ItemReview.objects.bulk_create(rows)
    for rule in {row.rule for row in rows}:
        trust.refresh(rule)
    return len(rows)
