"""Issue 15 item 7, first journey, at a desk (1366x850) in real Chromium: a regional manager opens an action
plan from a missed target on the Action plans page, gets a clear error for a bad follow-up number (what was
typed is kept), assigns a corrective action, marks it done, and the follow-up re-shop appears in the QA team's
planning (Assignments), offered to the shoppers from the day after the due date."""

import os
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from plans.models import ActionPlan
from tests import factories as f
from tests.browser.conftest import sign_in
from tests.browser.journey import DESKTOP, PHONE, assert_reads_well, new_page, open_menu_item, seen_text
from tests.plans_helpers import fcr_target, kpi_version

pytestmark = pytest.mark.django_db(transaction=True)
FCR_FAIL = dict(f.ALL_GOOD, **{"Anticipated a question": "no", "Customer note": ""})
SHOTS = os.environ.get("PLANS_SHOTS", "")  # a folder to save screenshots in while looking at the pages


@pytest.fixture
def missed(world):
    """Store A: first-contact resolution 0% over 5 shops in the last days, against a target of at least 85%."""
    version = kpi_version(world.admin)
    fcr_target(85)
    for n in range(5):
        f.make_evaluation(version, world.location_a, world.shopper, FCR_FAIL, employee=world.employee_a,
                          source="shopper", days_ago=n + 1)
    world.manager_a.first_name, world.manager_a.last_name = "Maria", "Manager"
    world.manager_a.save()
    return world


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_manager_opens_a_plan_from_a_missed_target_and_the_re_shop_reaches_planning(browser, live_server, missed):
    page = new_page(browser, DESKTOP)
    sign_in(page, live_server, "manager_a", f.PASSWORD)
    open_menu_item(page, "Action plans")
    page.get_by_role("heading", name="Action plans", exact=True).wait_for()
    row = page.locator("[data-missed^=location-]")
    assert "Store A" in row.inner_text() and "0.0%" in row.inner_text() and "over 5 evaluations" in row.inner_text()
    assert "Store B" not in seen_text(page, "main")
    assert_reads_well(page)
    shot(page, "list-desktop")

    row.get_by_role("link", name=re.compile("Open a plan")).click()
    page.get_by_role("heading", name="Open an action plan").wait_for()
    assert page.get_by_label("Title").input_value() == "First-contact resolution below target: Store A"
    assert page.get_by_label("Location").locator("option:checked").inner_text().startswith("Store A")
    page.get_by_label("Root cause", exact=True).select_option(label="Training")
    page.get_by_label("Root cause analysis").fill("New starters were never shown how to check the customer's next question.")
    page.get_by_label("Number of follow-up evaluations").fill("0")
    page.get_by_role("button", name="Save plan").click()
    page.locator(".invalid-feedback, .alert-danger").first.wait_for()
    assert "New starters were never shown" in page.get_by_label("Root cause analysis").input_value()
    assert not ActionPlan.objects.exists()
    shot(page, "form-error-desktop")
    page.get_by_label("Number of follow-up evaluations").fill("1")
    page.get_by_role("button", name="Save plan").click()
    page.get_by_text("Plan opened.").wait_for()
    plan = ActionPlan.objects.get()
    assert (plan.location, plan.owner, plan.root_cause, plan.target.kpi) == (missed.location_a, missed.manager_a,
                                                                              "training", "fcr")

    page.get_by_label("Corrective action").fill("Show every new starter the next-question checklist")
    page.get_by_label("Owner").select_option(label="Maria Manager")
    page.get_by_label("Due date").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Add action").click()
    page.get_by_text("Action added").wait_for()
    assert_reads_well(page)
    page.get_by_role("button", name="Mark done").click()
    page.get_by_text("the follow-up has started").wait_for()
    assert "Re-shop of Store A" in seen_text(page, "main")
    assert "Round 1: 0 of 1 evaluation released." in seen_text(page, "main")
    assert "Below a policy target" in seen_text(page, "main")  # opened from a missed target, not "by hand"
    assert_reads_well(page)
    shot(page, "detail-desktop")
    page.set_viewport_size(PHONE)
    assert_reads_well(page)
    shot(page, "detail-phone")
    page.goto(f"{live_server.url}/plans/")
    assert_reads_well(page)
    shot(page, "list-phone")

    # The QA team's planning: the re-shop is there, offered to every shopper from the day after the due date.
    lead = new_page(browser, DESKTOP)
    sign_in(lead, live_server, "lead", f.PASSWORD)
    open_menu_item(lead, "Assignments")
    first_day = timezone.localdate() + timedelta(days=1)
    entry = lead.locator(".list-group-item", has_text="Store A").first
    assert "Offered" in entry.inner_text() and "offered to all shoppers" in entry.inner_text()
    assert first_day.strftime("%-d %b") in entry.inner_text()
    entry.click()
    assert "Re-shop (follow-up of an action plan)" in seen_text(lead, "main")
    shot(lead, "planning-desktop")
