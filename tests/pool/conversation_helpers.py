"""Reports to talk about: one waiting for validation, one rejected by the reviewer."""

from qa import visits
from tests.visits_helpers import make_assignment, visit_data


def submitted_report(world, key="c1", **fields):
    assignment = make_assignment(world, **fields)
    return visits.submit_visit_report(assignment, world.shopper, visit_data(assignment), key)[0]


def rejected_report(world, key="r1", by=None, reason="Photos are of another store."):
    report = submitted_report(world, key=key)
    visits.reject(report, by=by or world.reviewer, reason=reason)
    report.assignment.refresh_from_db()
    return report


def with_emails(world):
    for user in (world.shopper, world.reviewer, world.lead, world.admin):
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])
