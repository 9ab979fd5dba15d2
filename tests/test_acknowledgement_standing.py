"""Managers and QA staff can see whether the employee has acknowledged a released evaluation,
on its page and in lists; an open dispute shows as "Disputed" to everyone, the employee too."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qa import disputes
from tests import factories as f

pytestmark = pytest.mark.django_db


def released(world, **kwargs):
    evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD,
                                   employee=world.employee_a, **kwargs)
    evaluation.released_at = timezone.now()
    evaluation.save()
    return evaluation


def test_the_manager_sees_whether_and_when_the_employee_acknowledged(world, client_for):
    evaluation = released(world)
    manager = client_for(world.manager_a)
    body = manager.get(evaluation.get_absolute_url()).content.decode()
    assert "Not yet acknowledged" in body
    assert 'data-standing="unacknowledged"' in manager.get(reverse("evaluation-list")).content.decode()
    client_for(world.employee).post(reverse("evaluation-acknowledge", args=[evaluation.pk]))
    manager = client_for(world.manager_a)  # one test client: log the manager back in
    body = manager.get(evaluation.get_absolute_url()).content.decode()
    assert f"Acknowledged by {world.employee_a.name} on " in body and "Not yet acknowledged" not in body
    assert "Acknowledged by" in client_for(world.lead).get(evaluation.get_absolute_url()).content.decode()
    listing = client_for(world.manager_a).get(reverse("evaluation-list")).content.decode()
    assert listing.count('data-standing="acknowledged"') == 2  # phone list and table


def test_an_open_dispute_shows_as_disputed_on_lists_and_home(world, client_for):
    evaluation = released(world)
    disputes.raise_dispute(evaluation, world.employee, {evaluation.answers.first().pk: "I did greet her."})
    for user in (world.employee, world.manager_a):
        client = client_for(user)
        assert client.get(reverse("evaluation-list")).content.decode().count('data-standing="disputed"') == 2
        assert client.get(reverse("home")).content.decode().count('data-standing="disputed"') == 2


def test_the_list_asks_no_query_per_row(world, client_for):
    for days in range(3):
        released(world, days_ago=days + 1)
    client = client_for(world.manager_a)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("evaluation-list"))
    for days in range(3):
        evaluation = released(world, days_ago=days + 5)
        disputes.raise_dispute(evaluation, world.employee, {evaluation.answers.first().pk: "No."})
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("evaluation-list"))
    assert len(many.captured_queries) == len(few.captured_queries)
