"""Each role's home page: who gets which page, and what it shows."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

EXPECTED_HEADING = {
    "admin": "Administration",
    "lead": "Quality assurance",
    "reviewer": "Quality assurance",
    "manager_a": "Your regions",
    "manager_b": "Your regions",
    "shopper": "Your visits",
    "other_shopper": "Your visits",
    "employee": "Your results",
    "other_employee": "Your results",
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_home_page_per_role(world, client_for, persona):
    response = client_for(world.persona(persona)).get(reverse("home"))
    if persona == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        return
    assert response.status_code == 200
    assert EXPECTED_HEADING[persona] in response.content.decode()


def test_manager_home_shows_only_their_locations_with_sample_size(world, client_for):
    f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD, employee=world.employee_a)
    f.make_evaluation(world.version, world.location_b, world.reviewer, f.ALL_GOOD, employee=world.employee_b)
    body = client_for(world.manager_a).get(reverse("home")).content.decode()
    assert "Store A" in body and "Store B" not in body
    assert "from 1 evaluation" in body


def test_employee_home_empty_state(world, client_for):
    body = client_for(world.employee).get(reverse("home")).content.decode()
    assert "No released evaluations of your service yet" in body


def test_user_without_role_is_told_to_ask(db, client_for):
    body = client_for(f.make_user("nobody")).get(reverse("home")).content.decode()
    assert "has no role yet" in body


def test_navigation_matches_the_role(world, client_for):
    admin_body = client_for(world.admin).get(reverse("home")).content.decode()
    assert reverse("scorecards:list") in admin_body and reverse("admin:index") in admin_body
    shopper_body = client_for(world.shopper).get(reverse("home")).content.decode()
    assert reverse("scorecards:list") not in shopper_body
    assert reverse("admin:index") not in shopper_body
    assert "My reports" in shopper_body


def test_sign_in_and_sign_out(world, client):
    response = client.post(reverse("login"), {"username": "reviewer", "password": f.PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_is_refused_with_a_message(world, client):
    response = client.post(reverse("login"), {"username": "reviewer", "password": "wrong"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_an_employee_sees_which_evaluations_are_new_until_acknowledged(world, client_for):
    """Issue 12.14: an employee could not tell which evaluations were new or not yet acknowledged."""
    new = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD, employee=world.employee_a)
    read = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD, employee=world.employee_a,
                             days_ago=3)
    client = client_for(world.employee)
    client.post(reverse("evaluation-acknowledge", args=[read.pk]))
    home = client.get(reverse("home"))
    body = home.content.decode()
    assert "1 new evaluation to read and acknowledge" in body
    assert home.context["new_ids"] == {new.pk}
    # The navigation counts them.
    assert "1 new, not yet acknowledged" in body
    listing = client.get(reverse("evaluation-list"))
    assert listing.context["new_ids"] == {new.pk}
    assert listing.content.decode().count("New: not yet acknowledged") == 2  # phone list and table, one row
    client.post(reverse("evaluation-acknowledge", args=[new.pk]))
    body = client.get(reverse("home")).content.decode()
    assert "You have acknowledged every evaluation so far." in body and "not yet acknowledged" not in body
    # Someone else's evaluations are never "new" to them.
    assert client_for(world.other_employee).get(reverse("home")).context["new_ids"] == set()
