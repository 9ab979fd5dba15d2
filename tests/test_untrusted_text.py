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
    pages["review"] = reviewer.get(reverse("validation-detail", args=[report.pk]))
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


def test_script_tags_are_escaped_on_the_reviewer_pages(world, client_for, private_media):
    """Interactions, the scoring screen, pinned comments, override reasons, calibration results and
    the import's list of rejected rows all show text someone typed."""

    from qa import calibration, scoring_sessions, services
    from qa.models import Interaction, InteractionImport
    from tests import factories as f

    version = f.make_call_scorecard(world.admin)
    received = timezone.now() - timedelta(days=10)
    interaction = Interaction.objects.create(
        channel="phone_call", location=world.location_a, employee=world.employee_a, occurred_at=received,
        customer_reference=f"C-{SCRIPT}", conversation=f"Customer: {IMG}", complaint_type="billing",
        received_at=received, acknowledged_at=received + timedelta(hours=30), created_by=world.reviewer)
    evaluation, _ = scoring_sessions.start_review(interaction, version, world.reviewer)
    items = {i.question: i for s in version.sections.all() for i in s.items.all()}
    scoring_sessions.pin_comment(evaluation, at_seconds=1, text=f"Pin {SCRIPT}", item_id=items["Tone"].pk, by=world.reviewer)
    answers = {i.pk: services.AnswerData(value="5" if q == "Tone" else "yes", comment=f"Note {IMG}")
               for q, i in items.items()}
    answers[items["Resolved in time"].pk] = services.AnswerData(value="no")  # as computed: not resolved, overdue
    scoring_sessions.submit_review(evaluation, scoring_sessions.ReviewData(
        answers=answers, override_reasons={items["Acknowledged in time"].pk: f"CRM wrong {SCRIPT}"},
        comments=f"Overall {SCRIPT}"), revision=None, by=world.reviewer)
    session = calibration.create_session(interaction=interaction, version=version, lead=world.lead,
                                         reviewers=[world.reviewer], threshold=34, note=f"Focus {SCRIPT}")
    calibration.close(session)
    job = InteractionImport.objects.create(created_by=world.lead, sheet_name=f"calls{SCRIPT}.csv", status="rejected",
                                           problems=[{"row": 2, "column": "location_code",
                                                      "message": f"No location has the code “{SCRIPT}”."}])
    reviewer, pages = client_for(world.reviewer), {}
    pages["interaction"] = reviewer.get(interaction.get_absolute_url())
    pages["evaluation"] = reviewer.get(evaluation.get_absolute_url())
    pages["calibration"] = reviewer.get(session.get_absolute_url())
    lead = client_for(world.lead)
    pages["import"] = lead.get(job.get_absolute_url())
    pages["imports"] = lead.get(reverse("interaction-import"))
    pages["employee view"] = client_for(world.employee).get(evaluation.get_absolute_url())
    draft, _ = scoring_sessions.start_review(
        Interaction.objects.create(channel="email", location=world.location_a, occurred_at=timezone.now(),
                                   conversation=f"Hi {SCRIPT}", created_by=world.reviewer), version, world.reviewer)
    pages["scoring screen"] = client_for(world.reviewer).get(reverse("evaluation-score", args=[draft.pk]))
    for name, response in pages.items():
        body = response.content.decode()
        assert response.status_code == 200, name
        assert SCRIPT not in body and IMG not in body, f"unescaped user text on the {name} page"
    assert "Pin &lt;script&gt;" in pages["employee view"].content.decode()
    assert "CRM wrong &lt;script&gt;" in pages["employee view"].content.decode()
