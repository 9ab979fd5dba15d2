"""Aggregation details the report pages rely on: periods cut at local midnight (across
daylight saving), and failure rates whose denominator leaves out N/A answers."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Avg, Count
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from qa.models import Evaluation
from reports import aggregation
from tests import factories as f

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")

# Around the end of British Summer Time (25 Oct 2026) and month ends, in local time.
MOMENTS = [
    datetime(2026, 9, 30, 23, 30), datetime(2026, 10, 1, 0, 15), datetime(2026, 10, 25, 0, 30),
    datetime(2026, 10, 25, 23, 59), datetime(2026, 10, 26, 0, 0), datetime(2026, 10, 31, 23, 59),
    datetime(2026, 11, 1, 0, 0), datetime(2026, 11, 2, 8, 0), datetime(2026, 12, 31, 23, 59),
]


@pytest.fixture
def timed(world):
    with timezone.override(LONDON):
        for n, moment in enumerate(MOMENTS):
            evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer,
                                           f.ALL_GOOD if n % 2 else dict(f.ALL_GOOD, **{"Greeted the customer": "no"}))
            evaluation.interaction_at = moment.replace(tzinfo=LONDON)
            evaluation.save()
        yield Evaluation.objects.counted()


@pytest.mark.parametrize("period, trunc", [("month", TruncMonth), ("week", TruncWeek)])
def test_trend_periods_match_the_database_truncation_in_local_time(timed, period, trunc):
    with timezone.override(LONDON):
        ours = [(row["period"], row["count"], row["average"]) for row in aggregation.trend(timed, period)]
        reference = [
            (row["p"], row["count"], row["average"])
            for row in timed.annotate(p=trunc("interaction_at")).values("p")
            .annotate(count=Count("pk"), average=Avg("overall_score")).order_by("p")
        ]
    assert ours == reference
    assert sum(count for _p, count, _a in ours) == len(MOMENTS)


def test_failure_rates_leave_out_not_applicable_answers(world):
    question = "Anticipated a question"  # N/A allowed
    for value in ["no", "no", "yes", "N/A", "N/A"]:
        f.make_evaluation(world.version, world.location_a, world.reviewer, dict(f.ALL_GOOD, **{question: value}))
    row = next(r for r in aggregation.failed_items(Evaluation.objects.counted()) if r["item__question"] == question)
    assert (row["failures"], row["answered"]) == (2, 3)
    assert row["rate"] == pytest.approx(200 / 3)
