"""reports.parallel: a report's queries side by side on their own connections, with the
caller's time zone, and one after the other inside a transaction."""

import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from qa.models import Evaluation
from reports import parallel, services
from tests import factories as f

TOKYO = ZoneInfo("Asia/Tokyo")


def where_and_when():
    return threading.current_thread().name, timezone.get_current_timezone_name(), Evaluation.objects.count()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_others_run_in_the_pool_with_the_callers_time_zone(world, settings):
    settings.REPORT_QUERY_THREADS = 2
    f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD)
    with timezone.override(TOKYO):
        mine, theirs = parallel.side_by_side(where_and_when, where_and_when)
    assert mine == (threading.current_thread().name, "Asia/Tokyo", 1)
    assert theirs[0].startswith("report-query")
    assert theirs[1:] == ("Asia/Tokyo", 1)  # its own connection sees the committed row


@pytest.mark.django_db(transaction=True)
def test_a_dashboard_built_side_by_side_equals_one_built_in_turn(scored, settings):
    settings.REPORT_CACHE_SECONDS = 0
    settings.REPORT_QUERY_THREADS = 1
    in_turn = services.build(scored.manager_a, {}, "Region A")
    settings.REPORT_QUERY_THREADS = 2
    assert parallel.enabled()
    side_by_side = services.build(scored.manager_a, {}, "Region A")
    for name in ("summary", "company", "sections", "trend", "failed_items", "locations", "employees", "targets"):
        assert getattr(side_by_side, name) == getattr(in_turn, name), name


@pytest.mark.django_db
def test_inside_a_transaction_everything_runs_here(settings):
    settings.REPORT_QUERY_THREADS = 2
    assert connection.in_atomic_block
    assert not parallel.enabled()
    results = parallel.side_by_side(where_and_when, where_and_when)
    assert {name for name, _zone, _count in results} == {threading.current_thread().name}


@pytest.mark.django_db(transaction=True)
def test_an_error_in_the_pool_reaches_the_caller(settings):
    settings.REPORT_QUERY_THREADS = 2

    def fails():
        raise ValueError("from the pool")

    with pytest.raises(ValueError, match="from the pool"):
        parallel.side_by_side(lambda: 1, fails)
