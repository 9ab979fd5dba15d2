"""Upserts by external id (employees, locations, shoppers); evaluations released only with their answers;
scorecards with versions and items; the dashboard's figures; exports requested, polled and downloaded;
assignments made by planners."""

import pytest

from qa.models import User
from shops.models import Assignment, Employee, Location, Shopper
from tests import factories as f
from tests.api.conftest import SOON

pytestmark = pytest.mark.django_db


def test_employees_are_created_then_updated_and_an_existing_code_is_adopted(world, api):
    client = api(world.admin)
    path = "/api/v1/employees/by-external-id/HR-100/"
    made = client.put(path, {"employee_code": "E-100", "name": "Cara New", "location": world.location_a.code},
                      format="json")
    assert made.status_code == 201 and made.json()["external_id"] == "HR-100"
    moved = client.put(path, {"employee_code": "E-100", "name": "Cara New", "location": world.location_b.code,
                              "active": False}, format="json")
    assert moved.status_code == 200 and moved.json()["location"] == world.location_b.code
    assert Employee.objects.filter(external_id="HR-100").count() == 1
    assert Employee.objects.get(external_id="HR-100").active is False
    adopted = client.put("/api/v1/employees/by-external-id/HR-A/", {
        "employee_code": world.employee_a.employee_code, "name": "Ann Employee", "location": world.location_a.code},
        format="json")
    assert adopted.status_code == 200 and adopted.json()["id"] == world.employee_a.pk
    taken = client.put("/api/v1/employees/by-external-id/HR-OTHER/", {
        "employee_code": world.employee_a.employee_code, "name": "X", "location": world.location_a.code},
        format="json")
    assert taken.status_code == 400 and taken.json()["errors"][0]["field"] == "employee_code"
    assert client.get(path).json()["name"] == "Cara New"


def test_locations_and_shoppers_upsert(world, api):
    client = api(world.admin)
    made = client.put("/api/v1/locations/by-external-id/ST-9/", {"code": "ST9", "name": "Store nine",
                                                                 "region": world.region_b.code}, format="json")
    assert made.status_code == 201 and Location.objects.get(external_id="ST-9").region == world.region_b
    again = client.put("/api/v1/locations/by-external-id/ST-9/", {"code": "ST9", "name": "Store 9",
                                                                  "region": world.region_b.code}, format="json")
    assert again.status_code == 200 and Location.objects.get(external_id="ST-9").name == "Store 9"
    shopper = client.put("/api/v1/shoppers/by-external-id/P-1/", {"first_name": "Pat", "last_name": "Lee",
                                                                  "email": "pat@example.com"}, format="json")
    assert shopper.status_code == 201
    user = Shopper.objects.get(external_id="P-1").user
    assert user.groups.filter(name="Mystery shopper").exists() and not user.has_usable_password()
    duplicate = client.put("/api/v1/shoppers/by-external-id/P-2/", {"first_name": "Pat", "email": "PAT@example.com"},
                           format="json")
    assert duplicate.status_code == 400 and duplicate.json()["errors"][0]["field"] == "email"
    assert User.objects.filter(email__iexact="pat@example.com").count() == 1


def test_evaluations_are_released_ones_with_answers_and_filters(world, api, django_assert_max_num_queries):
    released = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD, employee=world.employee_a)
    f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD, status="submitted")
    f.make_evaluation(world.version, world.location_b, world.reviewer, f.ALL_GOOD, employee=world.employee_b)
    client = api(world.lead)
    listed = client.get("/api/v1/evaluations/").json()["results"]
    assert len(listed) == 2 and all(e["status"] == "released" for e in listed)
    only_a = client.get(f"/api/v1/evaluations/?location={world.location_a.pk}").json()["results"]
    assert [e["id"] for e in only_a] == [released.pk]
    in_region_a = client.get(f"/api/v1/evaluations/?region={world.region_a.pk}&status=released").json()["results"]
    assert [e["id"] for e in in_region_a] == [released.pk]
    for query in ("region=99999", "region=North", "status=draft", "status=bogus"):
        response = client.get(f"/api/v1/evaluations/?{query}")
        assert response.status_code == 400, query
        assert response.json()["errors"][0]["field"] == query.split("=")[0]
    assert "Only released evaluations" in client.get("/api/v1/evaluations/?status=draft").json()["detail"]
    manager = api(world.manager_a).get(f"/api/v1/evaluations/?region={world.region_b.pk}")
    assert manager.status_code == 400 and manager.json()["errors"][0]["field"] == "region"
    assert api(world.manager_a).get("/api/v1/evaluations/?status=draft").status_code == 400
    with django_assert_max_num_queries(12):
        detail = client.get(f"/api/v1/evaluations/{released.pk}/").json()
    assert detail["overall_score"] == "100.00" and len(detail["answers"]) == 4
    assert {s["section_name"] for s in detail["section_scores"]} and detail["source"] == "reviewer"
    assert [e["id"] for e in api(world.employee).get("/api/v1/evaluations/").json()["results"]] == [released.pk]
    page = client.get("/api/v1/evaluations/?page_size=1").json()
    assert len(page["results"]) == 1 and "cursor=" in page["next"]
    assert len(client.get(page["next"]).json()["results"]) == 1


def test_scorecards_and_the_dashboard(scored, api):
    client = api(scored.manager_a)
    figures = client.get("/api/v1/reports/dashboard/").json()
    assert figures["summary"]["count"] == 6  # region A only, as on manager A's dashboard
    assert api(scored.lead).get("/api/v1/reports/dashboard/").json()["summary"]["count"] == 8
    filtered = api(scored.lead).get(f"/api/v1/reports/dashboard/?region={scored.region_b.pk}").json()
    assert filtered["summary"]["count"] == 2
    # Every figure is rounded once, to 2 places, however the database's average came back (the summary's 77.78).
    assert figures["summary"]["average"] == 77.78

    def numbers(value):
        if isinstance(value, dict):
            return [n for v in value.values() for n in numbers(v)]
        if isinstance(value, list):
            return [n for v in value for n in numbers(v)]
        return [value] if isinstance(value, float) else []

    assert numbers(figures) and all(round(n, 2) == n for n in numbers(figures) + numbers(filtered))
    card = api(scored.lead).get(f"/api/v1/scorecards/{scored.version.scorecard_id}/").json()
    assert card["versions"][0]["sections"][0]["items"][0]["question"]


def test_an_export_is_requested_polled_and_downloaded_by_its_owner_only(scored, api):
    client = api(scored.manager_a)
    job = client.post("/api/v1/exports/", {"exporter": "dashboard", "format": "xlsx",
                                           "filters": {"date_from": "2000-01-01"}}, format="json")
    assert job.status_code == 202
    polled = client.get(f"/api/v1/exports/{job.json()['id']}/").json()
    assert polled["status"] == "done" and polled["download"].endswith("/download/")
    download = client.get(polled["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    assert api(scored.manager_b).get(f"/api/v1/exports/{job.json()['id']}/").status_code == 404


def test_planners_create_assignments_through_the_page_rules(world, api):
    client = api(world.lead)
    made = client.post("/api/v1/assignments/", {
        "location": world.location_a.code, "version": world.version.pk, "window_start": SOON[0],
        "window_end": SOON[1], "brief": "Ask about returns.", "receipt_required": True}, format="json")
    assert made.status_code == 201, made.content
    assignment = Assignment.objects.get()
    assert assignment.status == "offered" and assignment.receipt_required and assignment.events.count() == 1
    assert client.get("/api/v1/assignments/").json()["results"][0]["id"] == assignment.pk


def test_a_form_encoded_upsert_without_active_leaves_it_as_json_does(world, api):
    """Left out, `active` is left out in every encoding: new records are active, existing ones keep theirs."""
    from urllib.parse import urlencode

    client = api(world.admin)
    fields = {"employee_code": "E-200", "name": "Dee Form", "location": world.location_a.code}
    made = client.put("/api/v1/employees/by-external-id/HR-200/", fields)  # multipart
    assert made.status_code == 201 and made.json()["active"] is True
    Employee.objects.filter(external_id="HR-200").update(active=False)
    kept = client.generic("PUT", "/api/v1/employees/by-external-id/HR-200/", urlencode(fields),
                          content_type="application/x-www-form-urlencoded")
    assert kept.status_code == 200 and kept.json()["active"] is False
    back = client.put("/api/v1/employees/by-external-id/HR-200/", dict(fields, active="true"))
    assert back.json()["active"] is True
    location = client.put("/api/v1/locations/by-external-id/ST-200/", {
        "code": "ST200", "name": "Store", "region": world.region_a.code})
    assert location.status_code == 201 and location.json()["active"] is True
