"""A shopper appeals a rejection once, within the time allowed; a reviewer other than the one who rejected it
decides; overturned, the report is approved and counts as an approval would make it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from pool import conversation as talk
from pool.models import Appeal, ReportMessage
from qa.models import Evaluation
from shops.models import AssignmentEvent
from tests.pool.conversation_helpers import rejected_report, submitted_report, with_emails


@pytest.fixture
def rejected(world):
    with_emails(world)
    return rejected_report(world)


def appeal_url(report):
    return reverse("pool:appeal-create", args=[report.assignment.pk])


def test_shopper_sees_the_reason_and_appeals_once(world, client_for, rejected, django_capture_on_commit_callbacks):
    client = client_for(world.shopper)
    page = client.get(reverse("shopper-report", args=[rejected.assignment.pk])).content.decode()
    assert "Photos are of another store." in page and "within 30 days of the rejection" in page
    response = client.post(appeal_url(rejected), {"reason": ""})
    assert response.status_code == 422 and "Say why the rejection is wrong." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(appeal_url(rejected), {"reason": "The photos show the store's sign."})
    assert response.status_code == 302
    # Not the reviewer who rejected it: another one decides (here the QA lead).
    assert mail.outbox and mail.outbox[0].to == ["lead@example.com"]
    appeal = Appeal.objects.get()
    assert appeal.decision == Appeal.Decision.PENDING
    response = client.post(appeal_url(rejected), {"reason": "Again, and at more length this time."}, follow=True)
    assert response.redirect_chain[0][0].endswith("#outcome") and "can be appealed once" in response.content.decode()
    assert Appeal.objects.count() == 1
    # The form is not offered again either.
    response = client.get(appeal_url(rejected), follow=True)
    assert response.redirect_chain and "can be appealed once" in response.content.decode()
    assert "Send the appeal" not in response.content.decode()
    page = client.get(reverse("shopper-report", args=[rejected.assignment.pk])).content.decode()
    assert "Waiting for a decision" in page and "The photos show the store&#x27;s sign." in page


def refused(response, report, why):
    """Sent back to the report, which says why; the appeal form is not shown."""
    page = response.content.decode()
    assert response.redirect_chain == [(reverse("shopper-report", args=[report.assignment.pk]) + "#outcome", 302)]
    assert why in page and "Send the appeal" not in page and "until ." not in page
    return page


def test_appeal_refused_after_the_limit_and_for_reports_not_rejected(world, client_for, rejected):
    AssignmentEvent.objects.filter(assignment=rejected.assignment, to_status="rejected").update(
        at=timezone.now() - timedelta(days=talk.APPEAL_DAYS + 1))
    client = client_for(world.shopper)
    late = "The 30 days to appeal this rejection have passed."
    refused(client.get(appeal_url(rejected), follow=True), rejected, late)
    refused(client.post(appeal_url(rejected), {"reason": "Late, but the photos show the sign."}, follow=True),
            rejected, late)
    nothing = "There is nothing to appeal: only a rejected report can be appealed."
    waiting = submitted_report(world, key="w1")
    refused(client.post(appeal_url(waiting), {"reason": "Why not? It is a fine report."}, follow=True),
            waiting, nothing)
    refused(client.get(appeal_url(waiting), follow=True), waiting, nothing)
    assert not Appeal.objects.exists()
    # Staff do not appeal; another shopper does not reach the report.
    assert client_for(world.lead).get(appeal_url(rejected)).status_code == 403
    assert client_for(world.other_shopper).get(appeal_url(rejected)).status_code == 404


def test_the_rejecting_reviewer_cannot_decide_and_upheld_stays_rejected(world, client_for, rejected,
                                                                       django_capture_on_commit_callbacks):
    appeal = talk.appeal(rejected.assignment, world.shopper, "The sign is in photo 2.")
    url = reverse("pool:appeal", args=[appeal.pk])
    client = client_for(world.reviewer)
    assert "another reviewer decides the appeal" in client.get(url).content.decode()
    response = client.post(url, {"decision": "overturned", "decision_reason": "Fine."})
    assert response.status_code == 422 and "another reviewer decides the appeal" in response.content.decode()
    client = client_for(world.lead)
    response = client.post(url, {"decision": "upheld", "decision_reason": ""})
    assert response.status_code == 422 and "Give the shopper the reason" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "upheld", "decision_reason": "Photo 2 shows the neighbour's sign."})
    assert response.status_code == 302
    appeal.refresh_from_db()
    rejected.assignment.refresh_from_db()
    assert appeal.decision == Appeal.Decision.UPHELD and appeal.decided_by == world.lead
    assert rejected.assignment.status == "rejected"
    assert mail.outbox[-1].to == ["shopper@example.com"] and "stays rejected" in mail.outbox[-1].subject
    page = client_for(world.shopper).get(reverse("shopper-report", args=[rejected.assignment.pk])).content.decode()
    assert "Rejection upheld" in page and "Photo 2 shows the neighbour&#x27;s sign." in page
    assert "Photos are of another store." in page
    history = client_for(world.lead).get(reverse("validation-detail", args=[rejected.pk])).content.decode()
    assert "Appeal refused, rejection upheld · lead" in history and "Appealed by the shopper" in history
    assert client.post(url, {"decision": "overturned", "decision_reason": "x"}).status_code == 422


def test_overturned_the_report_is_approved_and_counts(world, client_for, rejected, django_capture_on_commit_callbacks):
    appeal = talk.appeal(rejected.assignment, world.shopper, "The sign is in photo 2.")
    client = client_for(world.admin)
    assert b"The sign is in photo 2." in client.get(reverse("pool:appeals")).content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pool:appeal", args=[appeal.pk]),
                               {"decision": "overturned", "decision_reason": "Photo 2 shows the sign."})
    assert response.status_code == 302
    assignment = rejected.assignment
    assignment.refresh_from_db()
    evaluation = Evaluation.objects.get(pk=rejected.evaluation_id)
    assert assignment.status == "approved" and assignment.approved_at is not None
    assert evaluation.status == Evaluation.Status.RELEASED and evaluation.released_at is not None
    assert evaluation.overall_score is not None
    event = assignment.events.last()
    assert (event.from_status, event.to_status, event.by) == ("rejected", "approved", world.admin)
    assert "overturned on appeal: Photo 2 shows the sign." in event.note
    assert "is approved" in mail.outbox[-1].subject
    assert b"No appeal is waiting" in client.get(reverse("pool:appeals")).content
    page = client_for(world.shopper).get(reverse("shopper-report", args=[assignment.pk])).content.decode()
    assert "Rejection overturned: report approved" in page and "Photo 2 shows the sign." in page
    rating = client_for(world.shopper).get(reverse("pool:my-rating")).content.decode()
    assert "Approved on appeal" in rating and "Approved as sent" not in rating
    from pool import ratings

    basis = ratings.of(world.shopper.shopper)
    assert (basis.approved_on_appeal, basis.approved_first_time, basis.rejected) == (1, 0, 0)
    assert "1 approved on appeal" in rating


def test_overturn_is_the_only_way_out_of_rejected(world, rejected):
    from django.core.exceptions import ValidationError

    from shops import services as shop_services
    with pytest.raises(ValidationError):
        shop_services.change_status(rejected.assignment, "approved", world.lead)
    waiting = submitted_report(world, key="w2")
    with pytest.raises(ValidationError):
        shop_services.overturn_rejection(waiting.assignment, world.lead, "note")


def test_a_filter_not_understood_answers_400_with_nothing_beneath(world, client_for, rejected):
    """Neither the appeals, nor their empty-state, nor the unread messages: nothing the refused filter does not
    describe."""
    ReportMessage.objects.create(assignment=rejected.assignment, author=world.shopper, body="Which photos?")
    client = client_for(world.lead)
    page = client.get(reverse("pool:appeals")).content.decode()
    assert 'id="waiting-messages"' in page and "Shoppers' messages not read yet" in page
    response = client.get(reverse("pool:appeals"), {"decision": "bogus"})
    page = response.content.decode()
    assert response.status_code == 400 and page.count("A filter was not understood") == 1
    assert "Choose a group from the list." in page and "bogus" not in page and "valid choice" not in page
    assert "No appeal is waiting" not in page and "No appeal in this group" not in page
    assert 'id="appeal-list"' not in page and 'id="waiting-messages"' not in page
    assert "messages not read yet" not in page and "Every shopper's message has been read" not in page


def test_an_approved_report_has_nothing_to_appeal(world, client_for):
    """Approved as sent: no rejection, no reason, no deadline; the form is not offered at all."""
    from qa import visits

    approved = submitted_report(world, key="ok1")
    visits.approve(approved, by=world.reviewer)
    client = client_for(world.shopper)
    for response in (client.get(appeal_url(approved), follow=True),
                     client.post(appeal_url(approved), {"reason": "I would like a second look at it."}, follow=True)):
        page = refused(response, approved, "There is nothing to appeal")
        assert "No reason was given." not in page
    assert not Appeal.objects.exists()


def test_an_appeal_needs_a_real_explanation_and_says_it_is_the_only_one(world, client_for, rejected):
    from zoneinfo import ZoneInfo

    from qa import formats

    world.shopper.time_zone = "Pacific/Auckland"
    world.shopper.save(update_fields=["time_zone"])
    client = client_for(world.shopper)
    page = client.get(appeal_url(rejected)).content.decode()
    assert "This is your only appeal against this rejection." in page
    # The deadline in the shopper's own time zone (qa.middleware), not the server's.
    with timezone.override(ZoneInfo("Pacific/Auckland")):
        shown = formats.as_kind(talk.appeal_deadline(rejected.assignment), "datetime")
    assert f"Send it by {shown}." in page
    response = client.post(appeal_url(rejected), {"reason": "no"})
    page = response.content.decode()
    assert response.status_code == 422
    # Once in the summary at the top, once under the field.
    assert page.count("Explain what the reviewer missed in at least 20 characters (yours has 2)") == 2
    assert not Appeal.objects.exists()
    # The service holds the same rule for any other caller.
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="at least 20 characters"):
        talk.appeal(rejected.assignment, world.shopper, "   wrong      ")
    response = client.post(appeal_url(rejected), {"reason": "Photo 2 shows the store's own sign."})
    assert response.status_code == 302 and Appeal.objects.count() == 1


def test_the_rejected_report_says_when_it_was_rejected_in_the_shoppers_time_zone(world, client_for, rejected):
    from zoneinfo import ZoneInfo

    from qa import formats

    world.shopper.time_zone = "America/Los_Angeles"
    world.shopper.save(update_fields=["time_zone"])
    page = client_for(world.shopper).get(reverse("shopper-report", args=[rejected.assignment.pk])).content.decode()
    with timezone.override(ZoneInfo("America/Los_Angeles")):
        shown = formats.as_kind(talk.rejection_event(rejected.assignment).at, "datetime")
    outcome = page.split('id="outcome"')[1].split("</section>")[0]
    assert f"Rejected {shown}." in outcome and "Photos are of another store." in outcome
