"""Each role reaches exactly the evaluations, locations and employees it should."""

import pytest

from qa import scoping
from qa.models import Evaluation
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluations(world):
    return {
        "a": f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD, employee=world.employee_a),
        "b": f.make_evaluation(world.version, world.location_b, world.reviewer, f.ALL_GOOD, employee=world.employee_b),
        "a_pending": f.make_evaluation(world.version, world.location_a, world.shopper, f.ALL_GOOD,
                                       employee=world.employee_a, status=Evaluation.Status.SUBMITTED,
                                       source=Evaluation.Source.SHOPPER),
        "a_calibration": f.make_evaluation(world.version, world.location_a, world.lead, f.ALL_GOOD,
                                           employee=world.employee_a, is_calibration=True),
    }


def visible(user):
    return set(scoping.evaluations_for(user).values_list("pk", flat=True))


def test_qa_staff_and_admin_see_everything_but_others_blind_calibration_scores(world, evaluations):
    everything = {e.pk for e in evaluations.values()}
    assert visible(world.lead) == everything  # the calibration score is the lead's own
    for user in (world.admin, world.reviewer):
        assert visible(user) == everything - {evaluations["a_calibration"].pk}


def test_manager_sees_only_released_results_of_their_regions(world, evaluations):
    assert visible(world.manager_a) == {evaluations["a"].pk}
    assert visible(world.manager_b) == {evaluations["b"].pk}
    assert set(scoping.locations_for(world.manager_a)) == {world.location_a}
    assert set(scoping.employees_for(world.manager_b)) == {world.employee_b}


def test_employee_sees_only_their_own_released_results(world, evaluations):
    assert visible(world.employee) == {evaluations["a"].pk}
    assert visible(world.other_employee) == {evaluations["b"].pk}
    assert set(scoping.employees_for(world.employee)) == {world.employee_a}
    assert not scoping.locations_for(world.employee).exists()


def test_shopper_sees_only_their_own_reports(world, evaluations):
    assert visible(world.shopper) == {evaluations["a_pending"].pk}
    assert visible(world.other_shopper) == set()
    assert not scoping.locations_for(world.shopper).exists()
    assert not scoping.employees_for(world.shopper).exists()


def test_anonymous_sees_nothing(world, evaluations):
    from django.contrib.auth.models import AnonymousUser

    assert visible(AnonymousUser()) == set()


def test_manager_with_two_regions_sees_both(world, evaluations):
    world.manager_a.regions.add(world.region_b)
    assert visible(world.manager_a) == {evaluations["a"].pk, evaluations["b"].pk}
