"""Plans opened by the triggers, on evaluations released through qa's real workflow: a critical failure, a
location or employee below a policy target (only with the minimum sample), an item failed in X% of the last N
evaluations; never a duplicate for the same unresolved cause; nothing for calibration or drafts."""

import pytest
from django.db import IntegrityError

from plans import services, triggers
from plans.models import ActionPlan, TriggerRule
from tests import factories as f
from tests.plans_helpers import ARGUED, NO_GREETING, fcr_target, kpi_version, release, trigger

pytestmark = pytest.mark.django_db
K = TriggerRule.Kind
FCR_FAIL = dict(f.ALL_GOOD, **{"Anticipated a question": "no", "Customer note": ""})
FCR_PASS = dict(f.ALL_GOOD, **{"Customer note": ""})


def test_a_critical_failure_opens_one_plan_for_the_employee_and_adds_later_ones(world):
    trigger(K.CRITICAL)
    first = release(world.version, world.location_a, world.reviewer, ARGUED, employee=world.employee_a)
    plan = ActionPlan.objects.get()
    assert (plan.employee, plan.origin, plan.status) == (world.employee_a, "critical", "open")
    assert plan.owner == world.manager_a  # the region's manager owns it
    assert list(plan.evaluations.all()) == [first]
    assert [i.question for i in plan.items.all()] == ["Never argued"]
    second = release(world.version, world.location_a, world.reviewer, ARGUED, employee=world.employee_a)
    assert ActionPlan.objects.count() == 1
    assert set(plan.evaluations.all()) == {first, second}
    release(world.version, world.location_a, world.reviewer, f.ALL_GOOD, employee=world.employee_a)
    assert ActionPlan.objects.count() == 1


def test_no_plan_without_an_active_trigger_or_for_a_pass(world):
    trigger(K.CRITICAL, active=False)
    release(world.version, world.location_a, world.reviewer, ARGUED, employee=world.employee_a)
    trigger(K.CRITICAL, name="on")
    release(world.version, world.location_a, world.reviewer, NO_GREETING, employee=world.employee_a)
    assert not ActionPlan.objects.exists()


def test_below_target_respects_the_minimum_sample(world):
    version = kpi_version(world.admin)
    fcr_target(85)
    trigger(K.TARGET, level=TriggerRule.Level.LOCATION, period_days=30, min_sample=4)
    for answers in (FCR_FAIL, FCR_FAIL, FCR_PASS):
        release(version, world.location_a, world.reviewer, answers, employee=world.employee_a)
    assert not ActionPlan.objects.exists(), "3 evaluations are below the minimum sample of 4"
    release(version, world.location_a, world.reviewer, FCR_PASS, employee=world.employee_a)
    plan = ActionPlan.objects.get()
    assert (plan.location, plan.employee, plan.origin, plan.target.kpi) == (world.location_a, None, "target", "fcr")
    assert "50.0%" in plan.observed and "4 evaluations" in plan.observed
    release(version, world.location_a, world.reviewer, FCR_FAIL, employee=world.employee_a)
    assert ActionPlan.objects.count() == 1, "the same unresolved cause never opens a second plan"


def test_below_target_looks_only_at_the_period(world):
    version = kpi_version(world.admin)
    fcr_target(85)
    rule = trigger(K.TARGET, level=TriggerRule.Level.EMPLOYEE, period_days=7, min_sample=2)
    for _ in range(3):
        f.make_evaluation(version, world.location_a, world.reviewer, FCR_FAIL, employee=world.employee_a, days_ago=20)
    assert triggers.scan_targets() == []
    for _ in range(2):
        f.make_evaluation(version, world.location_a, world.reviewer, FCR_FAIL, employee=world.employee_a, days_ago=2)
    opened = triggers.scan_targets()
    assert [(p.employee, p.trigger) for p in opened] == [(world.employee_a, rule)]
    assert triggers.scan_targets() == opened, "the periodic pass finds the same plan, never a second"
    assert ActionPlan.objects.count() == 1


def test_an_item_failing_often_opens_a_plan_once_enough_evaluations(world):
    trigger(K.ITEM_RATE, level=TriggerRule.Level.EMPLOYEE, failure_percent=50, window=4, min_sample=4)
    for answers in (NO_GREETING, f.ALL_GOOD, NO_GREETING):
        release(world.version, world.location_b, world.reviewer, answers, employee=world.employee_b)
    assert not ActionPlan.objects.exists(), "3 of the 4 evaluations looked at"
    release(world.version, world.location_b, world.reviewer, f.ALL_GOOD, employee=world.employee_b)
    plan = ActionPlan.objects.get()
    assert plan.employee == world.employee_b and plan.owner == world.manager_b
    assert [i.question for i in plan.items.all()] == ["Greeted the customer"]
    assert plan.evaluations.count() == 2 and plan.observed == "Failed in 2 of the last 4 evaluations"


def test_calibration_drafts_and_automatic_scores_trigger_nothing(world):
    from qa.models import Evaluation

    trigger(K.CRITICAL)
    draft = f.make_evaluation(world.version, world.location_a, world.reviewer, ARGUED, employee=world.employee_a,
                              status=Evaluation.Status.DRAFT)
    assert triggers.on_release(draft) == []
    auto = f.make_evaluation(world.version, world.location_a, world.reviewer, ARGUED, employee=world.employee_a,
                             source=Evaluation.Source.AUTOMATIC)
    assert triggers.on_release(auto) == []
    assert not ActionPlan.objects.exists()


def test_the_database_refuses_a_second_unresolved_plan_for_a_cause(world):
    plan, created = services.open_plan(cause_key="x:1", title="One", location=world.location_a, owner=world.manager_a)
    again, created_again = services.open_plan(cause_key="x:1", title="Two", location=world.location_a,
                                              owner=world.manager_a)
    assert created and not created_again and again == plan
    with pytest.raises(IntegrityError):
        ActionPlan.objects.create(cause_key="x:1", title="Three", location=world.location_a, owner=world.manager_a)


def test_a_closed_plan_lets_the_cause_open_a_new_one(world):
    plan, _ = services.open_plan(cause_key="x:2", title="One", location=world.location_a, owner=world.manager_a)
    plan.status = ActionPlan.Status.CLOSED
    plan.save()
    second, created = services.open_plan(cause_key="x:2", title="Two", location=world.location_a, owner=world.manager_a)
    assert created and second != plan
