"""Validation before release: the queue, corrections, return, approval, rejection."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from qa import visits
from qa.models import AnswerCorrection, Evaluation, VisitReport
from tests.conftest import PERSONAS
from tests.visits_helpers import item_named, local, make_assignment, visit_data

pytestmark = pytest.mark.django_db
REVIEWERS = {"admin", "lead", "reviewer"}


@pytest.fixture
def report(world):
    world.shopper.email = "jess@example.com"
    world.shopper.save()
    assignment = make_assignment(world)
    report, _ = visits.submit_visit_report(assignment, world.shopper, visit_data(assignment), "r1")
    return report


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_review(world, client_for, report, persona):
    client = client_for(world.persona(persona))
    for url in (reverse("validation-queue"), reverse("validation-detail", args=[report.pk])):
        response = client.get(url)
        expected = 302 if persona == "anonymous" else 200 if persona in REVIEWERS else 403
        assert response.status_code == expected, (persona, url)
    response = client.post(reverse("validation-approve", args=[report.pk]))
    assert response.status_code == (302 if persona in REVIEWERS or persona == "anonymous" else 403)
    report.evaluation.refresh_from_db()
    assert (report.evaluation.status == "released") == (persona in REVIEWERS)


def test_queue_is_oldest_first(world, client_for, report):
    later = make_assignment(world, location=world.location_b)
    newer, _ = visits.submit_visit_report(later, world.shopper, visit_data(later), "r2")
    VisitReport.objects.filter(pk=report.pk).update(last_submitted_at=timezone.now() - timedelta(hours=5))
    response = client_for(world.reviewer).get(reverse("validation-queue"))
    assert [r.pk for r in response.context["reports"]] == [report.pk, newer.pk]


def test_correction_keeps_the_original_and_rescoring_follows(world, client_for, report):
    answer = report.evaluation.answers.get(item=item_named(report.assignment, "Greeted the customer"))
    client = client_for(world.reviewer)
    response = client.post(reverse("validation-correct", args=[report.pk, answer.pk]), {"value": "no", "reason": ""})
    assert response.status_code == 422 and "This field is required" in response.content.decode()
    response = client.post(reverse("validation-correct", args=[report.pk, answer.pk]),
                           {"value": "no", "reason": "Recording shows no greeting."}, follow=True)
    correction = AnswerCorrection.objects.get()
    assert (correction.old_value, correction.new_value, correction.by) == ("yes", "no", world.reviewer)
    report.evaluation.refresh_from_db()
    assert report.evaluation.overall_score < 100
    body = response.content.decode()
    assert "Recording shows no greeting." in body and "Corrected from" in body
    bad = client.post(reverse("validation-correct", args=[report.pk, answer.pk]), {"value": "maybe", "reason": "x"})
    assert bad.status_code == 422 and "not an answer this item offers" in bad.content.decode()


def test_return_sends_the_note_by_email_and_shows_it_on_the_phone(world, client_for, report,
                                                                 django_capture_on_commit_callbacks):
    client = client_for(world.reviewer)
    deadline = local(timezone.now() + timedelta(days=2))
    response = client.post(reverse("validation-return", args=[report.pk]), {"note": "", "deadline": deadline})
    assert response.status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("validation-return", args=[report.pk]), {"note": "Please add the receipt.", "deadline": deadline})
    report.refresh_from_db()
    assert report.assignment.status == "returned" and report.evaluation.status == "returned"
    assert len(mail.outbox) == 1 and "Please add the receipt." in mail.outbox[0].body
    assert mail.outbox[0].to == ["jess@example.com"]
    # The link is absolute, from SITE_URL: a path alone leads nowhere from a mail program.
    assert f"http://127.0.0.1:8000/visits/{report.assignment.pk}/report/" in mail.outbox[0].body
    assert "Please add the receipt." in client_for(world.shopper).get(reverse("home")).content.decode()


def test_approval_makes_it_count_and_the_fee_payable(world, client_for, report):
    assert not Evaluation.objects.counted().exists()
    response = client_for(world.lead).post(reverse("validation-approve", args=[report.pk]), follow=True)
    assert "Approved" in response.content.decode()
    report.refresh_from_db()
    assert Evaluation.objects.counted().get() == report.evaluation
    assert report.assignment.status == "approved" and report.assignment.fee_payable
    assert client_for(world.lead).post(reverse("validation-approve", args=[report.pk]), follow=True).status_code == 200
    assert list(report.assignment.events.values_list("to_status", flat=True)) == ["offered", "accepted", "submitted", "approved"]


def test_rejection_needs_a_reason_and_never_counts(world, client_for, report):
    client = client_for(world.reviewer)
    assert client.post(reverse("validation-reject", args=[report.pk]), {"reason": ""}).status_code == 422
    client.post(reverse("validation-reject", args=[report.pk]), {"reason": "Visited the wrong store."})
    report.refresh_from_db()
    assert report.assignment.status == "rejected" and report.evaluation.status == "rejected"
    assert not Evaluation.objects.counted().exists()


def test_two_reviewers_never_silently_overwrite_each_other(world, client_for, report):
    """Both open the report; the first corrects an answer; the second, acting on what they saw, is told."""
    seen = report.evaluation.revision
    answer = report.evaluation.answers.get(item=item_named(report.assignment, "Greeted the customer"))
    first = client_for(world.reviewer)
    first.post(reverse("validation-correct", args=[report.pk, answer.pk]),
               {"value": "no", "reason": "No greeting on arrival.", "revision": seen})
    second = client_for(world.lead)
    response = second.post(reverse("validation-approve", args=[report.pk]), {"revision": seen}, follow=True)
    assert "Someone else changed this report" in response.content.decode()
    report.refresh_from_db()
    report.evaluation.refresh_from_db()
    assert report.assignment.status == "submitted" and report.evaluation.status == "submitted"
    # With the current revision the approval goes through.
    second.post(reverse("validation-approve", args=[report.pk]), {"revision": report.evaluation.revision})
    report.assignment.refresh_from_db()
    assert report.assignment.status == "approved"


def test_the_review_page_carries_the_revision(world, client_for, report):
    body = client_for(world.reviewer).get(reverse("validation-detail", args=[report.pk])).content.decode()
    assert f'name="revision" value="{report.evaluation.revision}"' in body


def test_a_revision_after_its_deadline_is_taken_but_flagged(world, report):
    deadline = timezone.now() + timedelta(hours=2)
    visits.return_report(report, by=world.reviewer, note="Add the receipt.", deadline=deadline)
    assignment = report.assignment
    assignment.refresh_from_db()
    on_time, _ = visits.submit_visit_report(assignment, world.shopper, visit_data(assignment), "r2")
    assert "late_revision" not in on_time.flags
    visits.return_report(on_time, by=world.reviewer, note="And the employee's name.", deadline=deadline)
    assignment.refresh_from_db()
    assignment.revision_deadline = timezone.now() - timedelta(minutes=1)
    assignment.save()
    late, _ = visits.submit_visit_report(assignment, world.shopper, visit_data(assignment), "r3")
    assert "late_revision" in late.flags
    assert "Revision sent after its deadline" in late.flag_labels()
