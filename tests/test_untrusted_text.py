"""Text typed by users (shoppers' narratives and comments, reviewers' notes, names) is
escaped on every page that shows it and stays inert in every export."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from qa import visits
from qa.models import VisitReport
from tests.visits_helpers import item_named, make_assignment, payload

pytestmark = pytest.mark.django_db
SCRIPT = '<script>alert("x")</script>'
IMG = '<img src=x onerror=alert(1)>'


def test_script_tags_are_escaped_everywhere(world, client_for):
    world.employee_a.name = f"Sam {IMG}"
    world.employee_a.save()
    world.location_a.address = f"1 High St {SCRIPT}"
    world.location_a.save()
    assignment = make_assignment(world)
    argued = item_named(assignment, "Never argued")
    shopper = client_for(world.shopper)
    shopper.post(reverse("visit-report", args=[assignment.pk]), payload(
        assignment, narrative=f"Story {SCRIPT}", employee_description=f"Tall {IMG}",
        **{f"item_{argued.pk}": "no", f"comment_{argued.pk}": f"Shouted {SCRIPT}"}))
    report = VisitReport.objects.get()
    visits.return_report(report, by=world.reviewer, note=f"Fix it {SCRIPT}", deadline=timezone.now() + timedelta(days=1))

    pages = {
        "shopper home": shopper.get(reverse("home")),
        "report form": shopper.get(reverse("visit-report", args=[assignment.pk])),
    }
    reviewer = client_for(world.reviewer)
    pages["review"] = reviewer.get(reverse("review-detail", args=[report.pk]))
    pages["evaluation"] = reviewer.get(reverse("evaluation-detail", args=[report.evaluation_id]))
    pages["assignment"] = reviewer.get(reverse("assignment-detail", args=[assignment.pk]))
    pages["evaluations"] = reviewer.get(reverse("evaluation-list"))
    report.assignment.refresh_from_db()
    shopper = client_for(world.shopper)  # the test client is shared: sign the shopper in again
    resubmitted = shopper.post(reverse("visit-report", args=[assignment.pk]), payload(
        assignment, key="again", narrative=f"Story {SCRIPT}",
        **{f"item_{argued.pk}": "no", f"comment_{argued.pk}": f"Shouted {SCRIPT}"}))
    assert resubmitted.status_code == 302, resubmitted.content.decode()[:3000]
    visits.approve(VisitReport.objects.get(), by=world.reviewer)
    reviewer = client_for(world.reviewer)
    pages["dashboard"] = reviewer.get(reverse("reports:dashboard"))
    pages["employee report"] = reviewer.get(reverse("reports:employee", args=[world.employee_a.pk]))
    pages["location report"] = reviewer.get(reverse("reports:location", args=[world.location_a.pk]))
    for name, response in pages.items():
        body = response.content.decode()
        assert response.status_code == 200, name
        assert SCRIPT not in body and IMG not in body, f"unescaped user text on the {name} page"
    assert "&lt;script&gt;" in pages["review"].content.decode()
    assert "&lt;img src=x" in pages["dashboard"].content.decode() or "&lt;img" in pages["employee report"].content.decode()

    lead = client_for(world.lead)
    rows = list(csv.reader(io.StringIO(b"".join(lead.get(
        reverse("reports:export", args=["dashboard", "csv"])).streaming_content).decode("utf-8-sig"))))
    assert any(IMG in cell for row in rows for cell in row)  # kept as text, harmless in a CSV...
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows[1:] for cell in row)  # ...never a formula
    workbook = load_workbook(io.BytesIO(lead.get(reverse("reports:export", args=["dashboard", "xlsx"])).content))
    assert all(c.data_type != "f" for ws in workbook for row in ws.iter_rows() for c in row)
