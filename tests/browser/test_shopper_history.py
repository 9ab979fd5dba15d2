"""The shopper's history on a 360x740 phone and a 1366x850 desktop, in real Chromium: read a
returned and an approved report (no score anywhere), see the pay, and decline a visit with a
reason, which the planner then reads on the assignment's page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from qa import visits
from shops.models import Assignment
from tests import factories as f
from tests.browser.conftest import PHONE, assert_fits_the_phone, sign_in
from tests.visits_helpers import make_assignment, visit_data

pytestmark = pytest.mark.django_db(transaction=True)
DESKTOP = {"width": 1366, "height": 850}


def follow(page, name, heading, exact=False):
    """Tap a link and wait for the page it opens, known by its heading."""
    page.get_by_role("link", name=name, exact=exact).first.click()
    page.locator("h1", has_text=heading).wait_for()
    assert page.title().startswith(heading)


def assert_thumb_sized(page):
    """Every link, button and field on the page's content is at least 44 px tall, and nothing is wider than the page."""
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    small = page.evaluate("""() => Array.from(document.querySelectorAll('main a, main button, main textarea'))
        .filter(e => e.offsetParent !== null && !e.closest('#outbox'))
        .map(e => [e.textContent.trim().slice(0, 30), e.getBoundingClientRect().height])
        .filter(([, h]) => h < 44)""")
    assert small == []


@pytest.fixture
def reports(world):
    approved = make_assignment(world, window_start=timezone.localdate() - timedelta(days=6))
    report, _ = visits.submit_visit_report(approved, world.shopper, visit_data(approved, minutes_ago=60 * 24 * 2), "a")
    visits.approve(report, by=world.reviewer)
    returned = make_assignment(world, location=world.location_b)
    report, _ = visits.submit_visit_report(returned, world.shopper, visit_data(returned), "r")
    visits.return_report(report, by=world.reviewer, note="Add the receipt, please.",
                         deadline=timezone.now() + timedelta(days=2))
    soon = timezone.localdate() + timedelta(days=3)
    upcoming = make_assignment(world, window_start=soon, window_end=soon + timedelta(days=2))
    return {"approved": approved, "returned": returned, "upcoming": upcoming}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_history_pay_and_declining_a_visit(page, live_server, world, reports, viewport):
    page.set_viewport_size(viewport)
    sign_in(page, live_server, "shopper", f.PASSWORD)
    assert_thumb_sized(page)
    follow(page, "All your reports", "Your reports")
    assert_thumb_sized(page)
    rows = page.locator("#report-history li")
    assert rows.count() == 2
    visited = timezone.localtime(reports["approved"].report.arrived_at)
    assert rows.filter(has_text="Store A").inner_text().split("\n")[:3] == [
        "Store A", f"Visited {visited:%a %-d %b %Y}", "Approved"]
    rows.filter(has_text="Store B").click()
    page.locator("h1", has_text="Your report: Store B").wait_for()
    assert page.title().startswith("Your report: Store B")
    assert page.get_by_text("Add the receipt, please.").is_visible()
    assert page.get_by_role("link", name="Revise the report").is_visible()
    # Nothing of the report can be changed here (the only field is the message to the QA team).
    assert page.locator("input[name^=item_], select, textarea:not([name=body])").count() == 0
    assert "%" not in page.locator("main").inner_text() and "Score" not in page.content()
    assert_thumb_sized(page)

    follow(page, "Your reports", "Your reports")
    follow(page, "Your pay", "Your pay", exact=True)  # not "Add your payment details"
    assert page.locator("[data-total=earned]").inner_text() == "£25.00"
    assert page.locator("[data-total=payable]").inner_text() == "£25.00"
    assert page.locator("[data-total=paid]").inner_text() == "£0.00"
    assert page.locator("#pay-months tbody tr").inner_text().split()[:2] == [f"{visited:%b}", f"{visited:%Y}"]
    assert_thumb_sized(page)

    page.goto(f"{live_server.url}/")
    follow(page, "Cannot go? Decline this visit", "Decline the visit to Store A")
    page.fill("#id_reason", "   ")  # blank, but past the browser's own required check: the server's message
    page.get_by_role("button", name="Decline this visit").click()
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert "Say why you cannot make this visit" in summary.inner_text()
    assert_thumb_sized(page)
    page.fill("#id_reason", "My car broke down.")
    page.get_by_role("button", name="Decline this visit").click()
    page.get_by_text("You declined the visit to Store A").wait_for()
    assert page.get_by_role("link", name="Cannot go? Decline this visit").count() == 0
    upcoming = Assignment.objects.get(pk=reports["upcoming"].pk)
    assert upcoming.status == Assignment.Status.OFFERED and upcoming.shopper is None
    if viewport == PHONE:
        assert_fits_the_phone(page)

    # The planner on a desk of their own: a browser of their own, as in life (the shopper's phone
    # may still be fetching pages for offline use, whose answers would reset a shared cookie jar).
    desk = page.context.browser.new_context(viewport={"width": 1366, "height": 850})
    page = desk.new_page()
    sign_in(page, live_server, "lead", f.PASSWORD)
    page.goto(f"{live_server.url}/assignments/{upcoming.pk}/")
    history = page.locator("main .list-group").last.inner_text()
    assert "Declined by the shopper, back to planning" in history and "Reason: My car broke down." in history
    desk.close()
