"""The employee reading their results on a 360x740 phone, in real Chromium (issue 12 item 7):
home says how many evaluations are new (released, not yet acknowledged) and marks them;
one is opened (its title names the visit, its answers read as words, its score is the one
stored), acknowledged, and the count drops on home and in the navigation. A draft and a
colleague's evaluation never show. Home and the evaluation are also read at a desk's size."""

import re

import pytest

from qa.models import Evaluation
from tests import factories as f
from tests.browser.conftest import sign_in
from tests.browser.journey import DESKTOP, PHONE, assert_reads_well, new_page, seen_text, tidy
from tests.report_helpers import NO_GREETING

pytestmark = pytest.mark.django_db(transaction=True)


def new_count(page) -> int:
    """The number the home page's notice says is new (0 without a notice)."""
    notice = page.locator("main .alert-info", has_text="new evaluation")
    if not notice.count():
        return 0
    return int(re.match(r"(\d+) new evaluation", notice.inner_text()).group(1))


def nav_badge(page) -> str:
    """The count on the navigation's Evaluations link ('' without one)."""
    badge = page.locator("nav a", has_text="Evaluations").locator(".badge")
    return badge.first.text_content().split()[0] if badge.count() else ""


def test_employee_sees_what_is_new_reads_and_acknowledges_it(browser, live_server, world):
    seen = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD,
                             employee=world.employee_a, days_ago=12)
    Evaluation.objects.filter(pk=seen.pk).update(acknowledged_at=seen.interaction_at)
    older = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD,
                              employee=world.employee_a, days_ago=6)
    newest = f.make_evaluation(world.version, world.location_a, world.reviewer,
                               dict(NO_GREETING, **{"Explained the return policy": "partial"}),
                               employee=world.employee_a, days_ago=2)
    f.make_evaluation(world.version, world.location_a, world.reviewer, NO_GREETING, employee=world.employee_a,
                      status=Evaluation.Status.DRAFT)
    f.make_evaluation(world.version, world.location_b, world.reviewer, NO_GREETING, employee=world.employee_b)
    page = new_page(browser, PHONE)
    sign_in(page, live_server, "employee", f.PASSWORD)

    # Home: two new of three released, each marked; the navigation counts them too.
    page.get_by_role("heading", name="Your results").wait_for()
    assert new_count(page) == 2
    assert page.locator("main").get_by_text("New: not yet acknowledged").filter(visible=True).count() == 2
    assert nav_badge(page) == "2"
    assert "Bob Employee" not in seen_text(page, "main") and "Store B" not in seen_text(page, "main")
    assert_reads_well(page)

    # The newest opened: named, its score the stored one, answers in words.
    page.get_by_role("link", name=f"{newest.interaction_at:%-d %b %Y}").first.click()
    heading = page.locator("h1")
    heading.wait_for()
    assert "#" not in heading.inner_text() and "Store visit" in heading.inner_text()
    body = seen_text(page, "main")
    newest.refresh_from_db()
    assert f"{newest.overall_score:.2f}%" in body
    assert "Partly" in body and "Greeted the customer" in body
    assert_reads_well(page)
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_text("Thank you: you have acknowledged this evaluation.").wait_for()
    newest.refresh_from_db()
    assert newest.acknowledged_at is not None
    assert page.get_by_text(re.compile(r"^Acknowledged \d")).is_visible()
    assert nav_badge(page) == "1"
    assert_reads_well(page)

    # Back home: one new left, and it is the older one.
    page.goto(f"{live_server.url}/")
    assert new_count(page) == 1 and nav_badge(page) == "1"
    marked = page.locator("main tr, main .list-group-item, main .card").filter(
        has_text="New: not yet acknowledged", visible=True)
    assert marked.count() == 1
    assert f"{older.interaction_at:%-d %b %Y}" in tidy(marked.first.inner_text())
    assert_reads_well(page)

    # At a desk's size, the same.
    page.set_viewport_size(DESKTOP)
    assert_reads_well(page)
    page.goto(f"{live_server.url}{newest.get_absolute_url()}")
    assert_reads_well(page)
    page.context.close()
