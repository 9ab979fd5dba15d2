"""The "action plan overdue" webhook: plans' reminder job sends plans.signals.action_overdue once per action
and overdue period (each due date it misses), whether or not the action's owner has an e-mail address; api
turns it into a signed delivery for each subscriber who may see the plan (plans.scoping, asked at send time)
and none for the others."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from api import signing, webhooks
from api.models import WebhookDelivery
from plans import reminders, services, signals
from tests.api.test_webhooks import receiver  # noqa: F401  (the local receiver fixture)
from tests.plans_helpers import days

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_action(world):
    world.manager_a.email = "manager.a@example.com"
    world.manager_a.save()
    plan, _ = services.open_plan(title="Returns at Store A", location=world.location_a, owner=world.manager_a,
                                 by=world.manager_a)
    action = services.add_action(plan, text="Refresh the returns training", owner=world.manager_a,
                                 due_date=days(0), by=world.manager_a)
    return plan, action


def test_the_signal_is_sent_once_per_action_and_due_date_with_or_without_an_email_address(world, late_action):
    heard = []

    def listen(sender, action, due_date, **kwargs):
        heard.append((action.pk, due_date))

    plan, action = late_action
    no_address = services.add_action(plan, text="Re-train the night shift", owner=world.lead, due_date=days(0),
                                     by=world.manager_a)
    assert world.lead.email == ""
    signals.action_overdue.connect(listen)
    try:
        tomorrow = timezone.now() + timedelta(days=1)
        assert reminders.send_due_reminders(tomorrow) == 1, "one e-mail: the lead has no address"
        reminders.send_due_reminders(tomorrow + timedelta(hours=1))
        assert reminders.send_due_reminders(tomorrow + timedelta(days=7)) == 1, "the weekly e-mail still goes"
        assert sorted(heard) == sorted([(action.pk, days(0)), (no_address.pk, days(0))])
        no_address.due_date = days(2)  # a new date, missed too: a new overdue period
        no_address.save()
        reminders.send_due_reminders(tomorrow + timedelta(days=8))
        reminders.send_due_reminders(tomorrow + timedelta(days=9))
    finally:
        signals.action_overdue.disconnect(listen)
    assert heard[2:] == [(no_address.pk, days(2))]


def test_a_subscriber_who_sees_the_plan_gets_a_signed_delivery_and_others_none(
        world, late_action, receiver, django_capture_on_commit_callbacks):  # noqa: F811
    plan, action = late_action
    subscription, r = receiver(world.manager_a, ["action_plan.overdue"])
    other, r_b = receiver(world.manager_b, ["action_plan.overdue"])
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_due_reminders(timezone.now() + timedelta(days=1))
    assert len(r.received) == 1
    ok, header, body = r.received[0]
    assert ok and signing.verify(r.secret, body, header)
    sent = json.loads(body)
    assert sent["event"] == "action_plan.overdue"
    assert sent["data"]["action"]["id"] == action.pk and sent["data"]["plan"]["id"] == plan.pk
    assert sent["data"]["plan"]["actions"][0]["text"] == "Refresh the returns training"
    assert WebhookDelivery.objects.get(subscription=subscription).status == "delivered"
    # Region B's manager may not see region A's plan: no delivery is made for them, nothing is sent.
    assert r_b.received == []
    assert not WebhookDelivery.objects.filter(subscription=other).exists()


def test_an_owner_without_an_email_address_does_not_silence_the_webhook(
        world, late_action, receiver, django_capture_on_commit_callbacks):  # noqa: F811
    plan, action = late_action
    action.owner = world.reviewer  # no e-mail address
    action.save()
    subscription, r = receiver(world.manager_a, ["action_plan.overdue"])
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_due_reminders(timezone.now() + timedelta(days=1)) == 0
        reminders.send_due_reminders(timezone.now() + timedelta(days=2))
    assert len(r.received) == 1
    sent = json.loads(r.received[0][2])
    assert sent["data"]["action"]["id"] == action.pk and sent["data"]["missed_due_date"] == days(0).isoformat()
    delivery = WebhookDelivery.objects.get(subscription=subscription)
    assert delivery.status == "delivered" and delivery.object_id == f"{action.pk}:{days(0).isoformat()}"
    # Given a new date since, the old period's delivery is not sent again as overdue.
    action.due_date = days(5)
    action.save()
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.resend(delivery)  # "Send again" on the deliveries page
    delivery.refresh_from_db()
    assert delivery.status == "skipped" and len(r.received) == 1
