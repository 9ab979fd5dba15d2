"""What the server gives the shopper's phone: the rules it checks a report with before queuing
it (the server's own rules and words), refusals as JSON for the error summary, a summary at the
top that links to each field when the page itself is refused, times not both pre-filled with
"now", and the service worker that lets the app open with no connection."""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from qa.visit_forms import VisitReportForm
from tests.visits_helpers import item_named, local, make_assignment, payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(world):
    return make_assignment(world)


def rules_on_page(body):
    return json.loads(re.search(r'<script id="phone-rules" type="application/json">(.*?)</script>', body, re.S).group(1))


def test_the_phones_rules_use_the_servers_words(world, client_for, assignment):
    client = client_for(world.shopper)
    url = reverse("visit-report", args=[assignment.pk])
    rules = rules_on_page(client.get(url).content.decode())
    now = timezone.now()
    refused = client.post(url, payload(assignment, arrived_at=local(now), departed_at=local(now - timedelta(hours=1)),
                                       narrative="", employee=""), HTTP_ACCEPT="application/json").json()["errors"]
    said = {e["field"]: e["message"] for e in refused}
    assert said["departed_at"] == rules["messages"]["departure_before_arrival"]
    assert said["narrative"] == rules["messages"]["narrative"]
    assert said["employee_description"] == rules["messages"]["employee"]
    greet = item_named(assignment, "Greeted the customer")
    blank = client.post(url, payload(assignment, **{f"item_{greet.pk}": None}), HTTP_ACCEPT="application/json").json()
    rule = next(r for r in rules["items"] if r["id"] == greet.pk)
    assert {e["field"]: e["message"] for e in blank["errors"]}[f"item_{greet.pk}"] == rule["blank"]
    # Which answers need a comment on a critical item: exactly those the server refuses without one.
    for rule in rules["items"]:
        if not rule["critical"] or "failing" not in rule:
            continue
        for value in ("yes", "partial", "no", "1", "3", "5"):
            form = VisitReportForm(payload(assignment, **{f"item_{rule['id']}": value}), assignment=assignment)
            form.is_valid()
            if f"item_{rule['id']}" in form.errors:
                continue  # not an answer this item offers
            assert (f"comment_{rule['id']}" in form.errors) == (value in rule["failing"]), (rule, value)


def test_a_refusal_answers_the_script_with_each_field_in_page_order(world, client_for, assignment):
    greet = item_named(assignment, "Greeted the customer")
    argued = item_named(assignment, "Never argued")
    response = client_for(world.shopper).post(
        reverse("visit-report", args=[assignment.pk]),
        payload(assignment, narrative="", **{f"item_{greet.pk}": None, f"item_{argued.pk}": "no"}),
        HTTP_ACCEPT="application/json")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [f"item_{greet.pk}", f"comment_{argued.pk}", "narrative"]
    assert errors[1]["label"] == "Comment: Never argued"
    assert errors[0]["label"] == "Greeted the customer" and errors[0]["message"] == "Answer this item."


def test_a_refused_page_has_one_summary_at_the_top_with_links(world, client_for, assignment):
    """Without the script (or before it runs), the page the server sends back has crispy's summary
    (bootstrap5/errors.html) and the phone's summary box stays empty: one summary, not two."""
    greet = item_named(assignment, "Greeted the customer")
    body = client_for(world.shopper).post(reverse("visit-report", args=[assignment.pk]),
                                          payload(assignment, narrative="", **{f"item_{greet.pk}": None})).content.decode()
    assert body.count("data-error-summary") == 1
    summary = body[body.index("data-error-summary"):]
    summary = summary[:summary.index("</div>")]
    assert f'href="#id_item_{greet.pk}_0"' in summary and "Answer this item." in summary
    assert 'href="#id_narrative"' in summary
    phone_box = re.search(r'<div id="error-summary"[^>]*>', body).group(0)
    assert "hidden" in phone_box


def test_neither_time_is_filled_with_the_servers_now(world, client_for, assignment):
    """Arrival is filled on the phone when the report is opened (a page kept offline would carry a
    stale server time); departure waits for the shopper."""
    body = client_for(world.shopper).get(reverse("visit-report", args=[assignment.pk])).content.decode()
    for name in ("arrived_at", "departed_at"):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', body).group(0)
        assert "value=" not in field
        assert 'type="datetime-local"' in field
    assert 'class="col-12 col-sm-6"' in body  # one per line on a phone: not cut off at 360 px


def test_the_service_worker_is_a_script_at_the_root_keeping_files_that_exist(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assets = json.loads(re.search(r"const ASSETS = (\[.*?\]);", body).group(1))
    assert "/static/js/visit-report.js" in assets and "/static/css/app.css" in assets
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset  # a missing file would stop it installing
    kept = re.compile(json.loads(re.search(r"const KEPT = new RegExp\((.*?)\);", body).group(1)))
    for path in ("/visits/12/report/", "/visits/reports/", "/visits/pay/", "/visits/12/"):
        assert kept.match(path), path
    for path in ("/visits/12/decline/", "/evaluations/", "/visits/12/report/x"):
        assert not kept.match(path), path


def test_every_page_script_the_report_loads_is_kept_for_offline(world, client_for, assignment):
    body = client_for(world.shopper).get(reverse("visit-report", args=[assignment.pk])).content.decode()
    kept = client_for(None).get("/sw.js").content.decode()
    for src in re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', body):
        assert f'"{src}"' in kept, src


def test_phone_rules_cover_every_item_of_the_scorecard(world, assignment):
    form = VisitReportForm(assignment=assignment)
    ids = [rule["id"] for rule in form.phone_rules()["items"]]
    assert ids == [item.id for item in form.spec.items()]
