"""Submitting an evaluation scores it with the engine and stores every figure."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from qa import services
from qa.models import Evaluation
from scorecards.models import Item
from tests import factories as f

pytestmark = pytest.mark.django_db


def new_evaluation(world, **kwargs):
    return Evaluation.objects.create(
        version=world.version, location=world.location_a, employee=world.employee_a, evaluator=world.reviewer,
        channel="store_visit", source="reviewer", interaction_at="2026-11-01T10:00Z", **kwargs,
    )


def answer_map(version, answers):
    items = {i.question: i.pk for i in Item.objects.filter(section__version=version)}
    return {items[q]: services.AnswerData(value="" if v == "N/A" else v, na=v == "N/A") for q, v in answers.items()}


def test_submit_stores_engine_scores(world):
    evaluation = new_evaluation(world)
    services.save_answers(evaluation, answer_map(world.version, {
        "Greeted the customer": "yes", "Never argued": "yes",
        "Explained the return policy": "partial", "Anticipated a question": "no",
    }))
    services.submit(evaluation, release=True)
    evaluation.refresh_from_db()
    # Courtesy 100 (weight 2); Accuracy (2 x 50 + 0) / 3 = 33.33; overall (200 + 33.33) / 3 = 77.78
    assert evaluation.overall_score == Decimal("77.78")
    assert evaluation.status == Evaluation.Status.RELEASED
    assert evaluation.released_at is not None
    assert {s.section_name: s.score for s in evaluation.section_scores.all()} == {
        "Courtesy": Decimal("100.00"), "Accuracy": Decimal("33.33"),
    }
    failed = evaluation.answers.filter(failed=True).values_list("item__question", flat=True)
    assert list(failed) == ["Anticipated a question"]


def test_incomplete_answers_cannot_be_submitted(world):
    evaluation = new_evaluation(world)
    services.save_answers(evaluation, answer_map(world.version, {"Greeted the customer": "yes"}))
    with pytest.raises(ValidationError) as exc:
        services.submit(evaluation, release=True)
    assert len(exc.value.message_dict) == 3
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT
    assert evaluation.overall_score is None


def test_shopper_report_waits_for_release(world):
    evaluation = new_evaluation(world)
    services.save_answers(evaluation, answer_map(world.version, f.ALL_GOOD))
    services.submit(evaluation, release=False)
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.SUBMITTED
    assert not Evaluation.objects.counted().filter(pk=evaluation.pk).exists()
    services.release(evaluation)
    assert Evaluation.objects.counted().filter(pk=evaluation.pk).exists()
    with pytest.raises(ValidationError):
        services.release(evaluation)


def test_saving_answers_again_replaces_them_and_rescoring_follows(world):
    evaluation = new_evaluation(world)
    services.save_answers(evaluation, answer_map(world.version, f.ALL_GOOD))
    services.submit(evaluation, release=True)
    revision = Evaluation.objects.get(pk=evaluation.pk).revision
    services.save_answers(evaluation, answer_map(world.version, {"Never argued": "no"}))
    services.score_and_store(evaluation)
    evaluation.refresh_from_db()
    assert evaluation.answers.count() == 4
    assert evaluation.critical_failed is True
    assert evaluation.overall_score == Decimal("0.00")
    assert evaluation.revision > revision


def test_calibration_evaluations_never_count(world):
    f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD, is_calibration=True)
    assert Evaluation.objects.counted().count() == 0


def test_scoring_copies_each_section_score_to_its_place_on_the_evaluation(world):
    import importlib

    from django.apps import apps

    from qa.models import SECTION_SLOTS

    evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer,
                                   dict(f.ALL_GOOD, **{"Greeted the customer": "no"}))
    stored = [s.score for s in evaluation.section_scores.order_by("section__order", "section_id")]
    slots = [getattr(evaluation, slot) for slot in SECTION_SLOTS]
    assert slots[:len(stored)] == stored and any(score != 100 for score in stored)
    assert slots[len(stored):] == [None] * (len(SECTION_SLOTS) - len(stored))

    Evaluation.objects.update(**dict.fromkeys(SECTION_SLOTS))  # as before the migration
    importlib.import_module("qa.migrations.0012_section_score_slots").fill(apps, None)
    evaluation.refresh_from_db()
    assert [getattr(evaluation, slot) for slot in SECTION_SLOTS] == slots
