"""Overdue-action reminders, run as the periodic job runs them (registered in qa.periodic): one e-mail per
overdue action, never twice in a day or on a second tick, again a week later and when the due date moves;
none for done actions or closed plans. And the history every change leaves."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from plans import history, reminders, services
from plans.models import ActionPlan, Reminder
from qa import formats, periodic
from tests.plans_helpers import days

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(world):
    world.manager_a.email = "manager.a@example.com"
    world.manager_a.save()
    world.lead.email = "lead@example.com"
    world.lead.save()
    plan, _ = services.open_plan(title="Returns at Store A", location=world.location_a, owner=world.manager_a,
                                 by=world.manager_a)
    late = services.add_action(plan, text="Refresh the returns training", owner=world.manager_a, due_date=days(0),
                               by=world.manager_a)
    done = services.add_action(plan, text="Print the policy", owner=world.lead, due_date=days(0), by=world.manager_a)
    services.mark_done(done, by=world.lead)
    return plan, late


def test_the_job_is_registered_with_the_periodic_ticks():
    assert periodic.jobs()["action plans"] is reminders.tick


def test_an_overdue_action_is_reminded_once_then_weekly(world, overdue):
    plan, late = overdue
    tomorrow = timezone.now() + timedelta(days=1)
    assert reminders.send_due_reminders(timezone.now()) == 0, "not overdue on its due day"
    periodic.jobs()["action plans"](tomorrow)
    periodic.jobs()["action plans"](tomorrow + timedelta(hours=1))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["manager.a@example.com"]
    assert "Refresh the returns training" in message.body and f"/plans/{plan.pk}/" in message.body
    assert reminders.send_due_reminders(tomorrow + timedelta(days=3)) == 0
    assert reminders.send_due_reminders(tomorrow + timedelta(days=7)) == 1
    assert Reminder.objects.filter(action=late).count() == 2


def test_a_moved_due_date_is_reminded_afresh_and_done_actions_never(world, overdue):
    plan, late = overdue
    reminders.send_due_reminders(timezone.now() + timedelta(days=1))
    late.due_date = days(1)
    late.save()
    assert reminders.send_due_reminders(timezone.now() + timedelta(days=2)) == 1
    services.mark_done(late, by=world.manager_a)
    assert reminders.send_due_reminders(timezone.now() + timedelta(days=20)) == 0


def test_a_closed_plan_sends_no_reminder(world, overdue):
    plan, _late = overdue
    plan.status = ActionPlan.Status.CLOSED
    plan.save()
    assert reminders.send_due_reminders(timezone.now() + timedelta(days=5)) == 0


def test_every_change_is_in_the_history_in_sentences(world, overdue):
    plan, late = overdue
    with pytest.raises(ValidationError, match="Nothing has been analysed yet"):  # no root cause: no sign-off
        services.sign_off(plan, by=world.manager_a)
    plan.root_cause = "training"
    plan._history_user = world.manager_a
    plan.save()
    services.sign_off(plan, by=world.manager_a)
    late.due_date = date(2026, 12, 12)
    late._history_user = world.lead
    late.save()
    texts = [(e["by"], e["text"]) for e in history.entries(plan)]
    assert (world.manager_a, "manager_a opened the plan “Returns at Store A”.") in texts
    assert (world.manager_a, "manager_a set the root cause to “Training”.") in texts
    assert (world.manager_a, "manager_a signed off the plan.") in texts
    assert (world.lead, "lead marked the action “Print the policy” done.") in texts
    assert (world.manager_a, "manager_a added the action “Refresh the returns training” for manager_a, due "
            f"{formats.date(days(0))}.") in texts
    assert (world.lead, "lead set the due date of “Refresh the returns training” to 12 Dec 2026.") in texts
