"""Trend periods are named in the viewer's time zone, the same on the page, in the
chart and its tooltips, in the PDF, the Excel sheet and the CSV, around month starts
and daylight-saving changes. Each label is compared with the rows it summarises."""

import csv
import io
import re
import zoneinfo
from collections import Counter
from datetime import datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from qa import formats
from qa.models import Evaluation
from tests import factories as f

pytestmark = pytest.mark.django_db

ZONES = ["Europe/London", "America/Los_Angeles", "Pacific/Auckland", "Asia/Kathmandu"]

# Local wall-clock times either side of month starts, on the night Los Angeles leaves
# summer time (1 Nov 2026), near London's change (25 Oct) and Auckland's (27 Sep).
MOMENTS = [
    (2026, 5, 31, 23, 30), (2026, 6, 1, 0, 30),
    (2026, 9, 27, 4, 0), (2026, 9, 30, 23, 59), (2026, 10, 1, 0, 1),
    (2026, 10, 25, 1, 30), (2026, 10, 31, 23, 30), (2026, 11, 1, 0, 30), (2026, 11, 1, 3, 0),
]


def plant(world, zone: str):
    """One evaluation at each local moment, in `zone`; the manager reads in that zone."""
    tz = zoneinfo.ZoneInfo(zone)
    world.manager_a.time_zone = zone
    world.manager_a.save(update_fields=["time_zone"])
    moments = [datetime(*m, tzinfo=tz) for m in MOMENTS]
    for moment in moments:
        evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD,
                                       employee=world.employee_a)
        Evaluation.objects.filter(pk=evaluation.pk).update(interaction_at=moment)
    return moments


def expected_months(moments) -> Counter:
    return Counter(f"{datetime(m.year, m.month, 1):%b %Y}" for m in moments)


def expected_weeks(moments) -> Counter:
    from datetime import timedelta

    return Counter("Week of " + formats.date((m - timedelta(days=m.weekday())).date()) for m in moments)


def page_table(html: str) -> Counter:
    rows = re.findall(r'<td data-period>([^<]+)</td><td class="text-end">[^<]*</td><td class="text-end">(\d+)</td>', html)
    return Counter({label: int(n) for label, n in rows})


def chart_tooltips(html: str) -> Counter:
    tips = re.findall(r"<title>([^<:]+): [\d.]+% \(n = (\d+)\)</title>", html)
    return Counter({label: int(n) for label, n in tips})


@pytest.mark.parametrize("zone", ZONES)
def test_month_labels_agree_with_their_rows_everywhere(world, client_for, zone):
    moments = plant(world, zone)
    expected = expected_months(moments)
    client = client_for(world.manager_a)

    html = client.get(reverse("reports:dashboard")).content.decode()
    assert page_table(html) == expected
    assert chart_tooltips(html) == expected
    period_labels = re.findall(r'class="chart-period">([^<]+)<', html)
    assert set(period_labels) <= set(expected) and period_labels[0] == "May 2026" and period_labels[-1] == "Nov 2026"

    pdf = PdfReader(io.BytesIO(client.get(reverse("reports:export", args=["dashboard", "pdf"])).content))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    trend = text[text.index("Trend by month"):text.index("Score by section")]
    for label in expected:  # the trend axis names every month with data, none other
        assert label in trend
    assert "Apr 2026" not in trend and "Dec 2026" not in trend

    book = load_workbook(io.BytesIO(client.get(reverse("reports:export", args=["dashboard", "xlsx"])).content))
    rows = list(book["Summary"].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "Month") + 1
    assert Counter({row[0]: row[2] for row in rows[start:] if row[0]}) == expected

    response = client.get(reverse("reports:export", args=["dashboard", "csv"]))
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert sorted(line[1] for line in lines[1:]) == sorted(f"{m:%Y-%m-%d %H:%M}" for m in moments)


@pytest.mark.parametrize("zone", ZONES)
def test_week_labels_agree_with_their_rows_across_daylight_saving_changes(world, client_for, zone):
    moments = plant(world, zone)
    html = client_for(world.manager_a).get(reverse("reports:dashboard"), {"period": "week"}).content.decode()
    assert page_table(html) == expected_weeks(moments)
    assert chart_tooltips(html) == expected_weeks(moments)
    axis = re.findall(r'class="chart-period">([^<]+)<', html)
    assert set(axis) <= {label.removeprefix("Week of ").rsplit(" ", 1)[0] for label in expected_weeks(moments)}
    assert 'class="chart-axis-title">Week starting<' in html


def test_a_background_export_names_periods_in_the_requesters_zone(world, client_for, settings):
    from reports.models import ExportJob

    moments = plant(world, "Pacific/Auckland")
    settings.EXPORT_SYNC_LIMIT = 0  # built by the worker, outside the request and its time zone
    client = client_for(world.manager_a)
    client.get(reverse("reports:export", args=["dashboard", "xlsx"]))
    job = ExportJob.objects.get()
    book = load_workbook(job.file.open("rb"))
    rows = list(book["Summary"].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "Month") + 1
    assert Counter({row[0]: row[2] for row in rows[start:] if row[0]}) == expected_months(moments)


def test_one_format_per_kind_in_24_hours():
    moment = datetime(2026, 11, 29, 14, 5, tzinfo=zoneinfo.ZoneInfo("UTC"))
    from django.utils import timezone

    with timezone.override(zoneinfo.ZoneInfo("Asia/Kathmandu")):
        assert formats.datetime(moment) == "29 Nov 2026, 19:50 +0545"
        assert formats.time(moment) == "19:50"
        assert formats.date(moment) == "29 Nov 2026"
        assert formats.month(datetime(2026, 6, 1, tzinfo=zoneinfo.ZoneInfo("Asia/Kathmandu"))) == "Jun 2026"
    with timezone.override(zoneinfo.ZoneInfo("Europe/London")):
        june_start = datetime(2026, 6, 1, tzinfo=zoneinfo.ZoneInfo("Europe/London")).astimezone(zoneinfo.ZoneInfo("UTC"))
        assert formats.month(june_start) == "Jun 2026"  # the UTC instant is 31 May, 23:00
