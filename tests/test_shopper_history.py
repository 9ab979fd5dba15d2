"""The shopper's history (issue 12, item 9 and "The shopper's history"): the reports they sent,
each readable and never with a score; their fees earned, payable and paid per month; declining a
visit before its window, which returns it to planning."""

import zoneinfo
from datetime import datetime, timedelta, timezone as dt_timezone
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from qa import visits
from qa.services import AnswerData
from qa.models import VisitReport
from shops import services as shop_services
from shops.models import Assignment, AssignmentEvent
from tests.visits_helpers import item_named, make_assignment, visit_data

pytestmark = pytest.mark.django_db
S = Assignment.Status


def filed(world, key, arrived_at=None, **fields):
    """An accepted visit with its report sent, arriving at `arrived_at` (UTC) for 20 minutes."""
    assignment = make_assignment(world, **fields)
    data = visit_data(assignment)
    if arrived_at is not None:
        data.arrived_at, data.departed_at = arrived_at, arrived_at + timedelta(minutes=20)
    report, _created = visits.submit_visit_report(assignment, world.shopper, data, key)
    return report


@pytest.fixture
def history(world):
    """One report of each outcome; the approved one visited two days after its window opened."""
    start = timezone.localdate() - timedelta(days=4)
    approved = filed(world, "a", timezone.now() - timedelta(days=2), window_start=start)
    visits.approve(approved, by=world.reviewer)
    returned = filed(world, "r", location=world.location_b)
    visits.return_report(returned, by=world.reviewer, note="Add the receipt, please.",
                         deadline=timezone.now() + timedelta(days=2))
    rejected = filed(world, "x")
    visits.reject(rejected, by=world.reviewer, reason="This was the wrong store.")
    waiting = filed(world, "w")
    return {"approved": approved, "returned": returned, "rejected": rejected, "waiting": waiting}


def test_history_lists_every_sent_report_with_its_outcome(world, client_for, history):
    body = client_for(world.shopper).get(reverse("shopper-reports")).content.decode()
    for report in history.values():
        assert reverse("shopper-report", args=[report.assignment_id]) in body
    for words in ("Approved", "Returned to you for a change", "Rejected", "Sent, waiting for a reviewer"):
        assert words in body
    body = client_for(world.shopper).get(reverse("shopper-reports"), {"show": "rejected"}).content.decode()
    assert reverse("shopper-report", args=[history["rejected"].assignment_id]) in body
    assert reverse("shopper-report", args=[history["approved"].assignment_id]) not in body


def test_an_approved_visit_is_dated_by_the_day_of_the_visit(world, client_for, history):
    assignment = history["approved"].assignment
    visited = timezone.localtime(history["approved"].arrived_at).date()
    assert visited != assignment.window_start
    home = client_for(world.shopper).get(reverse("home")).content.decode()
    assert f"{visited:%-d %b %Y} · Approved" in home
    assert f"{assignment.window_start:%-d %b %Y} · Approved" not in home
    body = client_for(world.shopper).get(reverse("shopper-reports")).content.decode()
    assert f"Visited {visited:%a %-d %b %Y}" in body


def test_a_report_reads_as_sent_with_the_reviewers_outcome_and_no_score(world, client_for, history):
    world.location_b.latitude, world.location_b.longitude = Decimal("53.798100"), Decimal("-1.542800")
    world.location_b.save()
    returned = history["returned"]
    VisitReport.objects.filter(pk=returned.pk).update(checkin_latitude=Decimal("53.798217"),
                                                      checkin_longitude=Decimal("-1.542800"), checkin_distance_m=13)
    client = client_for(world.shopper)
    body = client.get(reverse("shopper-report", args=[returned.assignment_id])).content.decode()
    assert "Your report: Store B" in body
    assert "Add the receipt, please." in body and "Revise the report" in body
    assert "Greeted the customer" in body and "Yes" in body
    assert "13 m from the store" in body
    assert "You sent no photos with this report." in body
    assert 'name="item_' not in body  # read-only: no answer can be changed here
    assert returned.evaluation.overall_score is not None
    assert "Score" not in body and f"{returned.evaluation.overall_score}%" not in body
    body = client.get(reverse("shopper-report", args=[history["rejected"].assignment_id])).content.decode()
    assert "This was the wrong store." in body


def test_a_low_score_never_reaches_the_shopper(world, client_for):
    """Before: "My reports" led to the evaluation pages, which show the score to the shopper."""
    assignment = make_assignment(world)
    data = visit_data(assignment, **{"Greeted the customer": "no"})
    data.answers[item_named(assignment, "Greeted the customer").pk] = AnswerData(value="no", comment="No greeting at all.")
    report, _created = visits.submit_visit_report(assignment, world.shopper, data, "low")
    score = report.evaluation.overall_score
    assert score is not None and score < 100
    client = client_for(world.shopper)
    response = client.get(reverse("evaluation-detail", args=[report.evaluation_id]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("shopper-report", args=[assignment.pk])
    body = response.content.decode()
    assert "No greeting at all." in body and f"{score}%" not in body and "Score" not in body
    response = client.get(reverse("evaluation-list"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("shopper-reports")
    assert f"{score}%" not in response.content.decode()
    nav = client.get(reverse("home")).content.decode()
    assert reverse("shopper-reports") in nav and reverse("evaluation-list") not in nav


def test_another_shoppers_report_is_not_found(world, client_for, history):
    client = client_for(world.other_shopper)
    assert client.get(reverse("shopper-report", args=[history["approved"].assignment_id])).status_code == 404
    body = client.get(reverse("shopper-reports")).content.decode()
    assert "You have not sent a report yet" in body
    assert "No fees yet" in client.get(reverse("shopper-pay")).content.decode()


def test_an_accepted_visit_without_a_report_has_no_report_page(world, client_for):
    assignment = make_assignment(world)
    assert client_for(world.shopper).get(reverse("shopper-report", args=[assignment.pk])).status_code == 404


def test_fees_per_month_of_the_visit_in_the_shoppers_time_zone(world, client_for):
    world.shopper.time_zone = "Pacific/Auckland"
    world.shopper.save()
    # 23:30 UTC on 31 October is 12:30 on 1 November in Auckland: a November visit for this shopper.
    november = filed(world, "n", datetime(2026, 10, 31, 23, 30, tzinfo=dt_timezone.utc))
    october = filed(world, "o", datetime(2026, 10, 15, 9, 0, tzinfo=dt_timezone.utc), location=world.location_b)
    Assignment.objects.filter(pk=october.assignment_id).update(fee=Decimal("40.00"))
    for report in (november, october):
        visits.approve(report, by=world.reviewer)
    shop_services.mark_paid([october.assignment], world.admin)
    filed(world, "waiting")  # sent, not approved: earns nothing yet

    fees = shop_services.fees(world.shopper.shopper, zoneinfo.ZoneInfo("Pacific/Auckland"))
    assert fees["totals"] == {"visits": 2, "earned": Decimal("65.00"), "payable": Decimal("25.00"),
                              "paid": Decimal("40.00")}
    months = [(m["month"].strftime("%Y-%m"), m["visits"], m["earned"], m["payable"], m["paid"]) for m in fees["months"]]
    assert months == [("2026-11", 1, Decimal("25.00"), Decimal("25.00"), Decimal("0")),
                      ("2026-10", 1, Decimal("40.00"), Decimal("0"), Decimal("40.00"))]

    body = client_for(world.shopper).get(reverse("shopper-pay")).content.decode()
    assert 'data-total="earned">£65.00<' in body
    assert 'data-total="payable">£25.00<' in body
    assert 'data-total="paid">£40.00<' in body
    assert "Nov 2026" in body and "Oct 2026" in body
    assert body.index("Nov 2026") < body.index("Oct 2026")
    assert "From 2 approved visits." in body
    assert "Visited Sun 1 Nov 2026" in body  # the unpaid one, on its Auckland date


@pytest.fixture
def upcoming(world):
    """An accepted visit whose window opens in three days."""
    return make_assignment(world, window_start=timezone.localdate() + timedelta(days=3),
                           window_end=timezone.localdate() + timedelta(days=6))


def test_declining_an_accepted_visit_returns_it_to_planning(world, client_for, upcoming):
    client = client_for(world.shopper)
    home = client.get(reverse("home")).content.decode()
    assert reverse("visit-decline", args=[upcoming.pk]) in home
    response = client.post(reverse("visit-decline", args=[upcoming.pk]), {"reason": "My car broke down."}, follow=True)
    assert "You declined the visit to Store A" in response.content.decode()
    upcoming.refresh_from_db()
    assert upcoming.status == S.OFFERED and upcoming.shopper is None
    event = upcoming.events.last()
    assert (event.from_status, event.to_status, event.by, event.note) == (S.ACCEPTED, S.OFFERED, world.shopper,
                                                                          "My car broke down.")
    # Not offered again to the shopper who declined it; offered to the rest of the pool.
    assert not shop_services.offered_to(world.shopper.shopper).filter(pk=upcoming.pk).exists()
    assert shop_services.offered_to(world.other_shopper.shopper).filter(pk=upcoming.pk).exists()
    planner = client_for(world.lead).get(reverse("assignment-detail", args=[upcoming.pk])).content.decode()
    assert "Declined by the shopper, back to planning" in planner and "My car broke down." in planner


def test_declining_an_offer_needs_a_reason_and_keeps_nothing_back(world, client_for):
    offer = make_assignment(world, accepted=False, window_start=timezone.localdate() + timedelta(days=1),
                            window_end=timezone.localdate() + timedelta(days=2))
    client = client_for(world.shopper)
    response = client.post(reverse("visit-decline", args=[offer.pk]), {"reason": "   "})
    assert response.status_code == 422
    body = response.content.decode()
    assert "data-error-summary" in body and 'href="#id_reason"' in body
    assert "Say why you cannot make this visit" in body
    offer.refresh_from_db()
    assert offer.status == S.OFFERED and offer.shopper.user == world.shopper
    client.post(reverse("visit-decline", args=[offer.pk]), {"reason": "I am away that week."})
    offer.refresh_from_db()
    assert offer.status == S.OFFERED and offer.shopper is None
    assert offer.events.filter(AssignmentEvent.declines()).get().note == "I am away that week."
    assert reverse("visit-decline", args=[offer.pk]) not in client.get(reverse("home")).content.decode()


def test_a_visit_cannot_be_declined_once_its_window_has_started(world, client_for):
    started = make_assignment(world)  # its window opened yesterday
    client = client_for(world.shopper)
    assert reverse("visit-decline", args=[started.pk]) not in client.get(reverse("home")).content.decode()
    body = client.get(reverse("visit-decline", args=[started.pk])).content.decode()
    assert "window has started" in body and 'name="reason"' not in body
    response = client.post(reverse("visit-decline", args=[started.pk]), {"reason": "Changed my mind."}, follow=True)
    assert "window has started" in response.content.decode()
    started.refresh_from_db()
    assert started.status == S.ACCEPTED and started.shopper.user == world.shopper


def test_another_shopper_cannot_decline_my_visit(world, client_for, upcoming):
    client = client_for(world.other_shopper)
    assert client.get(reverse("visit-decline", args=[upcoming.pk])).status_code == 404
    assert client.post(reverse("visit-decline", args=[upcoming.pk]), {"reason": "Mine now."}).status_code == 404
    upcoming.refresh_from_db()
    assert upcoming.status == S.ACCEPTED and upcoming.shopper.user == world.shopper
