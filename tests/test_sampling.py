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
