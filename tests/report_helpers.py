"""Evaluations with known scores for report tests."""

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
