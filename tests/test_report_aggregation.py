"""Aggregation details the report pages rely on: periods cut at local midnight (across
daylight saving), failure rates whose denominator leaves out N/A answers, and the
figures added up in Python from grouped rows equal to the database's own."""

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
        _summary, trend = aggregation.overview(timed, aggregation.period_starts(timed, period))
        ours = [(row["period"], row["count"], pytest.approx(float(row["average"]))) for row in trend]
        reference = [
            (row["p"], row["count"], float(row["average"]))
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


def test_overview_equals_the_summary_and_distribution_counted_row_by_row(world):
    scores = []
    for n in range(12):
        answers = dict(f.ALL_GOOD)
        if n % 3 == 0:
            answers["Greeted the customer"] = "no"
        if n % 5 == 0:
            answers["Anticipated a question"] = "N/A"
        scores.append(f.make_evaluation(world.version, world.location_a if n % 2 else world.location_b,
                                        world.reviewer, answers, days_ago=n * 20).overall_score)
    f.make_evaluation(world.version, world.location_a, world.reviewer, dict(f.ALL_GOOD), days_ago=3,
                      status=Evaluation.Status.SUBMITTED)  # not released: not counted
    counted = Evaluation.objects.counted()
    summary, trend = aggregation.overview(counted, aggregation.period_starts(counted, "month"))
    reference = aggregation.summary(counted)
    assert summary["count"] == reference["count"] == 12
    assert float(summary["average"]) == pytest.approx(float(reference["average"]))
    assert summary["critical_failures"] == reference["critical_failures"]
    by_tenth = [sum(1 for s in scores if low <= s < low + 10 or (low == 90 and s == 100)) for low in range(0, 100, 10)]
    assert [b["count"] for b in summary["distribution"]] == by_tenth
    assert sum(p["count"] for p in trend) == 12


def test_rankings_from_one_grouping_equal_each_level_grouped_alone(scored):
    counted = Evaluation.objects.counted()
    f.make_evaluation(scored.version, scored.location_a, scored.reviewer, f.ALL_GOOD)  # a location, no employee
    locations, employees = aggregation.rankings(counted, min_sample=2)
    for level, rows in (("location", locations), ("employee", employees)):
        alone = {r["id"]: r for r in aggregation.ranking(counted, level, min_sample=2)}
        assert {r["id"] for r in rows} == set(alone)
        for row in rows:
            other = alone[row["id"]]
            assert (row["count"], row["critical_failures"], row.get("rank")) == \
                (other["count"], other["critical_failures"], other.get("rank"))
            assert float(row["average"]) == pytest.approx(float(other["average"]))
            assert row["ci"] == pytest.approx(other["ci"])
            assert float(row["region_average"]) == pytest.approx(float(other["region_average"]))
    store_a = next(r for r in locations if r["id"] == scored.location_a.pk)
    assert store_a["count"] == 7  # six of employee A and the one without an employee


def test_section_means_from_the_evaluation_rows_equal_the_section_score_rows(world):
    """Sections are added up from Evaluation.section_score_N (the Nth section of the
    evaluation's version). A second version that moves a section to another place must
    still be merged by name, as the SectionScore rows would be."""
    from django.db.models import Avg

    from qa.models import SectionScore
    from scorecards import services as scorecard_services

    for n in range(4):
        f.make_evaluation(world.version, world.location_a, world.reviewer,
                          dict(f.ALL_GOOD, **{"Greeted the customer": "no"}) if n % 2 else f.ALL_GOOD)
    draft = scorecard_services.start_new_version(world.version.scorecard)
    sections = list(draft.sections.order_by("order"))
    sections[0].order, sections[-1].order = sections[-1].order, sections[0].order  # first and last swap places
    for section in (sections[0], sections[-1]):
        section.save()
    scorecard_services.publish(draft, world.admin)
    for n in range(3):
        f.make_evaluation(draft, world.location_a, world.reviewer,
                          dict(f.ALL_GOOD, **{"Never argued": "no"}) if n == 1 else f.ALL_GOOD)
    counted = Evaluation.objects.counted()
    reference = {row["section_name"]: (row["average"], row["n"]) for row in SectionScore.objects.filter(
        evaluation__in=counted, score__isnull=False).values("section_name").annotate(
        average=Avg("score"), n=Count("score")).order_by()}
    ours = {row.name: (row.average, row.count) for row in aggregation.sections(counted)}
    assert set(ours) == set(reference) and len(ours) == len(sections)
    for name, (average, count) in ours.items():
        assert count == reference[name][1]
        assert float(average) == pytest.approx(float(reference[name][0]))
