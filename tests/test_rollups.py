"""The report roll-ups (qa.rollups, reports.rollup_figures) against the raw rows.

After every kind of change (submissions, releases, corrections, decided disputes,
rejections, calibration flags, reassignments, moved dates, bulk updates, deletions),
the roll-ups kept by deltas must equal the ones `rebuild()` makes from the raw rows,
and every report figure read from them must equal the same figure added up from
the raw rows, for several readers, filters and scopes.
"""

import dataclasses
import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from qa import disputes, rollups, roles, services, visits
from qa.models import Answer, Evaluation, EvaluationRollup, ItemRollup, LocationItemRollup
from reports import rollup_figures
from reports import services as report_services
from reports.models import PolicyTarget
from scorecards.models import AnswerType, Item
from tests import factories as f

SECTIONS = [
    ("Courtesy", 2, [
        {"question": "Greeted", "answer_type": AnswerType.YES_NO},
        {"question": "Never argued", "answer_type": AnswerType.YES_NO, "critical": True},
        {"question": "Satisfied", "answer_type": AnswerType.SCALE_5, "kpi": "satisfaction"},
    ]),
    ("Resolution", 1, [
        {"question": "Resolved first time", "answer_type": AnswerType.YES_PARTIAL_NO, "kpi": "fcr", "na_allowed": True},
        {"question": "Hours to answer", "answer_type": AnswerType.NUMBER, "kpi": "response_hours",
         "thresholds": [{"limit": 2, "score": 100}, {"limit": 24, "score": 50}, {"limit": 1000, "score": 0}]},
        {"question": "Notes", "answer_type": AnswerType.TEXT},
    ]),
]

CHOICES = {
    "Greeted": ["yes", "yes", "no"],
    "Never argued": ["yes", "yes", "yes", "yes", "no"],
    "Satisfied": ["1", "3", "4", "5", "5"],
    "Resolved first time": ["yes", "partial", "no", "N/A"],
    "Hours to answer": ["1", "1.5", "5", "30"],
    "Notes": ["", "fine"],
}


def random_answers(rng):
    return {question: rng.choice(values) for question, values in CHOICES.items()}


def snapshot() -> dict:
    """Every roll-up cell with an evaluation in it, as comparable numbers."""
    cells = {}
    for model, sums in ((EvaluationRollup, rollups.EVALUATION_SUMS), (ItemRollup, rollups.ITEM_SUMS)):
        item = ["item_id"] if model is ItemRollup else []
        for row in model.objects.filter(count__gt=0).values(*rollups.UNIQUE_COLUMNS, "employee_id", *item, *sums):
            key = (model.__name__, *(row[c] for c in rollups.UNIQUE_COLUMNS), row["employee_id"],
                   *(row[c] for c in item))
            cells[key] = tuple(Decimal(str(row[s])).quantize(Decimal("0.0001")) for s in sums)
    for row in LocationItemRollup.objects.filter(count__gt=0).values(*rollups.PLACE_COLUMNS, "item_id",
                                                                      *rollups.ITEM_SUMS):
        key = ("LocationItemRollup", *(row[c] for c in rollups.PLACE_COLUMNS), row["item_id"])
        cells[key] = tuple(Decimal(str(row[s])).quantize(Decimal("0.0001")) for s in rollups.ITEM_SUMS)
    return cells


def normal(value):
    """Figures made comparable: numbers to 6 places, dataclasses and tuples to plain structures."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return normal(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {k: normal(v) for k, v in value.items() if k not in ("generated_at", "target")}
    if isinstance(value, (list, tuple)):
        return [normal(v) for v in value]
    if isinstance(value, (Decimal, float)):
        return round(float(value), 6)
    return value


def figures(user, params, use_rollups, region=None, **fixed):
    report_filter, evaluations = report_services.filtered(user, params, **fixed)
    if use_rollups:
        rows = rollup_figures.rows_for(report_filter, fixed)
        assert rows is not None, "the roll-ups should serve this report"
        # Items per place unless the report names an employee (its reach, a filter or its page).
        names_employee = "employee" in params or "employee" in fixed or user.username == "employee"
        assert (rows.place_items is None) == names_employee, (user.username, params, fixed)
    return normal(report_services.compute(report_filter, evaluations, region, fixed, use_rollups=use_rollups))


def check(world, version):
    """The roll-ups equal a rebuild from raw rows, and every report figure equals the raw one."""
    kept = snapshot()
    rollups.rebuild()
    assert snapshot() == kept
    today = timezone.localdate()
    cases = [
        (world.admin, {}, {}),
        (world.admin, {"period": "week"}, {}),
        (world.admin, {"date_from": (today - timedelta(days=50)).isoformat(),
                       "date_to": (today - timedelta(days=3)).isoformat()}, {}),
        (world.admin, {"date_from": (today - timedelta(days=40)).isoformat(), "period": "week"}, {}),
        (world.admin, {"source": "automatic"}, {}),
        (world.admin, {"scorecard": str(version.scorecard_id), "channel": version.scorecard.channel}, {}),
        (world.admin, {"region": str(world.region_a.pk)}, {}),
        (world.manager_a, {}, {}),
        (world.manager_a, {"employee": str(world.employee_a.pk)}, {}),
        (world.manager_a, {}, {"location": world.location_a, "region": world.region_a, "title": "A"}),
        (world.admin, {}, {"employee": world.employee_b, "region": world.region_b, "title": "B"}),
        (world.employee, {}, {"employee": world.employee_a, "region": world.region_a, "title": "Me"}),
    ]
    for user, params, scope in cases:
        scope = dict(scope)
        region = scope.pop("region", None)
        scope.pop("title", None)
        raw = figures(user, params, False, region, **scope)
        rolled = figures(user, params, True, region, **scope)
        assert rolled == raw, (user.username, params, scope)


@pytest.fixture
def scene(world):
    PolicyTarget.objects.create(kpi="fcr", target=85, comparison="at_least", unit="%")
    PolicyTarget.objects.create(kpi="response_hours", target=2, comparison="at_most", unit=" h")
    version = f.make_scorecard("Rolled up", user=world.admin, sections=SECTIONS)
    rng = random.Random(16)
    made = []
    places = [(world.location_a, world.employee_a), (world.location_b, world.employee_b), (world.location_a, None)]
    for n in range(14):
        location, employee = places[n % 3]
        status = Evaluation.Status.SUBMITTED if n % 5 == 4 else Evaluation.Status.RELEASED
        source = [Evaluation.Source.REVIEWER, Evaluation.Source.SHOPPER, Evaluation.Source.AUTOMATIC][n % 3]
        made.append(f.make_evaluation(version, location, world.reviewer, random_answers(rng), employee=employee,
                                      status=status, source=source, days_ago=1 + (n * 7) % 65))
    return world, version, made, rng


def test_rollups_follow_every_change(scene):
    world, version, made, rng = scene
    check(world, version)

    # A release, and an answer corrected on a report awaiting validation then released.
    waiting = [e for e in made if e.status == Evaluation.Status.SUBMITTED]
    services.release(waiting[0])
    answer = Answer.objects.get(evaluation=waiting[1], item__question="Greeted")
    visits.correct_answer(answer, value="no", na=False, reason="Seen on the recording", by=world.lead)
    services.release(Evaluation.objects.get(pk=waiting[1].pk))
    check(world, version)

    # A dispute decided: an answer amended, the score follows.
    disputed = Evaluation.objects.filter(employee=world.employee_a, status=Evaluation.Status.RELEASED).first()
    disputed_answer = Answer.objects.get(evaluation=disputed, item__question="Never argued")
    dispute = disputes.raise_dispute(disputed, world.employee, {disputed_answer.pk: "I did not argue"})
    item = dispute.items.get()
    new_value = "no" if disputed_answer.value == "yes" else "yes"
    disputes.decide(dispute, world.lead, {item.pk: ("amended", new_value, False, "Heard again")})
    check(world, version)

    # Answers rescored in place; rejected and calibration flags; moved people, places and dates.
    rescored = made[0]
    services.save_answers(rescored, {a.item_id: services.AnswerData(value="yes" if a.item.answer_type == "yes_no" else a.value,
                                                                    na=a.na) for a in rescored.answers.select_related("item")})
    services.score_and_store(rescored)
    Evaluation.objects.filter(pk=made[1].pk).update(status=Evaluation.Status.REJECTED)
    flagged = Evaluation.objects.get(pk=made[2].pk)
    flagged.is_calibration = True
    flagged.save(update_fields=["is_calibration"])
    moved = Evaluation.objects.get(pk=made[3].pk)
    moved.employee, moved.location = world.employee_b, world.location_b
    moved.save()
    dated = Evaluation.objects.get(pk=made[5].pk)
    dated.interaction_at = dated.interaction_at - timedelta(days=33)
    dated.save(update_fields=["interaction_at"])
    Evaluation.objects.filter(location=world.location_b).update(interaction_at=timezone.now() - timedelta(days=2))
    check(world, version)

    # Deletions, one and in bulk.
    Evaluation.objects.get(pk=made[6].pk).delete()
    Evaluation.objects.filter(pk__in=[made[7].pk, made[8].pk]).delete()
    check(world, version)


def test_random_changes_keep_the_rollups_exact(scene):
    world, version, made, rng = scene
    items = {item.question: item for item in Item.objects.filter(section__version=version)}
    people = [(world.location_a, world.employee_a), (world.location_b, world.employee_b), (world.location_b, None)]
    for step in range(30):
        evaluation = Evaluation.objects.filter(pk__in=[e.pk for e in made]).order_by("?").first()
        if evaluation is None:
            break
        action = rng.choice(["answers", "status", "place", "date", "calibration", "delete", "new"])
        if action == "answers":
            answers = random_answers(rng)
            services.save_answers(evaluation, {items[q].pk: services.AnswerData(value="" if v == "N/A" else v,
                                                                                 na=v == "N/A")
                                               for q, v in answers.items()})
            services.score_and_store(evaluation)
        elif action == "status":
            evaluation.status = rng.choice(list(Evaluation.Status.values))
            evaluation.save()
        elif action == "place":
            evaluation.location, evaluation.employee = rng.choice(people)
            evaluation.save(update_fields=["location", "employee"])
        elif action == "date":
            Evaluation.objects.filter(pk=evaluation.pk).update(
                interaction_at=evaluation.interaction_at + timedelta(days=rng.randint(-40, 40)))
        elif action == "calibration":
            evaluation.is_calibration = not evaluation.is_calibration
            evaluation.save()
        elif action == "delete":
            evaluation.delete()
        else:
            location, employee = rng.choice(people)
            made.append(f.make_evaluation(version, location, world.reviewer, random_answers(rng), employee=employee,
                                          days_ago=rng.randint(0, 70)))
        if step % 10 == 9:
            check(world, version)
    check(world, version)


def test_a_viewer_in_another_time_zone_gets_the_raw_figures(scene, settings):
    """Roll-up days are ROLLUP_TIME_ZONE's: a report in another zone is added up from the raw rows."""
    world, version, _made, _rng = scene
    report_filter, _evaluations = report_services.filtered(world.admin, {})
    assert rollup_figures.rows_for(report_filter, {}) is not None
    with timezone.override("Asia/Tokyo"):
        assert rollup_figures.rows_for(report_filter, {}) is None


def test_a_shopper_reach_is_not_said_in_rollup_keys(world):
    """A reach chosen by evaluator (a shopper's own reports) cannot be read from the roll-ups."""
    from qa import scoping

    assert scoping.counted_rollup_filter(world.shopper) is None
    both = f.make_user("manager_and_shopper", roles.MANAGER, roles.SHOPPER)
    assert scoping.counted_rollup_filter(both) is None


def test_rebuild_command_reports_progress_and_restores_lost_rollups(scene, capsys):
    world, version, _made, _rng = scene
    kept = snapshot()
    LocationItemRollup.objects.all().delete()
    ItemRollup.objects.all().delete()
    EvaluationRollup.objects.all().delete()
    call_command("rebuild_rollups")
    out = capsys.readouterr().out
    assert "evaluations by day" in out and "roll-up rows" in out and "item rows per place" in out
    assert snapshot() == kept
