"""Shopper pay: approved reports are payable; an administrator marks them paid; the shopper sees when."""

import pytest
from django.urls import reverse

from qa import visits
from tests.conftest import PERSONAS
from tests.visits_helpers import make_assignment, visit_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(world):
    assignment = make_assignment(world)
    report, _ = visits.submit_visit_report(assignment, world.shopper, visit_data(assignment), "p1")
    visits.approve(report, by=world.reviewer)
    assignment.refresh_from_db()
    return assignment


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_administrators_see_pay(world, client_for, approved, persona):
    response = client_for(world.persona(persona)).get(reverse("payments"))
    assert response.status_code == (302 if persona == "anonymous" else 200 if persona == "admin" else 403)


def test_mark_paid_and_the_shopper_sees_it(world, client_for, approved):
    client = client_for(world.admin)
    body = client.get(reverse("payments")).content.decode()
    assert "£25.00" in body and "Mark 1 paid" in body
    asked = client.post(reverse("payments"), {"shopper": approved.shopper_id}).content.decode()
    approved.refresh_from_db()
    assert "Mark 1 fee paid?" in asked and "£25.00" in asked and approved.paid_at is None  # asked first
    response = client.post(reverse("payments"), {"shopper": approved.shopper_id, "confirm": "yes"}, follow=True)
    assert "1 fee marked paid" in response.content.decode()
    approved.refresh_from_db()
    assert approved.paid_at is not None and approved.paid_by == world.admin
    assert "paid " in client_for(world.shopper).get(reverse("home")).content.decode()
    assert "All paid" in client_for(world.admin).get(reverse("payments")).content.decode()


def test_period_filter(world, client_for, approved):
    body = client_for(world.admin).get(reverse("payments"), {"date_from": "2001-01-01", "date_to": "2001-12-31"}).content.decode()
    assert "No approved reports in this period" in body


def test_pay_names_shoppers_by_their_names_not_their_logins(world, client_for, approved):
    """People are named as everywhere else (Shopper.__str__): the full name, and the login name only for a
    shopper who has not given a name, then in its place, not beside it."""
    world.shopper.first_name, world.shopper.last_name = "Priya", "Nair"
    world.shopper.save()
    body = client_for(world.admin).get(reverse("payments")).content.decode()
    row = body.split(f'data-shopper="{approved.shopper_id}"')[1].split("</tr>")[0]
    assert "Priya Nair" in row and ">shopper<" not in row and "shopper</" not in row
    world.shopper.first_name = world.shopper.last_name = ""
    world.shopper.save()
    row = client_for(world.admin).get(reverse("payments")).content.decode().split(
        f'data-shopper="{approved.shopper_id}"')[1].split("</tr>")[0]
    assert ">shopper</td>" in row
