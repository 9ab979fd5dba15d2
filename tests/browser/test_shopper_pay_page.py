"""The administrator's older "Shopper pay" page (marking fees paid outside a batch) on a 360x740 phone and a
1366x850 desktop: each shopper's figures fit the screen (a card per shopper on the phone), with nothing to scroll
sideways, neither the page nor the table inside it."""

import pytest

from qa import visits
from tests import factories as f
from tests.browser.conftest import PHONE, sign_in
from tests.visits_helpers import make_assignment, visit_data

pytestmark = pytest.mark.django_db(transaction=True)
DESKTOP = {"width": 1366, "height": 850}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_shopper_pay_fits_the_screen_and_names_people(page, live_server, world, viewport):
    world.shopper.first_name, world.shopper.last_name = "Maximiliana", "Featherstonehaugh-Worthington"
    world.shopper.save()
    assignment = make_assignment(world)
    report, _ = visits.submit_visit_report(assignment, world.shopper, visit_data(assignment), "p1")
    visits.approve(report, by=world.reviewer)
    page.set_viewport_size(viewport)
    sign_in(page, live_server, "admin", f.PASSWORD)
    page.goto(f"{live_server.url}/assignments/payments/")
    page.locator("h1", has_text="Shopper pay").wait_for()
    width = viewport["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Nothing scrolls sideways inside the page either (a table in a scrolling box is still scrolled sideways).
    scrollers = page.evaluate("""() => Array.from(document.querySelectorAll('main *'))
        .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
        .map(e => e.className)""")
    assert scrollers == []
    row = page.locator(f"#shopper-pay-table tr[data-shopper='{assignment.shopper_id}']")
    assert row.evaluate("e => e.getBoundingClientRect().right") <= width
    text = row.inner_text()
    assert "Maximiliana Featherstonehaugh-Worthington" in text and "shopper" not in text.replace("Shopper", "")
    assert "£25.00" in text
    row.get_by_role("button", name="Mark 1 paid…").click()
    page.locator("h1", has_text="Mark 1 fee paid?").wait_for()
    assert "Maximiliana Featherstonehaugh-Worthington" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="Yes, mark them paid").click()
    page.get_by_text("1 fee marked paid for Maximiliana Featherstonehaugh-Worthington").wait_for()
