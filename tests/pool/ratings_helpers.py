"""Reviewed visit reports made the way the validation pages make them: the shopper files a report with
qa.visits.submit_visit_report, a reviewer returns, approves or rejects it with qa.visits' services."""

import itertools
from datetime import timedelta

from django.utils import timezone

from qa import visits
from tests.visits_helpers import make_assignment, visit_data

_keys = itertools.count(1)


def submit(assignment, user, **kwargs):
    report, _ = visits.submit_visit_report(assignment, user, visit_data(assignment, **kwargs), f"rk-{next(_keys)}")
    return report


def reviewed(world, outcome="approve", *, shopper=None, returns=0, late=False, location=None, **fields):
    """One visit of `shopper` (a user; the world's shopper by default) reviewed to `outcome` ("approve" or
    "reject") after `returns` returns for revision; `late` files the report after its due time (flag "late")."""
    user = shopper or world.shopper
    if late:
        fields["report_due_hours"] = 1
    assignment = make_assignment(world, shopper=user, location=location or world.location_a, **fields)
    minutes = 150 if late else 40
    report = submit(assignment, user, minutes_ago=minutes)
    for _ in range(returns):
        visits.return_report(report, by=world.reviewer, note="Add the receipt photo.",
                             deadline=timezone.now() + timedelta(days=2))
        assignment.refresh_from_db()
        report = submit(assignment, user, minutes_ago=minutes)
    if outcome == "approve":
        visits.approve(report, by=world.reviewer)
    else:
        visits.reject(report, by=world.reviewer, reason="The visit was to another store.")
    assignment.refresh_from_db()
    return assignment
