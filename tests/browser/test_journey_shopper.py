"""The mystery shopper's day on a 360x740 phone, in real Chromium (issue 12 item 7): accept
an offered visit, file its report (fields found by their labels, section by section when
the form goes that way), find it in "Your reports" waiting for a reviewer, read it back in
words and without a score, and read the pay totals, which equal the approved fees beneath
them. The home page, the reports and the pay are then read again at a desktop's size."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from qa import formats, visits
from qa.models import VisitReport
from scorecards.models import Item
from shops import services as shop_services
from shops.models import Assignment, Shopper
from tests import factories as f
from tests.browser.conftest import sign_in
from tests.browser.journey import DESKTOP, PHONE, assert_reads_well, seen_text, tidy
from tests.visits_helpers import local, make_assignment, visit_data

pytestmark = pytest.mark.django_db(transaction=True)

ANSWERS = {  # the shopper's answers, in the words on the buttons
    "Greeted the customer": "Yes",
    "Never argued": "Yes",
    "Explained the return policy": "Partly",
    "Anticipated a question": "No",
}
COMMENT = "Did not ask whether I had the box, although the kettle was clearly boxed."
STORY = "Asked to return a kettle that stopped heating; the assistant checked it and offered a refund."


def visit_for(world, fee, **fields):
    """A visit for the shopper at its own fee (the helper's fee is always 25.00)."""
    assignment = make_assignment(world, **fields)
    Assignment.objects.filter(pk=assignment.pk).update(fee=Decimal(fee))
    assignment.refresh_from_db()
    return assignment


def approved_visit(world, fee, days_ago, paid=False):
    """A visit made `days_ago`, its report approved (and paid)."""
    assignment = visit_for(world, fee, window_start=timezone.localdate() - timedelta(days=days_ago))
    report, _ = visits.submit_visit_report(assignment, world.shopper,
                                           visit_data(assignment, minutes_ago=60 * 24 * days_ago), f"k{days_ago}")
    visits.approve(report, by=world.reviewer)
    if paid:
        shop_services.mark_paid([assignment], by=world.lead)
    return assignment


def reveal(page, locator):
    """Go forward through the report's sections (when it has them) until `locator` shows."""
    for _ in range(12):
        if locator.is_visible():
            return locator
        page.get_by_role("button", name="Next", exact=True).click()
    raise AssertionError(f"never shown: {locator}")


def fill_the_report(page, assignment, employee):
    page.get_by_label("Arrival").fill(local(timezone.now() - timedelta(minutes=30)))
    page.get_by_label("Departure").fill(local(timezone.now() - timedelta(minutes=8)))
    chooser = page.get_by_label("Employee who served you")
    option = next(text for text in chooser.locator("option").all_inner_texts() if text.startswith(employee.name))
    chooser.select_option(label=option)
    for item in Item.objects.filter(section__version=assignment.version).order_by("section__order", "order"):
        question = reveal(page, page.get_by_role("group", name=item.question))
        question.get_by_label(ANSWERS[item.question], exact=True).check()
        if ANSWERS[item.question] == "No":
            card = page.locator(".item-card").filter(has=question)
            card.get_by_label("Comment").fill(COMMENT)
    reveal(page, page.get_by_label("Your visit in your own words")).fill(STORY)


def test_shopper_accepts_files_and_follows_a_visit(page, live_server, world):
    approved_visit(world, "30.00", days_ago=20, paid=True)
    approved_visit(world, "22.50", days_ago=9)
    offer = visit_for(world, "27.50", accepted=False, window_start=timezone.localdate() - timedelta(days=1))
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "shopper", f.PASSWORD)

    # Home: the offer, in words, with its fee.
    offered = page.locator("section", has=page.get_by_role("heading", name="Offered to you"))
    card = offered.locator(".card", has_text="Store A")
    assert tidy(card.inner_text()).startswith("Store A £27.50")
    assert "Store visit" in card.inner_text()
    assert_reads_well(page)
    card.get_by_role("button", name="Accept this visit").click()
    page.get_by_text("Accepted: Store A").wait_for()
    assert Assignment.objects.get(pk=offer.pk).status == Assignment.Status.ACCEPTED
    accepted = page.locator("section", has=page.get_by_role("heading", name="Accepted visits"))
    accepted.locator(".card", has_text="Store A").get_by_role("link", name="File the visit report").click()
    page.get_by_role("heading", name="Visit report: Store A").wait_for()
    assert_reads_well(page)
    assert "%" not in seen_text(page, "main") and "score" not in seen_text(page, "main").lower()

    # The report, filled by its labels and sent.
    fill_the_report(page, offer, world.employee_a)
    assert_reads_well(page)
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("Report sent for Store A").wait_for()
    report = VisitReport.objects.get(assignment=offer)
    assert report.narrative == STORY and report.evaluation.employee == world.employee_a
    assert {a.item.question: a.value for a in report.evaluation.answers.select_related("item")} == {
        "Greeted the customer": "yes", "Never argued": "yes", "Explained the return policy": "partial",
        "Anticipated a question": "no"}
    waiting = page.locator("section", has=page.get_by_role("heading", name="Sent, waiting for a reviewer"))
    # One label per state on every page (qa.shopper_views.report_state_label), with the day of the visit.
    visited = formats.day(report.arrived_at)
    assert tidy(waiting.inner_text()).endswith(f"Store A Visited {visited} Sent, waiting for a reviewer")
    assert_reads_well(page)

    # "Your reports": the new one waiting, the two approved ones with their fees.
    page.get_by_role("link", name="All your reports").click()
    page.get_by_role("heading", name="Your reports").wait_for()
    rows = page.locator("#report-history li")
    assert rows.count() == 3
    newest = tidy(rows.first.inner_text())
    visited = timezone.localtime(report.arrived_at)
    assert newest.startswith(f"Store A Visited {visited:%a %-d %b %Y}")
    assert newest.endswith("Sent, waiting for a reviewer") and "£" not in newest
    assert [tidy(r)[-6:] for r in rows.all_inner_texts()[1:]] == ["£22.50", "£30.00"]
    assert_reads_well(page)

    # The report read back: what was sent, in words, never a score.
    rows.first.click()
    page.get_by_role("heading", name="Your report: Store A").wait_for()
    body = seen_text(page, "main")
    assert STORY in body and COMMENT in body and "Partly" in body and world.employee_a.name in body
    assert "%" not in body and "Score" not in body
    # No answer can be changed here (the only field is the message to the QA team).
    assert page.locator("main input[name^=item_], main textarea:not([name=body])").count() == 0
    assert_reads_well(page)

    # Pay: the totals equal the approved fees, the waiting visit earns nothing yet.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Your pay", exact=True).click()
    page.get_by_role("heading", name="Your pay").wait_for()
    totals = shop_services.fees(Shopper.objects.get(user=world.shopper), timezone.get_current_timezone())["totals"]
    assert (totals["earned"], totals["payable"], totals["paid"]) == (Decimal("52.50"), Decimal("22.50"),
                                                                     Decimal("30.00"))
    assert [page.locator(f"[data-total={k}]").inner_text() for k in ("earned", "payable", "paid")] == [
        "£52.50", "£22.50", "£30.00"]
    assert "From 2 approved visits." in seen_text(page, "main")
    not_paid = page.locator("#not-paid a", has_text="Store A")
    assert any(tidy(t).endswith("£22.50") for t in not_paid.all_inner_texts())
    assert_reads_well(page)

    # The same pages at a desktop's size.
    page.set_viewport_size(DESKTOP)
    for path, heading in [("/", "Your visits"), ("/visits/reports/", "Your reports"), ("/visits/pay/", "Your pay")]:
        page.goto(f"{live_server.url}{path}")
        page.get_by_role("heading", name=heading, exact=True).wait_for()
        assert_reads_well(page)
