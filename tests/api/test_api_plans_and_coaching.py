"""Action plans and coaching sessions through the API: listed within the pages' reach (plans.scoping,
coaching.access), filtered by status, location and employee with the pages' meanings, read with their
actions, attendances and goals; bad filters are 400 problem+json naming the field."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coaching.models import Attendance, CoachingSession, Goal
from plans import services
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(world):
    plan_a, _ = services.open_plan(title="Returns at Store A", location=world.location_a, owner=world.manager_a,
                                   by=world.manager_a)
    services.add_action(plan_a, text="Refresh the returns training", owner=world.manager_a,
                        due_date=timezone.localdate() + timedelta(days=5), by=world.manager_a)
    plan_b, _ = services.open_plan(title="Greeting of Bob", employee=world.employee_b, owner=world.lead,
                                   by=world.lead)
    past = CoachingSession.objects.create(title="Calls review", coach=world.manager_a,
                                          scheduled_at=timezone.now() - timedelta(days=2),
                                          coach_confirmed_at=timezone.now())
    Attendance.objects.create(session=past, employee=world.employee_a, confirmed_at=timezone.now())
    Goal.objects.create(session=past, text="Offer the callback", due_on=timezone.localdate() + timedelta(days=14))
    upcoming = CoachingSession.objects.create(title="Workshop", coach=world.reviewer,
                                              scheduled_at=timezone.now() + timedelta(days=3))
    Attendance.objects.create(session=upcoming, employee=world.employee_b)
    return plan_a, plan_b, past, upcoming


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_plans_are_listed_within_the_pages_reach_and_filtered(world, objects, api):
    plan_a, plan_b, *_ = objects
    assert ids(api(world.lead).get("/api/v1/action-plans/")) == [plan_b.pk, plan_a.pk]
    assert ids(api(world.manager_a).get("/api/v1/action-plans/")) == [plan_a.pk]
    assert ids(api(world.employee_b.user).get("/api/v1/action-plans/")) == [plan_b.pk]
    lead = api(world.lead)
    assert ids(lead.get("/api/v1/action-plans/", {"location": world.location_a.pk})) == [plan_a.pk]
    assert ids(lead.get("/api/v1/action-plans/", {"location": world.location_b.pk})) == [plan_b.pk]  # via Bob
    assert ids(lead.get("/api/v1/action-plans/", {"employee": world.employee_b.pk})) == [plan_b.pk]
    assert ids(lead.get("/api/v1/action-plans/", {"status": "closed"})) == []
    assert len(ids(lead.get("/api/v1/action-plans/", {"status": "unresolved"}))) == 2
    detail = lead.get(f"/api/v1/action-plans/{plan_a.pk}/").json()
    assert detail["location"] == world.location_a.code and detail["status"] == "open"
    assert [a["text"] for a in detail["actions"]] == ["Refresh the returns training"]
    # Region A's manager may not filter by region B's location: a field error, as on the page.
    refused = api(world.manager_a).get("/api/v1/action-plans/", {"location": world.location_b.pk})
    assert refused.status_code == 400 and refused["Content-Type"] == "application/problem+json"
    assert "location" in refused.content.decode()
    for bad in ("nope", "١٢", "9" * 40):
        assert lead.get("/api/v1/action-plans/", {"status": bad}).status_code == 400
        assert lead.get("/api/v1/action-plans/", {"employee": bad}).status_code == 400
    assert lead.get("/api/v1/action-plans/١٢/").status_code == 404


def test_a_plan_lists_only_the_evaluations_its_reader_may_open(world, objects, api):
    plan_a = objects[0]
    released = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD,
                                 employee=world.employee_a)
    draft = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD,
                              employee=world.employee_a, status="draft")
    plan_a.evaluations.add(released, draft)
    assert api(world.manager_a).get(f"/api/v1/action-plans/{plan_a.pk}/").json()["evaluations"] == [released.pk]


def test_sessions_are_listed_within_the_pages_reach_and_filtered(world, objects, api):
    *_, past, upcoming = objects
    lead = api(world.lead)
    assert sorted(ids(lead.get("/api/v1/coaching-sessions/"))) == sorted([past.pk, upcoming.pk])
    assert ids(api(world.manager_b).get("/api/v1/coaching-sessions/")) == [upcoming.pk]
    assert ids(api(world.employee_a.user).get("/api/v1/coaching-sessions/")) == [past.pk]
    assert ids(lead.get("/api/v1/coaching-sessions/", {"status": "upcoming"})) == [upcoming.pk]
    assert ids(lead.get("/api/v1/coaching-sessions/", {"status": "confirmed"})) == [past.pk]
    assert ids(lead.get("/api/v1/coaching-sessions/", {"status": "unconfirmed"})) == [upcoming.pk]
    assert ids(lead.get("/api/v1/coaching-sessions/", {"location": world.location_b.pk})) == [upcoming.pk]
    assert ids(lead.get("/api/v1/coaching-sessions/", {"employee": world.employee_a.pk})) == [past.pk]
    detail = lead.get(f"/api/v1/coaching-sessions/{past.pk}/").json()
    assert detail["coach"] == "manager_a" and detail["status"] == "Confirmed by both"
    assert detail["attendances"][0]["employee"] == world.employee_a.employee_code
    assert detail["goals"][0]["text"] == "Offer the callback"
    refused = api(world.manager_b).get("/api/v1/coaching-sessions/", {"employee": world.employee_a.pk})
    assert refused.status_code == 400 and "employee" in refused.content.decode()
    assert api(world.manager_b).get(f"/api/v1/coaching-sessions/{past.pk}/").status_code == 404
    assert lead.get("/api/v1/coaching-sessions/", {"status": "later"}).status_code == 400
