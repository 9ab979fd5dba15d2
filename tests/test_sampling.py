"""Sampling: reproducible by seed, spread across channels and days, never twice, queues and coverage."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qa import sampling
from qa.models import Interaction, ReviewTask, SamplingRule
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 11, 16).date()


def interactions(world, employee, count, channels=("phone_call", "email")):
    made = []
    for n in range(count):
        day = MONDAY + timedelta(days=n % 7)
        made.append(Interaction.objects.create(
            channel=channels[n % len(channels)], location=employee.location, employee=employee,
            occurred_at=timezone.make_aware(datetime.combine(day, time(10 + n % 6))), created_by=world.lead,
            conversation="text"))
    return made


@pytest.fixture
def rule(world):
    return SamplingRule.objects.create(name="Four a week", per_employee=4, period="week", created_by=world.lead)


def picked(draw):
    return sorted(draw.tasks.values_list("interaction_id", flat=True))


def test_the_same_seed_draws_the_same_sample(world, rule):
    interactions(world, world.employee_a, 20)
    first = sampling.draw(rule, MONDAY, world.lead, seed=1234)
    chosen = picked(first)
    assert len(chosen) == 4 and first.seed == 1234
    ReviewTask.objects.all().delete()
    again = sampling.draw(rule, MONDAY + timedelta(days=3), world.lead, seed=1234)
    assert picked(again) == chosen
    ReviewTask.objects.all().delete()
    assert picked(sampling.draw(rule, MONDAY, world.lead, seed=99)) != chosen


def test_never_twice_and_topped_up_to_the_target(world, rule):
    interactions(world, world.employee_a, 6)
    first = sampling.draw(rule, MONDAY, world.lead, seed=1)
    second = sampling.draw(rule, MONDAY, world.lead, seed=2)
    assert first.picked == 4 and second.picked == 0  # already at target
    rule.per_employee = 10
    rule.save()
    third = sampling.draw(rule, MONDAY, world.lead, seed=3)
    assert third.picked == 2  # only the two never picked remain
    assert ReviewTask.objects.count() == 6


def test_spread_across_channels_and_days(world, rule):
    interactions(world, world.employee_a, 28, channels=("phone_call", "email", "chat", "social"))
    draw = sampling.draw(rule, MONDAY, world.lead, seed=7)
    chosen = Interaction.objects.filter(review_task__draw=draw)
    assert len({i.channel for i in chosen}) == 4
    assert len({timezone.localtime(i.occurred_at).date() for i in chosen}) == 4


def test_only_the_rules_channels_and_period(world):
    rule = SamplingRule.objects.create(name="Calls", per_employee=5, period="week", channels=["phone_call"],
                                       created_by=world.lead)
    interactions(world, world.employee_a, 10)
    Interaction.objects.create(channel="phone_call", location=world.location_a, employee=world.employee_a,
                               occurred_at=timezone.make_aware(datetime.combine(MONDAY - timedelta(days=1), time(12))),
                               created_by=world.lead)
    draw = sampling.draw(rule, MONDAY, world.lead, seed=5)
    chosen = Interaction.objects.filter(review_task__draw=draw)
    assert {i.channel for i in chosen} == {"phone_call"}
    assert all(timezone.localtime(i.occurred_at).date() >= MONDAY for i in chosen)


def test_queues_are_shared_among_reviewers_and_coverage_shows_gaps(world, rule, client_for):
    interactions(world, world.employee_a, 10)
    interactions(world, world.employee_b, 2)
    sampling.draw(rule, MONDAY, world.lead, seed=11)
    assert set(ReviewTask.objects.values_list("reviewer__username", flat=True)) == {"lead", "reviewer"}
    rows = {r["employee"].name: r for r in sampling.coverage(rule, MONDAY)}
    assert rows["Ann Employee"]["sampled"] == 4 and rows["Bob Employee"]["sampled"] == 2
    assert rows["Bob Employee"]["below"] and rows["Bob Employee"]["available"] == 2
    mine = client_for(world.reviewer).get(reverse("my-queue")).context["tasks"]
    assert mine and all(t.reviewer == world.reviewer for t in mine)


def test_leads_draw_from_the_page(world, rule, client_for):
    interactions(world, world.employee_a, 3)
    response = client_for(world.lead).post(reverse("sampling-draw", args=[rule.pk]), follow=True)
    assert "interactions drawn" in response.content.decode()
    response = client_for(world.lead).post(reverse("sampling"), {"name": "", "per_employee": "4", "period": "week"})
    assert response.status_code == 422


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_sample(world, rule, client_for, persona):
    client = client_for(world.persona(persona))
    statuses = (client.get(reverse("sampling")).status_code,
                client.get(reverse("sampling-coverage", args=[rule.pk])).status_code,
                client.get(reverse("my-queue")).status_code)
    expected = {"anonymous": (302, 302, 302), "admin": (200, 200, 200), "lead": (200, 200, 200),
                "reviewer": (403, 403, 200)}.get(persona, (403, 403, 403))
    assert statuses == expected


def test_on_a_monday_last_week_can_be_drawn(world, rule, client_for, monkeypatch):
    """Issue 12.7: on a Monday "this week" has nothing yet; last week's calls must be drawable."""
    interactions(world, world.employee_a, 6)  # all in the week of MONDAY
    next_monday = MONDAY + timedelta(days=7)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: next_monday)
    client = client_for(world.lead)
    response = client.post(reverse("sampling-draw", args=[rule.pk]), {"which": "current"}, follow=True)
    assert "0 interactions drawn" in response.content.decode()
    response = client.post(reverse("sampling-draw", args=[rule.pk]), {"which": "previous"}, follow=True)
    assert "4 interactions drawn for 16 Nov to 22 Nov 2026" in response.content.decode()
    draw = rule.draws.first()
    assert (draw.period_start, draw.period_end) == (MONDAY, MONDAY + timedelta(days=6))


def test_any_range_can_be_drawn_and_a_bad_range_is_refused_with_the_reason(world, rule, client_for):
    interactions(world, world.employee_a, 6)
    client = client_for(world.lead)
    response = client.post(reverse("sampling-draw", args=[rule.pk]),
                           {"which": "range", "start": "2026-11-17", "end": "2026-11-18"}, follow=True)
    assert "2 interactions drawn for 17 Nov to 18 Nov 2026" in response.content.decode()
    response = client.post(reverse("sampling-draw", args=[rule.pk]),
                           {"which": "range", "start": "2026-11-18", "end": "2026-11-10"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "The last day must not be before the first." in body and 'value="2026-11-18"' in body


def test_a_rule_of_zero_is_refused_with_a_clear_message(world, client_for):
    response = client_for(world.lead).post(reverse("sampling"), {"name": "None", "per_employee": "0", "period": "week"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Review at least 1 interaction per employee" in body and 'href="#id_per_employee"' in body
    assert 'value="None"' in body
    assert not SamplingRule.objects.filter(name="None").exists()


def test_rules_are_edited_and_retired_never_deleted(world, rule, client_for):
    interactions(world, world.employee_a, 6)
    draw = sampling.draw(rule, MONDAY, world.lead, seed=1)
    client = client_for(world.lead)
    assert client.get(reverse("sampling-edit", args=[rule.pk])).status_code == 200
    response = client.post(reverse("sampling-edit", args=[rule.pk]),
                           {"name": "Two a week", "per_employee": "2", "period": "week", "channels": ["email"]},
                           follow=True)
    assert "Sampling rule “Two a week” changed" in response.content.decode()
    rule.refresh_from_db()
    assert (rule.name, rule.per_employee, rule.channels) == ("Two a week", 2, ["email"])
    assert client.post(reverse("sampling-edit", args=[rule.pk]),
                       {"name": "x", "per_employee": "0", "period": "week"}).status_code == 422
    response = client.post(reverse("sampling-retire", args=[rule.pk]), follow=True)
    assert "retired" in response.content.decode()
    rule.refresh_from_db()
    assert not rule.active and draw.rule_id == rule.pk and rule.draws.count() == 1
    # A retired rule is not drawn any more.
    assert client.post(reverse("sampling-draw", args=[rule.pk])).status_code == 404


def test_coverage_counts_only_the_employees_a_rule_applies_to_and_filters(world, client_for):
    calls = SamplingRule.objects.create(name="Calls", per_employee=2, period="week", channels=["phone_call"],
                                        created_by=world.lead)
    interactions(world, world.employee_a, 4, channels=("phone_call",))
    interactions(world, world.employee_b, 4, channels=("email",))  # store staff who never take calls
    names = [r["employee"].name for r in sampling.coverage(calls, MONDAY)]
    assert names == ["Ann Employee"]
    every = SamplingRule.objects.create(name="All", per_employee=2, period="week", created_by=world.lead)
    assert {r["employee"].name for r in sampling.coverage(every, MONDAY, channel="email")} == {"Bob Employee"}
    assert {r["employee"].name for r in sampling.coverage(every, MONDAY, location=world.location_a)} == {
        "Ann Employee"}
    client = client_for(world.lead)
    body = client.get(reverse("sampling-coverage", args=[calls.pk]),
                      {"which": "range", "start": "2026-11-16", "end": "2026-11-22"}).content.decode()
    assert "Ann Employee" in body and "Bob Employee" not in body
    body = client.get(reverse("sampling-coverage", args=[every.pk]),
                      {"which": "range", "start": "2026-11-16", "end": "2026-11-22", "channel": "email"}).content.decode()
    assert "Bob Employee" in body and "Ann Employee" not in body
    assert client.get(reverse("sampling-coverage", args=[every.pk]), {"channel": "nonsense"}).status_code == 400
