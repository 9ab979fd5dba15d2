"""The follow-up that proves a plan worked, with real re-shops taken, filed and approved and real re-reviews
released: created only once every action is done and the last due date has come; closing the plan when every
follow-up evaluation meets the target, reopening it and escalating (e-mail and flag) to the owner's manager when
one does not; a cancelled re-shop replaced; the next round after new actions."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from plans import reminders, services
from plans.models import ActionPlan, FollowUp
from qa import roles
from qa.models import Evaluation, Interaction, ReviewTask
from shops import services as shop_services
from shops.models import Assignment
from tests import factories as f
from tests.plans_helpers import NO_GREETING, days, release, shop

pytestmark = pytest.mark.django_db
S = ActionPlan.Status


@pytest.fixture
def plan(world):
    world.manager_a.email = "manager.a@example.com"
    world.manager_a.save()
    boss = f.make_user("boss", roles.MANAGER, email="boss@example.com")
    boss.regions.add(world.region_a)
    failed = f.make_evaluation(world.version, world.location_a, world.reviewer, NO_GREETING, employee=world.employee_a,
                               source=Evaluation.Source.SHOPPER)
    plan, _ = services.open_plan(title="Greetings at Store A", location=world.location_a, owner=world.manager_a,
                                 evaluations=[failed], follow_up_count=2, follow_up_target=80, by=world.manager_a)
    world.boss = boss
    return plan


def test_follow_up_waits_for_every_action_and_the_due_date(world, plan):
    today = services.add_action(plan, text="Brief the team on greetings", owner=world.manager_a, due_date=days(0),
                                by=world.manager_a)
    later = services.add_action(plan, text="Greeting in the rota checklist", owner=world.manager_a, due_date=days(3),
                                by=world.manager_a)
    services.mark_done(today, by=world.manager_a)
    plan.refresh_from_db()
    assert plan.status == S.IN_PROGRESS and not plan.follow_ups.exists()
    services.mark_done(later, by=world.manager_a, note="Added.")
    plan.refresh_from_db()
    assert plan.status == S.IN_PROGRESS and not plan.follow_ups.exists(), "the last due date has not come"
    reminders.start_due_follow_ups(timezone.now() + timedelta(days=2))
    assert not plan.follow_ups.exists()
    assert reminders.start_due_follow_ups(timezone.now() + timedelta(days=3)) == 1
    plan.refresh_from_db()
    assert plan.status == S.VERIFYING and plan.verification_round == 1
    shops = Assignment.objects.filter(plan_follow_up__plan=plan)
    assert shops.count() == 2
    for assignment in shops:
        assert (assignment.location, assignment.status, assignment.shopper) == (world.location_a, "offered", None)
        assert assignment.window_start == days(4) and assignment.version == world.version
    assert reminders.start_due_follow_ups(timezone.now() + timedelta(days=4)) == 0, "started once"
    assert shops.count() == 2


def verifying(world, plan):
    action = services.add_action(plan, text="Brief the team", owner=world.manager_a, due_date=days(0),
                                 by=world.manager_a)
    services.mark_done(action, by=world.manager_a)
    plan.refresh_from_db()
    assert plan.status == S.VERIFYING
    return [fu.assignment for fu in plan.follow_ups.select_related("assignment")]


def test_the_plan_closes_when_the_re_shops_meet_the_target(world, plan):
    first, second = verifying(world, plan)
    shop(world, first)
    plan.refresh_from_db()
    assert plan.status == S.VERIFYING, "one of two follow-ups released"
    shop(world, second)
    plan.refresh_from_db()
    assert plan.status == S.CLOSED and plan.closed_at and not plan.escalated
    assert mail.outbox == []


def test_a_missed_follow_up_reopens_and_escalates_to_the_owners_manager(world, plan):
    first, second = verifying(world, plan)
    shop(world, first)
    shop(world, second, answers={"Greeted the customer": "no"})  # 66.67% < 80%
    plan.refresh_from_db()
    assert plan.status == S.REOPENED and plan.escalated and plan.escalated_at
    assert list(plan.escalated_to.all()) == [world.boss], "the region's other manager, not the owner"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == {"boss@example.com", "manager.a@example.com"}
    assert "66.67%" in message.body and f"/plans/{plan.pk}/" in message.body
    # New actions, done: the second round's re-shops; the first round's no longer count.
    action = services.add_action(plan, text="Coach each new starter", owner=world.manager_a, due_date=days(0),
                                 by=world.manager_a)
    services.mark_done(action, by=world.manager_a)
    plan.refresh_from_db()
    assert plan.status == S.VERIFYING and plan.verification_round == 2
    assert plan.follow_ups.filter(round=2).count() == 2
    for follow_up in plan.follow_ups.filter(round=2):
        shop(world, follow_up.assignment)
    plan.refresh_from_db()
    assert plan.status == S.CLOSED


def test_a_cancelled_re_shop_is_replaced(world, plan):
    first, _second = verifying(world, plan)
    shop_services.cancel(first, world.lead)
    reminders.start_due_follow_ups()
    assert plan.follow_ups.count() == 3
    assert services.live_follow_ups(plan).count() == 2


def test_re_reviews_take_the_employees_interactions_after_the_due_date(world):
    calls = f.make_call_scorecard(world.admin)
    world.manager_a.email = "m@example.com"
    plan, _ = services.open_plan(title="Calls", employee=world.employee_a, owner=world.manager_a,
                                 follow_up_kind=ActionPlan.FollowUpKind.REREVIEW, follow_up_count=2,
                                 follow_up_target=75)
    before = Interaction.objects.create(channel="phone_call", location=world.location_a, employee=world.employee_a,
                                        occurred_at=timezone.now() - timedelta(days=2), created_by=world.reviewer)
    action = services.add_action(plan, text="Listen back to two calls", owner=world.manager_a,
                                 due_date=days(0), by=world.manager_a)
    services.mark_done(action, by=world.manager_a)
    plan.refresh_from_db()
    assert plan.status == S.VERIFYING and not plan.follow_ups.exists(), "no interaction after the due date yet"
    later = [Interaction.objects.create(channel="phone_call", location=world.location_a, employee=world.employee_a,
                                        occurred_at=timezone.now() + timedelta(days=1, hours=n),
                                        created_by=world.reviewer) for n in range(3)]
    reminders.start_due_follow_ups(timezone.now() + timedelta(days=2))
    tasks = ReviewTask.objects.filter(plan_follow_up__plan=plan)
    assert sorted(t.interaction_id for t in tasks) == [later[0].pk, later[1].pk]
    assert before.pk not in [t.interaction_id for t in tasks]
    assert all(t.reviewer is not None for t in tasks), "in the reviewers' queues"
    good = {"Greeted the caller": "yes", "Tone": "5", "Acknowledged in time": "N/A", "Resolved in time": "N/A"}
    for interaction in later[:2]:
        evaluation = f.make_evaluation(calls, world.location_a, world.reviewer, good, employee=world.employee_a,
                                       status=Evaluation.Status.DRAFT, interaction=interaction)
        from django.db import connection
        from qa import services as qa_services
        from tests.plans_helpers import run_commit_hooks
        qa_services.submit(evaluation, release=True)
        run_commit_hooks(connection)
    plan.refresh_from_db()
    assert plan.status == S.CLOSED


def test_follow_up_figures_ignore_unreleased_evaluations(world, plan):
    first, second = verifying(world, plan)
    # A released evaluation of the same location that is not a follow-up does not count.
    release(world.version, world.location_a, world.reviewer, f.ALL_GOOD, employee=world.employee_a)
    release(world.version, world.location_a, world.reviewer, f.ALL_GOOD, employee=world.employee_a)
    plan.refresh_from_db()
    assert plan.status == S.VERIFYING
    assert FollowUp.objects.filter(plan=plan).count() == 2


def test_re_shops_pay_the_locations_usual_fee_with_a_brief_for_the_shopper(world, plan, client_for):
    """A re-shop is offered like the location's other visits: their fee (not 0), a brief saying what to check
    (the failed question, never the plan's internal title), and marked as a re-shop where planners list visits."""
    from decimal import Decimal

    other = shop_services.create_assignment(
        created_by=world.lead, location=world.location_b, version=world.version, window_start=days(-30),
        window_end=days(-20), brief="Ask about returns.", fee=Decimal("18.00"))
    usual = shop_services.create_assignment(
        created_by=world.lead, location=world.location_a, version=world.version, window_start=days(-30),
        window_end=days(-20), brief="Ask about returns.", fee=Decimal("32.50"))
    assert other.pk and usual.pk
    first, second = verifying(world, plan)
    assert first.fee == second.fee == Decimal("32.50"), "the latest fee of the location's visits"
    assert "Greeted the customer" in first.brief, "what failed is what the shopper checks"
    assert plan.title not in first.brief and "action plan" not in first.brief.lower()
    assert first.brief.startswith("Make an ordinary visit"), "a store visit's scorecard: a visit"
    assert services.reshop_brief(plan, "phone_call").startswith("Make an ordinary call"), "a call is not a visit"

    listing = client_for(world.lead).get("/assignments/")
    assert listing.content.decode().count("Re-shop (follow-up of an action plan)") == 2, "the two re-shops only"
    detail = client_for(world.lead).get(f"/assignments/{first.pk}/")
    assert "Re-shop (follow-up of an action plan)" in detail.content.decode()
    assert f"/plans/{plan.pk}/" in detail.content.decode()
    assert "Re-shop (follow-up" not in client_for(world.lead).get(f"/assignments/{usual.pk}/").content.decode()


def test_a_second_rounds_re_shops_keep_the_usual_fee_not_an_earlier_re_shops(world, plan):
    """Only ordinary visits set the fee: a re-shop offered earlier (at whatever fee) is not the usual visit."""
    from decimal import Decimal

    shop_services.create_assignment(created_by=world.lead, location=world.location_a, version=world.version,
                                    window_start=days(-30), window_end=days(-20), brief="Ask.", fee=Decimal("30.00"))
    first, second = verifying(world, plan)
    Assignment.objects.filter(pk=first.pk).update(fee=Decimal("99.00"))
    assert services.reshop_fee(world.location_a, world.version) == Decimal("30.00")
