"""Planning visits: one by one, in bulk, the repeat-visit bar, accepting offers, status history."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from qa import visits
from shops import services
from shops.models import Assignment, AssignmentEvent, Shopper
from tests.conftest import PERSONAS
from tests.visits_helpers import make_assignment, visit_data

pytestmark = pytest.mark.django_db
PLANNERS = {"admin", "lead", "reviewer"}


def form_data(world, **extra):
    today = timezone.localdate()
    data = {
        "version": world.version.pk, "channel": "store_visit", "window_start": today.isoformat(),
        "window_end": (today + timedelta(days=5)).isoformat(), "brief": "Ask to return a faulty kettle.",
        "fee": "25.00", "report_due_hours": "24", "bar_days": "0",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_plan_assignments(world, client_for, persona):
    client = client_for(world.persona(persona))
    assignment = make_assignment(world, accepted=False)
    for url in (reverse("assignment-list"), reverse("assignment-create"), reverse("assignment-bulk"),
                reverse("assignment-detail", args=[assignment.pk])):
        response = client.get(url)
        if persona == "anonymous":
            assert response.status_code == 302
        elif persona in PLANNERS:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 403, (persona, url)
    response = client.post(reverse("assignment-cancel", args=[assignment.pk]))
    expected = 302 if persona in PLANNERS or persona == "anonymous" else 403
    assert response.status_code == expected
    assert (Assignment.objects.get(pk=assignment.pk).status == "cancelled") == (persona in PLANNERS)


def test_create_one_assignment_records_who_and_when(world, client_for):
    client = client_for(world.reviewer)
    response = client.post(reverse("assignment-create"), form_data(world, location=world.location_a.pk), follow=True)
    assignment = Assignment.objects.get()
    assert assignment.status == Assignment.Status.OFFERED and assignment.shopper is None
    event = assignment.events.get()
    assert (event.to_status, event.by) == ("offered", world.reviewer)
    assert "Assignment created" in response.content.decode()


def test_window_mistake_is_shown_next_to_the_field(world, client_for):
    today = timezone.localdate()
    response = client_for(world.lead).post(reverse("assignment-create"), form_data(
        world, location=world.location_a.pk, window_end=(today - timedelta(days=1)).isoformat()))
    assert response.status_code == 200
    assert "The last day cannot be before the first day." in response.content.decode()
    assert Assignment.objects.count() == 0


def test_bulk_creates_one_per_location(world, client_for):
    client = client_for(world.lead)
    data = form_data(world)
    data["locations"] = [world.location_a.pk, world.location_b.pk]
    response = client.post(reverse("assignment-bulk"), data, follow=True)
    assert Assignment.objects.count() == 2
    assert set(Assignment.objects.values_list("location", flat=True)) == {world.location_a.pk, world.location_b.pk}
    assert "2 assignments created" in response.content.decode()


def test_bar_keeps_a_shopper_from_a_recent_location(world, client_for):
    first = make_assignment(world)
    visits.submit_visit_report(first, world.shopper, visit_data(first), "k1")
    shopper = Shopper.objects.get(user=world.shopper)
    with pytest.raises(ValidationError, match="visited"):
        make_assignment(world, accepted=False, bar_days=30)
    data = form_data(world, shopper=shopper.pk, bar_days="30")
    data["locations"] = [world.location_a.pk, world.location_b.pk]
    response = client_for(world.lead).post(reverse("assignment-bulk"), data, follow=True)
    body = response.content.decode()
    assert "1 assignments created" in body and "Skipped" in body
    assert Assignment.objects.filter(location=world.location_b).count() == 1
    # A pool offer with a bar cannot be accepted by the shopper who was just there.
    offer = make_assignment(world, accepted=False, pool=True, bar_days=30)
    with pytest.raises(ValidationError):
        services.accept(offer, shopper)


def test_pool_offer_goes_to_the_first_shopper_who_accepts(world, client_for):
    offer = make_assignment(world, accepted=False, pool=True)
    response = client_for(world.other_shopper).post(reverse("visit-accept", args=[offer.pk]), follow=True)
    assert "Accepted" in response.content.decode()
    offer.refresh_from_db()
    assert offer.shopper.user == world.other_shopper and offer.status == "accepted"
    assert client_for(world.shopper).post(reverse("visit-accept", args=[offer.pk])).status_code == 404
    assert list(offer.events.values_list("to_status", "by__username")) == [("offered", "lead"), ("accepted", "other_shopper")]


def test_an_offer_to_one_shopper_is_invisible_to_another(world, client_for):
    offer = make_assignment(world, accepted=False)
    assert client_for(world.other_shopper).post(reverse("visit-accept", args=[offer.pk])).status_code == 404
    body = client_for(world.other_shopper).get(reverse("home")).content.decode()
    assert offer.brief not in body
    assert offer.brief in client_for(world.shopper).get(reverse("home")).content.decode()


def test_status_changes_follow_the_rules(world):
    assignment = make_assignment(world, accepted=False)
    with pytest.raises(ValidationError):
        services.change_status(assignment, Assignment.Status.APPROVED, world.lead)
    services.cancel(assignment, world.lead, "Store closed for refit")
    assert AssignmentEvent.objects.filter(assignment=assignment, to_status="cancelled", note="Store closed for refit").exists()
    with pytest.raises(ValidationError):
        services.accept(assignment, Shopper.objects.get(user=world.shopper))


def test_shopper_home_shows_offers_accepted_visits_with_maps_link(world, client_for):
    world.location_a.latitude, world.location_a.longitude = 53.7981, -1.5428
    world.location_a.save()
    make_assignment(world)
    body = client_for(world.shopper).get(reverse("home")).content.decode()
    assert "File the visit report" in body
    assert "https://www.google.com/maps/search/?api=1&amp;query=53.798100%2C-1.542800" in body
    assert "Report due within 24 hours of your visit." in body


def test_an_assignment_is_named_with_its_days_in_words_not_iso_dates(world, client_for):
    """The message after creating one said "Store A, 2026-12-10 to 2026-12-14"."""
    from datetime import date

    from shops.models import Assignment

    assignment = Assignment(location=world.location_a, window_start=date(2026, 12, 10), window_end=date(2026, 12, 14))
    assert str(assignment) == "Store A, 10 Dec 2026 to 14 Dec 2026"
