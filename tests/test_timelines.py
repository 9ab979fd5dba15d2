"""Answers computed from a complaint's times, against the seed policy's Table 1."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from qa import timelines
from qa.models import Interaction
from scorecards.models import AnswerType, Item

LONDON = ZoneInfo("Europe/London")


def item(rule, answer_type=AnswerType.YES_NO, na=True):
    return Item(question="q", answer_type=answer_type, na_allowed=na, auto_answer=rule)


def complaint(kind="billing", received=None, **times):
    received = received or datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)  # a Monday
    return Interaction(channel="email", complaint_type=kind, occurred_at=received, received_at=received, **times)


@pytest.fixture(autouse=True)
def london(settings):
    settings.TIME_ZONE = "Europe/London"


@pytest.mark.parametrize("kind, hours, expected", [
    ("billing", 23.9, "yes"), ("billing", 24.5, "no"),
    ("product_defect", 24, "yes"), ("product_defect", 30, "no"),
    ("service_outage", 11, "yes"), ("service_outage", 13, "no"),
])
def test_acknowledgement_against_the_type_limit(kind, hours, expected):
    c = complaint(kind)
    c.acknowledged_at = c.received_at + timedelta(hours=hours)
    result = timelines.compute(item("acknowledged_in_time"), c)
    assert (result.value, result.na) == (expected, False)
    limit = timelines.TIMELINES[kind].acknowledge_hours
    assert f"limit {limit} hours" in result.note


def test_working_days_skip_the_weekend():
    friday_afternoon = datetime(2026, 11, 6, 16, 0, tzinfo=LONDON)
    # Three working days after a Friday: Monday, Tuesday, Wednesday; due by midnight after Wednesday.
    assert timelines.add_working_days(friday_afternoon, 3) == datetime(2026, 11, 12, 0, 0, tzinfo=LONDON)


@pytest.mark.parametrize("resolved, expected", [
    (datetime(2026, 11, 11, 23, 0), "yes"),   # Wednesday night: in time
    (datetime(2026, 11, 12, 9, 0), "no"),     # Thursday morning: late
])
def test_billing_resolution_in_three_working_days(resolved, expected):
    c = complaint("billing", received=datetime(2026, 11, 6, 16, 0, tzinfo=LONDON),
                  resolved_at=resolved.replace(tzinfo=LONDON))
    assert timelines.compute(item("resolved_in_time"), c).value == expected


def test_outage_resolution_uses_two_working_days_and_defects_five():
    monday = datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)
    thursday = datetime(2026, 11, 5, 10, 0, tzinfo=LONDON)
    assert timelines.compute(item("resolved_in_time"), complaint("service_outage", monday, resolved_at=thursday)).value == "no"
    assert timelines.compute(item("resolved_in_time"), complaint("product_defect", monday, resolved_at=thursday)).value == "yes"


def test_not_a_complaint_is_not_applicable_where_allowed():
    plain = Interaction(channel="phone_call", occurred_at=datetime(2026, 11, 2, 9, 0, tzinfo=LONDON))
    assert timelines.compute(item("acknowledged_in_time"), plain).na is True
    assert timelines.compute(item("acknowledged_in_time", na=False), plain) is None


def test_missing_acknowledgement_is_no_once_due_and_not_applicable_before():
    c = complaint("billing")
    before = c.received_at + timedelta(hours=5)
    after = c.received_at + timedelta(hours=25)
    assert timelines.compute(item("acknowledged_in_time"), c, now=before).na is True
    late = timelines.compute(item("acknowledged_in_time"), c, now=after)
    assert (late.value, late.na) == ("no", False)


def test_other_complaints_have_no_timeline_so_no_computed_answer():
    c = complaint("other", acknowledged_at=datetime(2026, 11, 2, 10, 0, tzinfo=LONDON))
    assert timelines.compute(item("acknowledged_in_time"), c) is None


def test_response_hours_for_a_number_item():
    c = complaint("billing")
    c.acknowledged_at = c.received_at + timedelta(hours=1, minutes=30)
    result = timelines.compute(item("response_hours", AnswerType.NUMBER, na=False), c)
    assert result.value == "1.5"


def test_follow_up_counts_from_resolution():
    monday = datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)
    c = complaint("billing", monday, resolved_at=monday + timedelta(days=1),
                  followed_up_at=datetime(2026, 11, 12, 12, 0, tzinfo=LONDON))
    # Resolved Tuesday; 7 working days after Tuesday is the next Thursday (12 Nov), so in time.
    assert timelines.compute(item("followed_up_in_time"), c).value == "yes"
