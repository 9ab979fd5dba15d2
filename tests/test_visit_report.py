"""Filing a visit report: the form, its inline errors, idempotent submission, drafts and flags."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qa import visits
from qa.models import Evaluation, ReportDraft, VisitReport
from shops.models import Assignment
from tests import factories as f
from tests.conftest import PERSONAS
from tests.visits_helpers import item_named, local, make_assignment, payload, visit_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(world):
    return make_assignment(world)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_assigned_shopper_opens_the_form(world, client_for, assignment, persona):
    client = client_for(world.persona(persona))
    for url in (reverse("visit-report", args=[assignment.pk]), reverse("visit-draft", args=[assignment.pk])):
        response = client.get(url)
        if persona == "anonymous":
            assert response.status_code == 302
        elif persona == "shopper":
            assert response.status_code == 200
        elif persona == "other_shopper":
            assert response.status_code == 404
        else:
            assert response.status_code == 403


def test_form_shows_items_by_section_with_guidance(world, client_for, assignment):
    body = client_for(world.shopper).get(reverse("visit-report", args=[assignment.pk])).content.decode()
    assert "Courtesy" in body and "Accuracy" in body
    assert "Greeted the customer" in body
    assert "Ask to return a faulty kettle" in body
    assert 'name="submission_key"' in body


def test_valid_report_is_submitted_and_scored(world, client_for, assignment):
    response = client_for(world.shopper).post(reverse("visit-report", args=[assignment.pk]), payload(assignment), follow=True)
    assert "Report sent" in response.content.decode()
    report = VisitReport.objects.get()
    assert report.evaluation.status == Evaluation.Status.SUBMITTED
    assert report.evaluation.overall_score is not None
    assert report.evaluation.source == "shopper" and report.evaluation.evaluator == world.shopper
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED
    assert not Evaluation.objects.counted().exists()  # only approved reports count


def test_same_key_twice_makes_one_report(world, client_for, assignment):
    client = client_for(world.shopper)
    url = reverse("visit-report", args=[assignment.pk])
    first = client.post(url, payload(assignment, key="tap-1"), HTTP_ACCEPT="application/json")
    second = client.post(url, payload(assignment, key="tap-1"), HTTP_ACCEPT="application/json")
    assert first.status_code == second.status_code == 200
    assert first.json()["created"] is True and second.json()["created"] is False
    assert VisitReport.objects.count() == 1 and Evaluation.objects.count() == 1
    # The replay is recognised even though the assignment is no longer open.
    third = client.post(url, payload(assignment, key="tap-1"), follow=True)
    assert "already arrived" in third.content.decode()


def test_a_different_key_after_submission_is_refused_not_duplicated(world, client_for, assignment):
    client = client_for(world.shopper)
    url = reverse("visit-report", args=[assignment.pk])
    client.post(url, payload(assignment, key="a"))
    response = client.post(url, payload(assignment, key="b"), HTTP_ACCEPT="application/json")
    assert response.status_code == 409
    assert VisitReport.objects.count() == 1


def test_errors_are_inline_and_nothing_typed_is_lost(world, client_for, assignment):
    greet = item_named(assignment, "Greeted the customer")
    argued = item_named(assignment, "Never argued")
    data = payload(assignment, narrative="My long story about the kettle.", **{
        f"item_{greet.pk}": None, f"item_{argued.pk}": "no"})
    response = client_for(world.shopper).post(reverse("visit-report", args=[assignment.pk]), data)
    body = response.content.decode()
    assert response.status_code == 422
    assert "My long story about the kettle." in body
    assert "Answer this item." in body
    # The comment error sits next to the comment field, and the chosen "No" stays chosen.
    assert re.search(rf'id="id_comment_{argued.pk}_error"[^>]*>\s*<span[^>]*><strong>Say what happened: a comment is required '
                     r'when the answer is No', body)
    assert re.search(rf'value="no"\s+id="id_item_{argued.pk}_1" checked', body)
    assert VisitReport.objects.count() == 0


def test_employee_or_description_is_required_and_must_work_there(world, client_for, assignment):
    client = client_for(world.shopper)
    url = reverse("visit-report", args=[assignment.pk])
    body = client.post(url, payload(assignment, employee="")).content.decode()
    assert "describe them" in body
    body = client.post(url, payload(assignment, employee=str(world.employee_b.pk))).content.decode()
    assert "Select a valid choice" in body
    response = client.post(url, payload(assignment, employee="", employee_description="Tall, badge said Sam"))
    assert response.status_code == 302
    assert VisitReport.objects.get().employee_description == "Tall, badge said Sam"


def test_departure_before_arrival_is_refused(world, client_for, assignment):
    now = timezone.now()
    body = client_for(world.shopper).post(reverse("visit-report", args=[assignment.pk]), payload(
        assignment, arrived_at=local(now - timedelta(minutes=5)), departed_at=local(now - timedelta(minutes=30)),
    )).content.decode()
    assert "Departure is before arrival." in body


def test_flags_for_the_reviewer(world, assignment):
    world.location_a.latitude, world.location_a.longitude = 53.7981, -1.5428
    world.location_a.save()
    assignment.receipt_required = True
    assignment.report_due_hours = 1
    assignment.save()
    data = visit_data(assignment, minutes_ago=60 * 24 * 3, duration=2)
    data.latitude, data.longitude, data.accuracy_m = 53.8500, -1.5428, 20  # about 5.7 km north
    report, created = visits.submit_visit_report(assignment, world.shopper, data, "flags")
    assert created
    assert set(report.flags) == {"outside_window", "late", "short", "far", "no_evidence"}
    assert 5500 < report.checkin_distance_m < 6000


def test_clean_visit_has_no_flags(world, assignment):
    report, _created = visits.submit_visit_report(assignment, world.shopper, visit_data(assignment), "clean")
    assert report.flags == []
    assert report.checkin_distance_m is None


def test_draft_is_kept_on_the_server_and_the_newer_copy_wins(world, client_for, assignment):
    client = client_for(world.shopper)
    url = reverse("visit-draft", args=[assignment.pk])
    saved = client.post(url, json.dumps({"data": {"narrative": "new"}, "client_saved_at": 2000}),
                        content_type="application/json")
    assert saved.json()["status"] == "saved"
    client.post(url, json.dumps({"data": {"narrative": "older"}, "client_saved_at": 1000}), content_type="application/json")
    assert client.get(url).json() == {"data": {"narrative": "new"}, "client_saved_at": 2000}
    assert "new" in client.get(reverse("visit-report", args=[assignment.pk])).content.decode()
    assert client.post(url, "not json", content_type="application/json").status_code == 400
    # Submitting clears the draft.
    client.post(reverse("visit-report", args=[assignment.pk]), payload(assignment))
    assert not ReportDraft.objects.exists()


def test_returned_report_is_revised_and_resubmitted(world, client_for, assignment):
    client = client_for(world.shopper)
    url = reverse("visit-report", args=[assignment.pk])
    client.post(url, payload(assignment, key="first", narrative="First version."))
    report = VisitReport.objects.get()
    visits.return_report(report, by=world.reviewer, note="Add the employee's name badge.",
                         deadline=timezone.now() + timedelta(days=2))
    home = client.get(reverse("home")).content.decode()
    assert "Add the employee&#x27;s name badge." in home and "Revise the report" in home
    form = client.get(url).content.decode()
    assert "First version." in form
    client.post(url, payload(assignment, key="second", narrative="Second version, badge said Sam."))
    report.refresh_from_db()
    assert VisitReport.objects.count() == 1
    assert report.narrative == "Second version, badge said Sam."
    assert report.assignment.status == "submitted" and report.evaluation.status == "submitted"
    # Replaying the first key now changes nothing.
    client.post(url, payload(assignment, key="first", narrative="First version."))
    report.refresh_from_db()
    assert report.narrative == "Second version, badge said Sam."


def test_another_shoppers_key_cannot_be_reused(world, assignment):
    visits.submit_visit_report(assignment, world.shopper, visit_data(assignment), "shared-key")
    other = make_assignment(world, shopper=world.other_shopper, location=world.location_b)
    with pytest.raises(Exception, match="another report"):
        visits.submit_visit_report(other, world.other_shopper, visit_data(other), "shared-key")


def test_shopper_never_sees_others_work_or_scores(world, client_for, assignment):
    visits.submit_visit_report(assignment, world.shopper, visit_data(assignment), "mine")
    f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD, employee=world.employee_a)
    client = client_for(world.other_shopper)
    assert client.get(reverse("evaluation-list"))["Location"] == reverse("shopper-reports")
    assert not client.get(reverse("shopper-reports")).context["reports"]
    report = VisitReport.objects.get()
    assert client.get(reverse("evaluation-detail", args=[report.evaluation_id])).status_code == 404
    assert client.get(reverse("shopper-report", args=[report.assignment_id])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_resend_racing_the_dropped_original_is_the_same_report(world):
    """The original request holds the lock while the resend arrives; the resend must not answer "closed"."""
    import threading

    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("SQLite lets one writer in at a time, so the two requests cannot overlap as they do on "
                    "PostgreSQL; this race runs on PostgreSQL in CI")
    assignment = make_assignment(world)
    results, start = [], threading.Barrier(2)

    def send():
        start.wait()
        try:
            results.append(visits.submit_visit_report(assignment, world.shopper, visit_data(assignment), "raced"))
        except Exception as exc:  # recorded, the assertion below names it
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(created for _report, created in results) == [False, True]
    assert VisitReport.objects.count() == 1 and Evaluation.objects.count() == 1
