"""Coaching sessions as a service: scheduled from two evaluations (the employee told by e-mail), templates
copied, both sides confirm with their times, and the before/after effect on the coached items checked by hand."""

import math
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching import effect, sessions
from coaching.models import SessionTemplate
from qa.models import Evaluation
from tests import factories as f
from tests.coaching.helpers import GOOD, NO_GREETING, reviewed

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(world):
    return f.make_call_scorecard(world.admin)


def test_session_from_two_evaluations_tells_the_employee_and_both_confirm(world, calls, django_capture_on_commit_callbacks):
    world.employee.email = "ann@example.com"
    world.employee.save()
    first = reviewed(world, calls, NO_GREETING, days_ago=10, pin="Greeted the caller")
    second = reviewed(world, calls, GOOD, days_ago=5, pin="Tone")
    template = SessionTemplate.objects.get(name="Failed critical item")
    with django_capture_on_commit_callbacks(execute=True):
        session = sessions.schedule(coach=world.reviewer, employees=[world.employee_a], evaluations=[first, second],
                                    scheduled_at=timezone.now() - timedelta(hours=1), title="Greeting",
                                    agenda=template.agenda, template=template)
    assert set(session.evaluations.all()) == {first, second}
    assert [g.text for g in session.goals.all()] == template.goal_lines()
    assert session.goals.first().due_on == timezone.localdate(session.scheduled_at) + timedelta(days=template.goal_days)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ann@example.com"]
    assert "/coaching/%d/" % session.pk in mail.outbox[0].body
    assert sessions.status_of(session) == "Awaiting both confirmations"
    assert sessions.confirm_as_coach(session) is True
    assert sessions.confirm_as_coach(session) is False  # twice is harmless
    attendance = session.attendances.get()
    assert sessions.confirm_as_employee(attendance, by=world.employee, comment=" Agreed ") is True
    session.refresh_from_db()
    attendance.refresh_from_db()
    assert session.coach_confirmed_at and attendance.confirmed_at and attendance.comment == "Agreed"
    assert attendance.confirmed_by == world.employee
    assert sessions.status_of(session) == "Confirmed by both"
    assert session.history.count() == 2 and attendance.history.count() == 2


def test_a_future_session_cannot_be_confirmed_and_evaluations_must_be_the_employees(world, calls):
    other = reviewed(world, calls, GOOD, employee=world.employee_b)
    with pytest.raises(ValidationError):
        sessions.schedule(coach=world.reviewer, employees=[world.employee_a], evaluations=[other],
                          scheduled_at=timezone.now(), title="x")
    session = sessions.schedule(coach=world.reviewer, employees=[world.employee_a], evaluations=[],
                                scheduled_at=timezone.now() + timedelta(days=1), title="Soon")
    with pytest.raises(ValidationError):
        sessions.confirm_as_coach(session)
    with pytest.raises(ValidationError):
        sessions.confirm_as_employee(session.attendances.get(), by=world.employee)
    assert sessions.status_of(session) == "Scheduled"


def test_team_workshop_has_several_employees(world, calls):
    a = reviewed(world, calls, NO_GREETING)
    b = reviewed(world, calls, NO_GREETING, employee=world.employee_b)
    session = sessions.schedule(coach=world.lead, employees=[world.employee_a, world.employee_b], evaluations=[a, b],
                                scheduled_at=timezone.now(), title="Workshop",
                                template=SessionTemplate.objects.get(kind="workshop"))
    assert session.attendances.count() == 2


def mean_and_interval(values):
    """By hand: mean and the 95% t interval (t for n-1 degrees of freedom from the table below)."""
    t = {1: 12.706, 2: 4.303, 3: 3.182}
    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = t[n - 1] * sd / math.sqrt(n)
    return mean, (max(0.0, mean - half), min(100.0, mean + half))


def test_before_and_after_on_the_coached_items_with_n_and_intervals(world, calls):
    # Before the session: greeting failed twice, passed once (0, 0, 100). After: passed 3 times, failed once.
    before = [reviewed(world, calls, NO_GREETING, days_ago=d) for d in (30, 20)]
    before.append(reviewed(world, calls, GOOD, days_ago=15))
    coached_from = before[:2]
    for d in (4, 3, 2):
        reviewed(world, calls, GOOD, days_ago=d)
    reviewed(world, calls, NO_GREETING, days_ago=1)
    # Neither a self-assessment nor another employee's evaluation counts.
    f.make_evaluation(calls, world.location_a, world.employee, NO_GREETING, employee=world.employee_a, days_ago=2,
                      source=Evaluation.Source.SELF, status=Evaluation.Status.SUBMITTED)
    reviewed(world, calls, NO_GREETING, days_ago=2, employee=world.employee_b)
    # Too old for "before" (more than BEFORE_DAYS before the session).
    reviewed(world, calls, NO_GREETING, days_ago=effect.BEFORE_DAYS + 11)
    session = sessions.schedule(coach=world.reviewer, employees=[world.employee_a], evaluations=coached_from,
                                scheduled_at=timezone.now() - timedelta(days=10), title="Greeting")
    assert effect.coached_items(session) == [(calls.scorecard_id, "Greeted the caller")]
    [row] = effect.effects(session, [world.employee_a])
    assert row.before.n == 3 and row.after.n == 4
    mean, ci = mean_and_interval([0, 0, 100])
    assert row.before.mean == pytest.approx(mean) and row.before.ci == pytest.approx(ci)
    mean, ci = mean_and_interval([100, 100, 100, 0])
    assert row.after.mean == pytest.approx(75.0) and row.after.ci == pytest.approx(ci)
    assert row.change == pytest.approx(75.0 - 100 / 3)
