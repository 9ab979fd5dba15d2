"""The raw rows behind the Excel and CSV exports: read from Evaluation.answer_values,
mapped to one column per question across scorecard versions, N/A spelt out."""

import csv
import importlib
import io

import pytest
from django.apps import apps

from qa.models import Evaluation
from qa.services import ANSWER_SEPARATOR
from reports.rows import column_titles, csv_lines, item_columns, raw_rows
from scorecards import services as scorecard_services
from scorecards.models import AnswerType, Item
from tests import factories as f

pytestmark = pytest.mark.django_db


def rows_by_pk(evaluations):
    columns = item_columns(evaluations)
    titles = column_titles(columns)
    return {row[0]: dict(zip(titles, row)) for row in raw_rows(evaluations, columns)}


def test_answers_land_in_their_question_columns_across_versions(world):
    v1 = world.version
    first = f.make_evaluation(v1, world.location_a, world.reviewer, dict(
        f.ALL_GOOD, **{"Anticipated a question": "N/A", "Explained the return policy": "partial"}))
    draft = scorecard_services.start_new_version(v1.scorecard)
    courtesy = draft.sections.get(name="Courtesy")
    Item.objects.create(section=courtesy, order=0, question="Used the customer's name",
                        answer_type=AnswerType.YES_NO)  # a new first item shifts every position
    scorecard_services.publish(draft, world.admin)
    second = f.make_evaluation(draft, world.location_a, world.reviewer, dict(
        f.ALL_GOOD, **{"Used the customer's name": "no", "Greeted the customer": "no"}))
    rows = rows_by_pk(Evaluation.objects.counted())
    assert rows[first.pk]["Anticipated a question"] == "N/A"
    assert rows[first.pk]["Explained the return policy"] == "Partly"  # words, never the code "partial"
    assert rows[first.pk]["Used the customer's name"] is None  # not on version 1
    assert rows[second.pk]["Used the customer's name"] == "no"
    assert rows[second.pk]["Greeted the customer"] == "no"
    assert rows[second.pk]["Never argued"] == "yes"


def test_the_separator_typed_in_an_answer_cannot_shift_columns(world):
    version = f.make_scorecard("Notes", sections=[("Notes", 1, [
        {"question": "What happened?", "answer_type": AnswerType.TEXT},
        {"question": "Greeted", "answer_type": AnswerType.YES_NO},
    ])])
    evaluation = f.make_evaluation(version, world.location_a, world.reviewer,
                                   {"What happened?": f"=cmd{ANSWER_SEPARATOR}x", "Greeted": "yes"})
    row = rows_by_pk(Evaluation.objects.filter(pk=evaluation.pk))[evaluation.pk]
    assert row["What happened?"] == "'=cmd x" and row["Greeted"] == "yes"


@pytest.mark.parametrize("text", [
    "fine", "said \"sorry\", then left", "=HYPERLINK(\"x\")", "+1", "-5", "@SUM(A1)", "tab\there",
    "two\nlines", "\rstart", "comma, only", "",
])
def test_csv_lines_are_what_the_csv_writer_makes_of_the_safe_cells(world, text):
    """The fast path writes stored answers as they are; every row must still equal the
    csv module's writing of the neutralised cells, whatever a free-text answer holds."""
    version = f.make_scorecard("Notes", sections=[("Notes", 1, [
        {"question": "Greeted", "answer_type": AnswerType.YES_NO},
        {"question": "What happened?", "answer_type": AnswerType.TEXT},
    ])])
    f.make_evaluation(version, world.location_a, world.reviewer, {"Greeted": "yes", "What happened?": text})
    f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD)  # a second layout
    awkward = f.make_location(world.region_a, name='Store "A", North\nside')  # names the writer must quote
    f.make_evaluation(world.version, awkward, world.reviewer, f.ALL_GOOD,
                      employee=f.make_employee(awkward, name="=HYPERLINK(1)"))
    f.make_evaluation(world.version, awkward, world.reviewer, f.ALL_GOOD)  # no employee
    for evaluations in (Evaluation.objects.counted(), Evaluation.objects.filter(version=version),
                        Evaluation.objects.filter(version=world.version)):  # mixed layouts, then one each
        columns = item_columns(evaluations)
        expected = io.StringIO()
        csv.writer(expected).writerows(raw_rows(evaluations, columns))
        assert "".join(csv_lines(evaluations, columns)) == expected.getvalue()


def test_the_migration_fills_answer_values_as_scoring_writes_them(world):
    evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer,
                                   dict(f.ALL_GOOD, **{"Anticipated a question": "N/A"}))
    written = evaluation.answer_values
    Evaluation.objects.update(answer_values="")
    migration = importlib.import_module("qa.migrations.0011_evaluation_answer_values")
    migration.fill(apps, None)
    evaluation.refresh_from_db()
    assert evaluation.answer_values == written and "N/A" in written


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Australia/Adelaide", "Australia/Lord_Howe",
                                  "Asia/Kathmandu", "Pacific/Chatham"])
def test_local_times_equal_zoneinfo_across_every_transition_of_the_year(zone):
    """local_time_converter looks the offset up once per quarter hour: checked minute by
    minute around each of the year's transitions, for zones with half- and three-quarter-hour offsets."""
    from datetime import datetime, timedelta, timezone as dt_timezone
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from reports.rows import local_time_converter

    tz = ZoneInfo(zone)
    moments = []
    day = datetime(2026, 1, 1, tzinfo=dt_timezone.utc)
    while day.year == 2026:  # the days whose offset changes, found hour by hour
        if (day + timedelta(hours=1)).astimezone(tz).utcoffset() != day.astimezone(tz).utcoffset():
            moments += [day + timedelta(minutes=m) for m in range(-90, 150)]
        day += timedelta(hours=1)
    assert moments or zone == "Asia/Kathmandu"
    moments += [datetime(2026, 6, 1, 12, 7, tzinfo=dt_timezone.utc)]
    with timezone.override(tz):
        convert = local_time_converter()
        for moment in moments:
            expected = moment.astimezone(tz).replace(tzinfo=None)
            assert convert(moment) == expected  # aware, as PostgreSQL's driver gives it
            assert convert(moment.replace(tzinfo=None)) == expected  # naive UTC, as SQLite's does
            assert convert(moment.strftime("%Y-%m-%d %H:%M:%S")) == expected.replace(second=0)
