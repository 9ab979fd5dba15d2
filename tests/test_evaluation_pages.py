"""Evaluation list and detail pages: filtered, paginated and scoped by role."""

import pytest
from django.urls import reverse

from qa.models import Evaluation
from tests import factories as f
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

# Who may open an evaluation of region A's employee, released, scored by a reviewer.
MAY_SEE_A = {"admin", "lead", "reviewer", "manager_a", "employee"}


@pytest.fixture
def evaluation_a(world):
    return f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD, employee=world.employee_a)


@pytest.mark.parametrize("persona", PERSONAS)
def test_detail_access(world, client_for, evaluation_a, persona):
    response = client_for(world.persona(persona)).get(reverse("evaluation-detail", args=[evaluation_a.pk]))
    if persona == "anonymous":
        assert response.status_code == 302
    elif persona in MAY_SEE_A:
        assert response.status_code == 200
        assert "100.00%" in response.content.decode()
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_is_scoped(world, client_for, evaluation_a, persona):
    response = client_for(world.persona(persona)).get(reverse("evaluation-list"))
    if persona == "anonymous":
        assert response.status_code == 302
        return
    if persona in ("shopper", "other_shopper"):  # their reports, without scores, are on their own page
        assert response["Location"] == reverse("shopper-reports")
        return
    assert response.status_code == 200
    listed = {e.pk for e in response.context["page_obj"].object_list}
    assert listed == ({evaluation_a.pk} if persona in MAY_SEE_A else set())


def test_shopper_never_opens_the_scored_page(world, client_for):
    """A shopper reads their visit reports on qa.shopper_views' pages, which show no score; an
    evaluation of theirs without a visit report has nothing for them to read."""
    own = f.make_evaluation(world.version, world.location_a, world.shopper, f.ALL_GOOD,
                            status=Evaluation.Status.SUBMITTED, source=Evaluation.Source.SHOPPER)
    client = client_for(world.shopper)
    assert client.get(reverse("evaluation-detail", args=[own.pk])).status_code == 404
    assert client_for(world.other_shopper).get(reverse("evaluation-detail", args=[own.pk])).status_code == 404


def test_shopper_identity_hidden_from_managers_and_employees(world, client_for):
    world.shopper.first_name, world.shopper.last_name = "Secret", "Shopper"
    world.shopper.save()
    report = f.make_evaluation(world.version, world.location_a, world.shopper, f.ALL_GOOD, employee=world.employee_a,
                               source=Evaluation.Source.SHOPPER)
    url = reverse("evaluation-detail", args=[report.pk])
    for user in (world.manager_a, world.employee):
        assert "Secret Shopper" not in client_for(user).get(url).content.decode()
    assert "Secret Shopper" in client_for(world.reviewer).get(url).content.decode()


def test_critical_failure_is_explained(world, client_for):
    failed = f.make_evaluation(world.version, world.location_a, world.reviewer, dict(f.ALL_GOOD, **{"Never argued": "no"}))
    body = client_for(world.reviewer).get(reverse("evaluation-detail", args=[failed.pk])).content.decode()
    assert "Critical failure" in body
    assert "0.00%" in body


def test_filters_and_pagination(world, client_for):
    for n in range(30):
        f.make_evaluation(world.version, world.location_a if n % 2 else world.location_b, world.reviewer, f.ALL_GOOD,
                          days_ago=n + 1)
    client = client_for(world.lead)
    response = client.get(reverse("evaluation-list"), {"location": world.location_a.pk})
    assert response.context["paginator"].count == 15
    response = client.get(reverse("evaluation-list"))
    assert response.context["paginator"].count == 30
    assert len(response.context["page_obj"].object_list) == 25
    page2 = client.get(reverse("evaluation-list"), {"page": 2, "location": world.location_b.pk})
    assert page2.status_code == 404 or len(page2.context["page_obj"].object_list) == 0
    response = client.get(reverse("evaluation-list"), {"status": "rejected"})
    assert "No evaluation matches these filters" in response.content.decode()


def test_manager_cannot_filter_into_another_region(world, client_for, evaluation_a):
    f.make_evaluation(world.version, world.location_b, world.reviewer, f.ALL_GOOD)
    response = client_for(world.manager_a).get(reverse("evaluation-list"), {"location": world.location_b.pk})
    assert response.status_code == 200
    # A location outside the manager's scope is not a valid choice: nothing is listed and the form says why.
    assert response.context["paginator"].count == 0
    assert "Select a valid choice" in response.content.decode()


def test_times_show_in_the_users_time_zone(world, client_for):
    from datetime import datetime, timezone as dt_timezone

    evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD)
    Evaluation.objects.filter(pk=evaluation.pk).update(interaction_at=datetime(2026, 7, 1, 9, 30, tzinfo=dt_timezone.utc))
    world.reviewer.time_zone = "America/New_York"
    world.reviewer.save()
    body = client_for(world.reviewer).get(reverse("evaluation-detail", args=[evaluation.pk])).content.decode()
    assert "1 Jul 2026, 05:30 EDT" in body


def test_time_zone_can_be_changed(world, client_for):
    client = client_for(world.employee)
    response = client.post(reverse("account-time-zone"), {"time_zone": "Europe/Paris"}, follow=True)
    world.employee.refresh_from_db()
    assert world.employee.time_zone == "Europe/Paris"
    assert "Time zone saved" in response.content.decode()


def test_answers_read_as_words(world, client_for):
    evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer,
                                   dict(f.ALL_GOOD, **{"Explained the return policy": "partial", "Anticipated a question": "N/A"}))
    body = client_for(world.reviewer).get(reverse("evaluation-detail", args=[evaluation.pk])).content.decode()
    assert "Partly" in body and "N/A" in body
    assert ">partial<" not in body
