"""Evaluations with known scores for report tests."""

import pytest

from reports.models import PolicyTarget
from scorecards.models import AnswerType
from tests import factories as f

NO_GREETING = dict(f.ALL_GOOD, **{"Greeted the customer": "no"})       # (2 x 50 + 1 x 100) / 3 = 66.67
ARGUED = dict(f.ALL_GOOD, **{"Never argued": "no"})                    # critical failure: 0


def kpi_version(admin):
    return f.make_scorecard("Phone test", user=admin, sections=[
        ("Courtesy", 2, [
            {"question": "Greeted the customer", "answer_type": AnswerType.YES_NO},
            {"question": "Never argued", "answer_type": AnswerType.YES_NO, "critical": True},
        ]),
        ("Accuracy", 1, [
            {"question": "Explained the return policy", "answer_type": AnswerType.YES_PARTIAL_NO, "weight": 2},
            {"question": "Anticipated a question", "answer_type": AnswerType.YES_NO, "na_allowed": True, "kpi": "fcr"},
            {"question": "Customer note", "answer_type": AnswerType.TEXT},
        ]),
    ])


@pytest.fixture
def scored(world):
    """Region A: employee A with six evaluations (four at 100, one at 66.67, one critical 0).
    Region B: employee B with two at 100."""
    for answers in [f.ALL_GOOD] * 4 + [NO_GREETING, ARGUED]:
        f.make_evaluation(world.version, world.location_a, world.reviewer, answers, employee=world.employee_a)
    for _ in range(2):
        f.make_evaluation(world.version, world.location_b, world.reviewer, f.ALL_GOOD, employee=world.employee_b)
    PolicyTarget.objects.create(kpi="fcr", target=85, comparison="at_least", unit="%")
    return world
