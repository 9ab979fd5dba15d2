"""A revised report keeps its GPS check-in unless the shopper shares a new one (issue 12, item 5)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from qa import visits
from qa.models import VisitReport
from tests.visits_helpers import make_assignment, payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(world, client_for):
    """A report filed with a check-in 13 m from the store, then returned for a change."""
    world.location_a.latitude, world.location_a.longitude = 53.798100, -1.542800
    world.location_a.save()
    assignment = make_assignment(world)
    client = client_for(world.shopper)
    client.post(reverse("visit-report", args=[assignment.pk]),
                payload(assignment, key="first", latitude="53.798217", longitude="-1.542800", accuracy="8"))
    report = VisitReport.objects.get()
    assert round(report.checkin_distance_m) == 13
    visits.return_report(report, by=world.reviewer, note="Add the employee's name.",
                         deadline=timezone.now() + timedelta(days=2))
    return assignment


def review_page(world, client_for):
    return client_for(world.reviewer).get(
        reverse("validation-detail", args=[VisitReport.objects.get().pk])).content.decode()


def test_a_revision_without_a_new_check_in_keeps_the_original(world, client_for, returned):
    response = client_for(world.shopper).post(reverse("visit-report", args=[returned.pk]),
                                              payload(returned, key="revised", narrative="With the name: Sam."))
    assert response.status_code == 302
    report = VisitReport.objects.get()
    assert report.narrative == "With the name: Sam."
    assert (report.checkin_latitude, report.checkin_longitude) == (Decimal("53.798217"), Decimal("-1.542800"))
    assert report.checkin_accuracy_m == 8
    assert round(report.checkin_distance_m) == 13
    body = review_page(world, client_for)
    assert "13 m from the store" in body and "not shared" not in body


def test_a_new_check_in_replaces_the_original(world, client_for, returned):
    client_for(world.shopper).post(reverse("visit-report", args=[returned.pk]), payload(
        returned, key="revised", latitude="53.798100", longitude="-1.542900", accuracy="5"))
    report = VisitReport.objects.get()
    assert report.checkin_accuracy_m == 5
    assert round(report.checkin_distance_m) == 7
    assert "7 m from the store" in review_page(world, client_for)


def test_the_revision_form_says_the_check_in_is_kept(world, client_for, returned):
    body = client_for(world.shopper).get(reverse("visit-report", args=[returned.pk])).content.decode()
    assert "Your check-in from the first report is kept" in body
