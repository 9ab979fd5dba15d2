"""Acknowledging and disputing: who may, within which limits, decided by another reviewer, rescored, on record."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qa.models import Dispute
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def released(world):
    evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer,
                                   dict(f.ALL_GOOD, **{"Greeted the customer": "no"}), employee=world.employee_a)
    evaluation.released_at = timezone.now()
    evaluation.save()
    return evaluation


def greet_answer(evaluation):
    return evaluation.answers.get(item__question="Greeted the customer")


def test_employee_disputes_another_reviewer_amends_and_the_score_follows(world, client_for, released):
    answer = greet_answer(released)
    before = released.overall_score
    client = client_for(world.employee)
    response = client.post(reverse("dispute-create", args=[released.pk]),
                           {f"reason_{answer.pk}": "I greeted her at the door; the shopper arrived behind her."}, follow=True)
    assert "Dispute sent" in response.content.decode()
    dispute = Dispute.objects.get()
    item = dispute.items.get()
    # The reviewer who scored it may not decide.
    assert client_for(world.reviewer).post(reverse("dispute-decide", args=[dispute.pk])).status_code == 403
    lead = client_for(world.lead)
    response = lead.post(reverse("dispute-decide", args=[dispute.pk]), {f"decision_{item.pk}": "amended"})
    assert response.status_code == 422 and "needs a decision and a reason" in response.content.decode()
    lead.post(reverse("dispute-decide", args=[dispute.pk]), {
        f"decision_{item.pk}": "amended", f"value_{item.pk}": "yes", f"reason_{item.pk}": "CCTV shows the greeting."})
    dispute.refresh_from_db()
    released.refresh_from_db()
    assert dispute.status == "decided" and dispute.decided_by == world.lead
    assert (dispute.score_before, dispute.score_after) == (before, released.overall_score)
    assert released.overall_score > before
    body = client_for(world.employee).get(released.get_absolute_url()).content.decode()
    assert "originally “No”" in body and "CCTV shows the greeting." in body and "Amended" in body


def test_upheld_items_keep_their_answer(world, client_for, released):
    answer = greet_answer(released)
    client_for(world.manager_a).post(reverse("dispute-create", args=[released.pk]), {f"reason_{answer.pk}": "Unfair."})
    dispute = Dispute.objects.get()
    assert dispute.raised_by == world.manager_a
    item = dispute.items.get()
    client_for(world.lead).post(reverse("dispute-decide", args=[dispute.pk]), {
        f"decision_{item.pk}": "upheld", f"reason_{item.pk}": "The recording has no greeting."})
    answer.refresh_from_db()
    assert answer.value == "no"


def test_limits_window_open_count_and_standing(world, client_for, released, settings):
    answer = greet_answer(released)
    # Someone else's manager or employee has no standing.
    assert client_for(world.manager_b).get(reverse("dispute-create", args=[released.pk])).status_code == 404
    assert client_for(world.reviewer).get(reverse("dispute-create", args=[released.pk])).status_code == 403
    # Past the window: refused with the reason.
    released.released_at = timezone.now() - timedelta(days=settings.DISPUTE_WINDOW_DAYS + 1)
    released.save()
    response = client_for(world.employee).get(reverse("dispute-create", args=[released.pk]), follow=True)
    assert "Disputes are possible for" in response.content.decode()
    released.released_at = timezone.now()
    released.save()
    # A reason is required, and only one open dispute per evaluation.
    client = client_for(world.employee)
    response = client.post(reverse("dispute-create", args=[released.pk]), {f"reason_{answer.pk}": "  "})
    assert response.status_code == 422 and "Write a reason next to at least one answer." in response.content.decode()
    client.post(reverse("dispute-create", args=[released.pk]), {f"reason_{answer.pk}": "Wrong."})
    response = client.get(reverse("dispute-create", args=[released.pk]), follow=True)
    assert "already has an open dispute" in response.content.decode()
    # At most DISPUTE_MAX_OPEN open disputes per employee.
    settings.DISPUTE_MAX_OPEN = 1
    other = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD, employee=world.employee_a)
    other.released_at = timezone.now()
    other.save()
    response = client.get(reverse("dispute-create", args=[other.pk]), follow=True)
    assert "disputes are already open for this employee" in response.content.decode()


def test_employee_acknowledges_their_own_evaluation(world, client_for, released):
    response = client_for(world.employee).post(reverse("evaluation-acknowledge", args=[released.pk]), follow=True)
    assert "acknowledged this evaluation" in response.content.decode()
    released.refresh_from_db()
    assert released.acknowledged_at is not None
    assert client_for(world.manager_a).post(reverse("evaluation-acknowledge", args=[released.pk])).status_code == 403
    assert client_for(world.other_employee).post(reverse("evaluation-acknowledge", args=[released.pk])).status_code == 404


def test_a_refused_decision_keeps_every_decision_and_reason_and_links_to_each_error(world, client_for, released):
    """Issue 12.8: one item failing validation used to wipe every decision and reason typed."""
    answers = list(released.answers.filter(score__isnull=False).order_by("pk")[:2])
    client_for(world.employee).post(reverse("dispute-create", args=[released.pk]),
                                    {f"reason_{a.pk}": "Not what happened." for a in answers})
    dispute = Dispute.objects.get()
    first, second = dispute.items.order_by("pk")
    response = client_for(world.lead).post(reverse("dispute-decide", args=[dispute.pk]), {
        f"decision_{first.pk}": "amended", f"value_{first.pk}": "yes", f"reason_{first.pk}": "CCTV shows it.",
        f"decision_{second.pk}": "upheld", f"reason_{second.pk}": ""})
    assert response.status_code == 422
    body = response.content.decode()
    # Everything typed is back in the form.
    assert f'id="am_{first.pk}" value="amended" checked' in body
    assert '<option value="yes" selected>' in body
    assert ">CCTV shows it.</textarea>" in body
    assert f'id="up_{second.pk}" value="upheld" checked' in body
    # A summary at the top links to the field in error.
    assert 'id="error-summary"' in body and f'href="#reason_{second.pk}"' in body
    assert body.index('id="error-summary"') < body.index('<form method="post" novalidate>')
    dispute.refresh_from_db()
    assert dispute.status == "open"


def test_amending_to_no_answer_is_refused_with_the_reason(world, client_for, released):
    answer = greet_answer(released)
    client_for(world.employee).post(reverse("dispute-create", args=[released.pk]), {f"reason_{answer.pk}": "Unfair."})
    item = Dispute.objects.get().items.get()
    response = client_for(world.lead).post(reverse("dispute-decide", args=[item.dispute_id]), {
        f"decision_{item.pk}": "amended", f"value_{item.pk}": " ", f"reason_{item.pk}": "Wrong."})
    assert response.status_code == 422
    assert "Give the new answer" in response.content.decode() and f'href="#value_{item.pk}"' in response.content.decode()
