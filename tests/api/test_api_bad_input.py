"""Malformed input to every kind of endpoint: huge numbers, non-ASCII digits, far dates, wrong types,
truncated bodies. Always a 4xx as problem+json with the field at fault, never a 5xx."""

import pytest

from tests import factories as f
from tests.api.conftest import SOON

pytestmark = pytest.mark.django_db

HUGE = "9" * 40


def problem(response, status=400):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


@pytest.mark.parametrize("path", [
    f"/api/v1/evaluations/{HUGE}/", "/api/v1/evaluations/١٢/", "/api/v1/evaluations/１２/",
    "/api/v1/evaluations/-1/", f"/api/v1/exports/{HUGE}/download/", "/api/v1/scorecards/99999999999999999/",
])
def test_ids_that_are_not_plain_digits_or_too_large_are_not_found(world, api, path):
    assert api(world.lead).get(path).status_code == 404


@pytest.mark.parametrize("query,field", [
    ("date_from=9999-12-31", "date_from"), ("date_from=0001-01-01", "date_from"),
    ("date_to=٢٠٢٦-٠١-٠١x", "date_to"), (f"location={HUGE}", "location"), ("employee=abc", "employee"),
    ("channel=fax", "channel"), ("date_from=2026-03-01&date_to=2026-02-01", "date_to"),
])
def test_report_and_list_filters_are_checked(world, api, query, field):
    client = api(world.lead)
    for path in ("/api/v1/reports/dashboard/", "/api/v1/evaluations/"):
        body = problem(client.get(f"{path}?{query}"))
        assert body["errors"][0]["field"] == field, (path, body)


@pytest.mark.parametrize("changes,field", [
    ({"occurred_at": "9999-12-31T23:59:59+14:00"}, "occurred_at"),
    ({"occurred_at": "0001-01-01T00:00:00-12:00"}, "occurred_at"),
    ({"occurred_at": "yesterday"}, "occurred_at"),
    ({"received_at": "2026-13-45T10:00:00Z", "complaint_type": "billing"}, "received_at"),
    ({"channel": 12}, "channel"),
    ({"location": HUGE}, "location"),
    ({"external_id": "x" * 500}, "external_id"),
])
def test_interaction_fields(world, api, changes, field):
    data = {"source_system": "hd", "external_id": "T-1", "channel": "email", "location": world.location_a.code,
            "occurred_at": "2026-11-02T10:00:00Z", "conversation": "Hello"}
    data.update(changes)
    body = problem(api(world.reviewer).post("/api/v1/interactions/", data, format="json"))
    assert field in [e["field"] for e in body["errors"]], body


def test_a_truncated_or_malformed_body_is_a_400(world, api):
    client = api(world.reviewer)
    response = client.generic("POST", "/api/v1/interactions/", '{"source_system": "x", "ext',
                              content_type="application/json")
    problem(response)
    boundary = "XyZ"
    broken = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"recording\"; filename=\"a.wav\"\r\n"
              "Content-Type: audio/wav\r\n\r\nRIFF").encode()
    response = client.generic("POST", "/api/v1/interactions/", broken,
                              content_type=f"multipart/form-data; boundary={boundary}")
    assert 400 <= response.status_code < 500


def test_a_body_over_the_size_limit_is_413(world, api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api(world.reviewer).post("/api/v1/interactions/", {"conversation": "x" * 5000,
                                                                  "source_system": "a", "external_id": "b"},
                                        format="json")
    problem(response, 413)


@pytest.mark.parametrize("data,field", [
    ({"exporter": "dashboard", "format": "docx"}, "format"),
    ({"exporter": "location", "format": "csv"}, "object_id"),
    ({"exporter": "location", "format": "csv", "object_id": int(HUGE)}, "object_id"),
    ({"exporter": "dashboard", "format": "csv", "filters": {"date_from": "31/31/2026"}}, "filters"),
])
def test_export_requests(world, api, data, field):
    body = problem(api(world.manager_a).post("/api/v1/exports/", data, format="json"))
    assert body["errors"][0]["field"] == field


def test_another_managers_location_cannot_be_exported(world, api):
    body = problem(api(world.manager_a).post("/api/v1/exports/", {
        "exporter": "location", "format": "csv", "object_id": world.location_b.pk}, format="json"))
    assert body["errors"][0]["field"] == "object_id"


@pytest.mark.parametrize("data,field", [
    ({"employee_code": "X1", "name": "A", "location": "nowhere"}, "location"),
    ({"employee_code": "X" * 100, "name": "A", "location": "L"}, "employee_code"),
    ({"name": "A"}, "employee_code"),
])
def test_upsert_fields(world, api, data, field):
    body = problem(api(world.admin).put("/api/v1/employees/by-external-id/HR-9/", data, format="json"))
    assert field in [e["field"] for e in body["errors"]]


@pytest.mark.parametrize("data,field", [
    ({"window_start": SOON[1], "window_end": SOON[0]}, "window_end"),
    ({"fee": HUGE}, "fee"),
    ({"window_start": "99999-01-01"}, "window_start"),
    ({"version": HUGE}, "version"),
])
def test_assignment_fields(world, api, data, field):
    base = {"location": world.location_a.code, "version": world.version.pk, "window_start": SOON[0],
            "window_end": SOON[1], "brief": "Ask."}
    base.update(data)
    body = problem(api(world.lead).post("/api/v1/assignments/", base, format="json"))
    assert field in [e["field"] for e in body["errors"]], body


def fields_of(body) -> set:
    return {e["field"] for e in body["errors"]}


def test_every_field_at_fault_is_reported_in_one_answer(world, api):
    """A client fixing its request learns of every field at fault at once, not one round at a time: the
    look-ups by code, the far or unreadable moments, the form's own checks and the serializer's together."""
    world.lead.email = "lead@example.com"
    world.lead.save()
    world.employee_b.external_id = "HR-B"
    world.employee_b.save()
    admin = api(world.admin)
    body = problem(api(world.reviewer).post("/api/v1/interactions/", {
        "channel": "fax", "location": "nowhere", "employee": "nobody", "occurred_at": "yesterday",
        "received_at": "9999-12-31T23:59:59+14:00"}, format="json"))
    assert fields_of(body) == {"source_system", "external_id", "channel", "location", "employee", "occurred_at",
                               "received_at"}, body
    assert body["detail"].startswith("7 fields are not valid: ")
    assert problem(api(world.reviewer).post("/api/v1/interactions/", {
        "source_system": "hd", "external_id": "T-9", "channel": "email", "location": "nowhere",
        "occurred_at": "2026-11-02T10:00:00Z"}, format="json"))["errors"] == [
        {"field": "location", "message": "No location has this code.", "code": "invalid"},
        {"field": "conversation", "message": "Paste the conversation: emails, chats and social replies are scored "
                                             "on their text.", "code": "invalid"}]
    body = problem(admin.put("/api/v1/employees/by-external-id/HR-9/", {
        "employee_code": world.employee_b.employee_code, "location": "nowhere"}, format="json"))
    assert fields_of(body) == {"employee_code", "name", "location"}, body
    body = problem(admin.put("/api/v1/locations/by-external-id/L-9/", {
        "code": "L9", "region": "nowhere", "latitude": "100"}, format="json"))
    assert fields_of(body) == {"name", "region", "latitude"}, body
    body = problem(admin.put("/api/v1/shoppers/by-external-id/S-9/", {
        "email": "LEAD@example.com", "home_region": "nowhere"}, format="json"))
    assert fields_of(body) == {"first_name", "email", "home_region"}, body
    assert {"field": "first_name", "message": "This field is required.", "code": "required"} in body["errors"]
    body = problem(api(world.lead).post("/api/v1/assignments/", {
        "location": "nowhere", "version": world.version.pk, "window_start": SOON[1],
        "window_end": SOON[0]}, format="json"))
    assert fields_of(body) == {"location", "window_end", "brief"}, body
    assert {"field": "brief", "message": "This field is required.", "code": "required"} in body["errors"]
    body = problem(api(world.manager_a).post("/api/v1/exports/", {
        "exporter": "location", "format": "csv", "filters": {"date_from": "31/31/2026"}}, format="json"))
    assert fields_of(body) == {"object_id", "filters"}, body


def test_the_v1_root_is_an_index_and_other_addresses_are_problems_not_pages(world, api):
    anonymous = problem(api(None).get("/api/v1/"), 401)
    assert anonymous["title"] == "Not signed in"
    index = api(world.manager_a, "read").get("/api/v1/")
    assert index.status_code == 200 and index["Content-Type"] == "application/json"
    listed = {e["name"]: e["url"] for e in index.json()["endpoints"]}
    assert listed["evaluations"] == "http://testserver/api/v1/evaluations/"
    assert "reports/dashboard" in listed and "shoppers" not in listed and "interactions" not in listed
    assert index.json()["token"]["access"] == "read"
    assert index.json()["schema"] == "http://testserver/api/schema/"
    client = api(world.lead)
    for method, path in [("get", "/api/"), ("get", "/api/v2/"), ("get", "/api/v1/nothing/here/"),
                         ("post", "/api/v1/evaluations/abc/"), ("delete", "/api/nothing")]:
        body = problem(getattr(client, method)(path), 404)
        assert "/api/v1/" in body["detail"], (path, body)
    assert client.get("/api/v1/evaluations?channel=email").headers["Location"] == "/api/v1/evaluations/?channel=email"
    body = problem(client.post("/api/v1/interactions", {}, format="json"), 404)
    assert body["detail"] == "Addresses end with a slash: send this to /api/v1/interactions/."
    assert problem(client.get("/api/v1/exports/1/download/"), 404)["detail"] == "Nothing with this id is within your reach."


@pytest.mark.parametrize("body", ["[1]", '"x"', "3", "null"])
def test_a_json_body_that_is_not_an_object_is_a_400(world, api, body):
    client = api(world.admin)
    for method, path in [("POST", "/api/v1/interactions/"), ("POST", "/api/v1/assignments/"),
                         ("PUT", "/api/v1/employees/by-external-id/HR-0009/"),
                         ("PUT", "/api/v1/locations/by-external-id/S-9/"), ("POST", "/api/v1/exports/")]:
        detail = problem(client.generic(method, path, body, content_type="application/json"))["detail"]
        assert detail.startswith("Expected a JSON object"), (method, path, detail)


def test_request_level_refusals_are_problems_too(world, api, settings):
    """Django refuses these as it reads the body, before the endpoint (a middleware reads form fields)."""
    client = api(world.admin)
    many = "&".join(f"f{i}=1" for i in range(1500))
    for method, path in [("POST", "/api/v1/interactions/"), ("PUT", "/api/v1/employees/by-external-id/HR-9/")]:
        body = problem(client.generic(method, path, many, content_type="application/x-www-form-urlencoded"))
        assert "more fields than this server accepts" in body["detail"], method
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = problem(client.post("/api/v1/interactions/", {"conversation": "x" * 5000}), 413)  # multipart
    assert "larger than this server accepts" in body["detail"]
    problem(client.generic("POST", "/api/v1/interactions/", "conversation=" + "x" * 5000,
                           content_type="application/x-www-form-urlencoded"), 413)
    assert client.post("/accounts/login/", {"username": "x" * 5000})["Content-Type"].startswith("text/html")


def test_digits_other_than_0_to_9_are_refused_in_numbers_and_dates(world, api):
    """One rule for every number and date the API reads, as for ids (qa.http.parse_id): "٣" or "３" would be
    read as 3 by int() and Decimal(), "²" half read; each is refused with the field named."""
    admin = api(world.admin)
    interaction = {"source_system": "hd", "external_id": "D-1", "channel": "email", "location": world.location_a.code,
                   "occurred_at": "٢٠٢٦-١١-٣٠T14:05:00Z", "conversation": "Hello"}
    body = problem(api(world.reviewer).post("/api/v1/interactions/", interaction, format="json"))
    assert body["errors"] == [{"field": "occurred_at", "code": "invalid", "message":
                               "Write the date and time with the digits 0-9, such as 2026-11-30T14:05:00Z."}]
    body = problem(admin.put("/api/v1/locations/by-external-id/L-9/", {
        "code": "L9", "name": "Nine", "region": world.region_a.code, "latitude": "٣", "longitude": "１"},
        format="json"))
    assert fields_of(body) == {"latitude", "longitude"}
    assert body["errors"][0]["message"] == "Write the number with the digits 0-9."
    body = problem(api(world.lead).post("/api/v1/assignments/", {
        "location": world.location_a.code, "version": world.version.pk, "window_start": "٢٠٢٦-١٢-٠١",
        "window_end": SOON[1], "brief": "Ask.", "fee": "٣", "bar_days": "²"}, format="json"))
    assert fields_of(body) == {"window_start", "fee", "bar_days"}, body
    body = problem(api(world.manager_a).post("/api/v1/exports/", {
        "exporter": "location", "format": "csv", "object_id": "٣"}, format="json"))
    assert fields_of(body) == {"object_id"}
    for size in ("٣", "²", "-1", "0", "x"):
        body = problem(admin.get(f"/api/v1/evaluations/?page_size={size}"))
        assert fields_of(body) == {"page_size"}, size
    assert admin.get("/api/v1/evaluations/?page_size=100000000000000000000").status_code == 200


def test_interaction_times_in_the_future_and_visits_planned_years_ahead_are_refused(world, api):
    """The page forms' rules (qa.interaction_forms, shops.forms), so the pages refuse them too."""
    from datetime import timedelta

    from django.utils import timezone

    soon = (timezone.now() + timedelta(minutes=2)).isoformat()
    later = (timezone.now() + timedelta(hours=1)).isoformat()
    data = {"source_system": "hd", "external_id": "F-1", "channel": "email", "location": world.location_a.code,
            "occurred_at": "2030-01-01T10:00:00Z", "conversation": "Hello"}
    body = problem(api(world.reviewer).post("/api/v1/interactions/", data, format="json"))
    assert body["errors"] == [{"field": "occurred_at", "code": "invalid",
                               "message": "This is in the future: enter when it happened."}]
    data.update(occurred_at=soon, complaint_type="billing", received_at=soon, resolved_at=later)
    body = problem(api(world.reviewer).post("/api/v1/interactions/", data, format="json"))
    assert fields_of(body) == {"resolved_at"}  # a sender's clock a little ahead of ours is allowed
    base = {"location": world.location_a.code, "version": world.version.pk, "window_start": SOON[0],
            "brief": "Ask."}
    body = problem(api(world.lead).post("/api/v1/assignments/", dict(base, window_end="2999-12-31"), format="json"))
    assert fields_of(body) == {"window_end"} and "at most a year ahead" in body["detail"]
    far = (timezone.localdate() + timedelta(days=400)).isoformat()
    body = problem(api(world.lead).post("/api/v1/assignments/", dict(base, window_start=far, window_end=far),
                                        format="json"))
    assert fields_of(body) == {"window_start"}


def test_unknown_filters_are_refused_not_ignored(world, api):
    admin, manager = api(world.admin), api(world.manager_a)
    for client, path in [(manager, "/api/v1/action-plans/?overdew=true"), (admin, "/api/v1/evaluations/?bogus=1"),
                         (admin, "/api/v1/interactions/?code=1"), (admin, "/api/v1/employees/?code=E1"),
                         (manager, "/api/v1/reports/dashboard/?bogus=1")]:
        body = problem(client.get(path))
        assert fields_of(body) == {path.split("?")[1].split("=")[0]}, path
        assert "no such filter" in body["detail"], path
    assert admin.get("/api/v1/interactions/?source_system=x&external_id=y&page_size=5").status_code == 200
    body = problem(manager.post("/api/v1/exports/", {"exporter": "dashboard", "format": "csv",
                                                     "filters": {"bogus": "1"}}, format="json"))
    assert fields_of(body) == {"filters.bogus"}
