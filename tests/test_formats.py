"""Dates and times shown to people: one format per kind (qa.formats), in the reader's zone,
on pages (the `when` filter), in JSON answers and in e-mails sent to someone else."""

import zoneinfo
from datetime import datetime

import pytest
from django.core import mail
from django.template import Context, Template
from django.utils import timezone

from qa import formats, visits
from tests.visits_helpers import make_assignment, visit_data

pytestmark = pytest.mark.django_db
UTC = zoneinfo.ZoneInfo("UTC")


def test_the_when_filter_is_on_every_page_and_formats_in_the_viewers_zone():
    moment = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # London's clocks go forward at 01:00 UTC
    template = Template('{{ m|when:"datetime" }}|{{ m|when:"date" }}|{{ m|when:"time" }}|{{ m|when:"month" }}'
                        '|{{ none|when:"date"|default:"–" }}')
    with timezone.override(zoneinfo.ZoneInfo("Europe/London")):
        assert template.render(Context({"m": moment, "none": None})) == "29 Mar 2026, 00:30 GMT|29 Mar 2026|00:30|Mar 2026|–"
    with timezone.override(zoneinfo.ZoneInfo("Pacific/Auckland")):
        assert template.render(Context({"m": moment, "none": None})) == "29 Mar 2026, 13:30 NZDT|29 Mar 2026|13:30|Mar 2026|–"


def test_an_unknown_kind_is_a_programming_error_not_a_silent_format():
    with pytest.raises(ValueError):
        formats.as_kind(datetime(2026, 1, 1, tzinfo=UTC), "fancy")


def test_no_template_formats_a_date_by_hand():
    """Every date in a template goes through `when` (a machine value in a hidden field aside)."""
    import pathlib
    import re

    found = []
    for path in pathlib.Path("templates").rglob("*.html"):
        for match in re.finditer(r"\|date:([\"'])([^\"']*)\1", path.read_text()):
            if match.group(2) != "Y-m-d":
                found.append(f"{path}: {match.group(0)}")
    assert found == []


def test_the_return_email_gives_the_deadline_on_the_shoppers_clock(world, django_capture_on_commit_callbacks):
    world.shopper.email = "jess@example.com"
    world.shopper.time_zone = "Pacific/Auckland"
    world.shopper.save()
    assignment = make_assignment(world)
    report, _ = visits.submit_visit_report(assignment, world.shopper, visit_data(assignment), "r1")
    deadline = datetime(2026, 12, 1, 17, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))  # the reviewer's 5 pm
    with timezone.override(zoneinfo.ZoneInfo("Europe/London")), django_capture_on_commit_callbacks(execute=True):
        visits.return_report(report, by=world.reviewer, note="Add the receipt.", deadline=deadline)
    assert "by 2 Dec 2026, 06:00 NZDT" in mail.outbox[0].body  # Auckland is 13 hours ahead in December


def test_csv_times_are_local_iso_to_the_minute():
    from django.utils import dateformat

    moment = datetime(2026, 10, 25, 0, 59, 30, tzinfo=UTC)  # 01:59 BST, an hour before London's clocks go back
    with timezone.override(zoneinfo.ZoneInfo("Europe/London")):
        assert formats.csv_datetime(moment) == "2026-10-25 01:59" == dateformat.format(
            timezone.localtime(moment), formats.CSV_DATETIME)
        assert formats.csv_datetime(datetime(2026, 1, 2, 3, 4)) == "2026-01-02 03:04"
