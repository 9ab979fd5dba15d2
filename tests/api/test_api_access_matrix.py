"""Every API endpoint x every persona x read-only and read-write tokens x someone else's objects.

The endpoints are read from the router (api.router) and the extra paths of api.urls: an endpoint without
an entry in EXPECTED fails test_every_endpoint_has_an_entry. One world is built per persona; the requests
of one token kind run in a transaction rolled back after them, so writes never leak into the next run."""

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from tests import factories as f
from tests.api.conftest import SOON, make_token
from tests.conftest import PERSONAS
from rest_framework.test import APIClient

STAFF = {"admin", "lead", "reviewer"}
REPORTERS = STAFF | {"manager_a", "manager_b", "employee", "other_employee"}
SIGNED_IN = set(PERSONAS) - {"anonymous"}


def status(allowed, ok=200, refused=403, **special):
    result = {p: ok if p in allowed else refused for p in PERSONAS}
    result["anonymous"] = 401
    result.update(special)
    return result


def build(world):
    o = {"w": world}
    o["released_a"] = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD,
                                        employee=world.employee_a)
    o["draft"] = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD,
                                   employee=world.employee_a, status="draft")
    from qa.models import Interaction
    o["interaction"] = Interaction.objects.create(channel="email", location=world.location_b,
                                                  employee=world.employee_b, occurred_at=world.version.created_at,
                                                  conversation="Hello", created_by=world.reviewer)
    from reports.models import ExportJob
    o["job"] = ExportJob.objects.create(requested_by=world.lead, exporter="dashboard", file_format="csv",
                                        status="queued")
    world.employee_b.external_id = "HR-B"
    world.employee_b.save()
    world.location_b.external_id = "LOC-B"
    world.location_b.save()
    shopper = world.shopper.shopper
    shopper.external_id = "SH-1"
    shopper.save()
    # Employee B's plan and coaching session: seen by QA staff, B's regional manager and B; 404 to the others.
    from datetime import timedelta

    from coaching.models import Attendance, CoachingSession
    from plans.models import ActionPlan, CorrectiveAction
    o["plan"] = ActionPlan.objects.create(title="Greeting", location=world.location_b, employee=world.employee_b,
                                          owner=world.reviewer, root_cause="training")
    CorrectiveAction.objects.create(plan=o["plan"], text="Role-play the greeting", owner=world.reviewer,
                                    due_date=world.version.created_at.date() + timedelta(days=7))
    o["session"] = CoachingSession.objects.create(title="Greeting", coach=world.reviewer,
                                                  scheduled_at=world.version.created_at)
    Attendance.objects.create(session=o["session"], employee=world.employee_b)
    return o


def entries(o):
    """(name, method, path, body, expected status per persona for a read-and-write token)."""
    w = o["w"]
    write_interaction = {"source_system": "test", "external_id": "E-1", "channel": "email",
                         "location": w.location_a.code, "occurred_at": "2026-11-02T10:00:00Z", "conversation": "Hi"}
    assignment = {"location": w.location_a.code, "version": w.version.pk, "window_start": SOON[0],
                  "window_end": SOON[1], "brief": "Ask about returns."}
    upsert_employee = {"employee_code": "HRX1", "name": "New Person", "location": w.location_a.code}
    upsert_location = {"code": "NEWLOC", "name": "New store", "region": w.region_a.code}
    upsert_shopper = {"first_name": "Sam", "email": "sam@example.com"}
    return [
        ("index", "get", "/api/v1/", None, status(SIGNED_IN)),  # lists what the token may call
        ("interaction-list", "get", "/api/v1/interactions/", None, status(STAFF)),
        ("interaction-list", "post", "/api/v1/interactions/", write_interaction, status(STAFF, ok=201)),
        ("interaction-detail", "get", f"/api/v1/interactions/{o['interaction'].pk}/", None,
         status(STAFF | {"manager_b"}, refused=404, shopper=403, other_shopper=403)),
        ("employee-list", "get", "/api/v1/employees/", None, status(STAFF | {"manager_a", "manager_b"})),
        ("employee-detail", "get", f"/api/v1/employees/{w.employee_b.pk}/", None,
         status(STAFF | {"manager_b"}, refused=404, shopper=403, other_shopper=403, employee=403,
                other_employee=403)),
        ("employee-by-external-id", "get", "/api/v1/employees/by-external-id/HR-B/", None,
         status(STAFF | {"manager_b"}, refused=404, shopper=403, other_shopper=403, employee=403,
                other_employee=403)),
        ("employee-by-external-id", "put", "/api/v1/employees/by-external-id/HR-X/", upsert_employee,
         status({"admin"}, ok=201)),
        ("location-list", "get", "/api/v1/locations/", None, status(STAFF | {"manager_a", "manager_b"})),
        ("location-detail", "get", f"/api/v1/locations/{w.location_b.pk}/", None,
         status(STAFF | {"manager_b"}, refused=404, shopper=403, other_shopper=403, employee=403,
                other_employee=403)),
        ("location-by-external-id", "get", "/api/v1/locations/by-external-id/LOC-B/", None,
         status(STAFF | {"manager_b"}, refused=404, shopper=403, other_shopper=403, employee=403,
                other_employee=403)),
        ("location-by-external-id", "put", "/api/v1/locations/by-external-id/LOC-NEW/", upsert_location,
         status({"admin"}, ok=201)),
        ("shopper-list", "get", "/api/v1/shoppers/", None, status({"admin", "lead"})),
        ("shopper-detail", "get", f"/api/v1/shoppers/{w.shopper.shopper.pk}/", None, status({"admin", "lead"})),
        ("shopper-by-external-id", "get", "/api/v1/shoppers/by-external-id/SH-1/", None, status({"admin", "lead"})),
        ("shopper-by-external-id", "put", "/api/v1/shoppers/by-external-id/SH-NEW/", upsert_shopper,
         status({"admin"}, ok=201)),
        ("evaluation-list", "get", "/api/v1/evaluations/", None, status(REPORTERS)),
        ("evaluation-detail", "get", f"/api/v1/evaluations/{o['released_a'].pk}/", None,
         status(STAFF | {"manager_a", "employee"}, refused=404, shopper=403, other_shopper=403)),
        # Released ones only, even for QA staff.
        ("evaluation-detail", "get", f"/api/v1/evaluations/{o['draft'].pk}/", None,
         status(set(), refused=404, shopper=403, other_shopper=403)),
        ("scorecard-list", "get", "/api/v1/scorecards/", None, status(STAFF)),
        ("scorecard-detail", "get", f"/api/v1/scorecards/{w.version.scorecard_id}/", None, status(STAFF)),
        ("report-dashboard", "get", "/api/v1/reports/dashboard/", None, status(REPORTERS)),
        ("export-list", "get", "/api/v1/exports/", None, status(REPORTERS)),
        ("export-list", "post", "/api/v1/exports/", {"exporter": "dashboard", "format": "csv"},
         status(REPORTERS, ok=202)),
        # Someone else's export: only the lead who asked for it.
        ("export-detail", "get", f"/api/v1/exports/{o['job'].pk}/", None,
         status({"lead"}, refused=404, shopper=403, other_shopper=403)),
        ("export-download", "get", f"/api/v1/exports/{o['job'].pk}/download/", None,
         status(set(), refused=404, shopper=403, other_shopper=403)),
        ("assignment-list", "get", "/api/v1/assignments/", None, status(STAFF)),
        ("assignment-list", "post", "/api/v1/assignments/", assignment, status(STAFF, ok=201)),
        ("assignment-detail", "get", "/api/v1/assignments/999999/", None,
         status(STAFF, ok=404)),
        ("action-plan-list", "get", "/api/v1/action-plans/", None, status(REPORTERS)),
        ("action-plan-detail", "get", f"/api/v1/action-plans/{o['plan'].pk}/", None,
         status(STAFF | {"manager_b", "other_employee"}, refused=404, shopper=403, other_shopper=403)),
        ("coaching-session-list", "get", "/api/v1/coaching-sessions/", None, status(REPORTERS)),
        ("coaching-session-detail", "get", f"/api/v1/coaching-sessions/{o['session'].pk}/", None,
         status(STAFF | {"manager_b", "other_employee"}, refused=404, shopper=403, other_shopper=403)),
    ]


def api_url_names():
    names = set()
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "api":
            for inner in pattern.url_patterns:
                if isinstance(inner, URLResolver) and inner.namespace == "v1":
                    names |= {p.name for p in inner.url_patterns if isinstance(p, URLPattern) and p.name}
    return names


@pytest.mark.django_db
def test_every_endpoint_has_an_entry(world):
    covered = {name for name, *_rest in entries(build(world))}
    missing = api_url_names() - covered
    assert not missing, f"add these endpoints to the API access matrix: {sorted(missing)}"


@pytest.mark.django_db
def test_api_access_matrix(world, settings):
    """One world for every persona (building one costs more than the requests); each persona's and token
    kind's requests run inside a savepoint rolled back afterwards, so no write is seen by the next."""
    settings.REPORT_QUERY_THREADS = 1
    # Access is the question here: an export asked for is queued, not built (tests/api/test_api_people_and_reads).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    objects = build(world)
    wrong = []
    for persona in PERSONAS:
        user = world.persona(persona)
        for access in ("write", "read"):
            client = APIClient()
            if user.is_authenticated:
                client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(user, access)[1]}")
            sid = transaction.savepoint()
            for name, method, path, body, expected in entries(objects):
                want = expected[persona]
                if access == "read":
                    if method == "get" and name != "interaction-list":
                        continue  # reading is the same with either kind of token: one GET shows it
                    if method != "get" and persona != "anonymous":
                        want = 403  # a read-only token changes nothing, whoever owns it
                response = (getattr(client, method)(path, body, format="json") if body is not None
                            else getattr(client, method)(path))
                if response.status_code != want:
                    wrong.append(f"{persona} {access} {method.upper()} {path}: got {response.status_code}, "
                                 f"expected {want} {response.content[:200]!r}")
                if response.status_code >= 400:
                    assert response["Content-Type"] == "application/problem+json", (path, response["Content-Type"])
            transaction.savepoint_rollback(sid)
    assert not wrong, "\n".join(wrong)
