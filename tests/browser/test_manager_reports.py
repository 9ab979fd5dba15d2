"""A regional manager's report in real Chromium, at a laptop's size and on a phone: the
Filters panel shows its fields, a filter applied narrows the figures and stays in the
panel, the trend names each period as its table does, and nothing overflows."""

import re

import pytest

from qa.models import Evaluation
from tests import factories as f
from tests.browser.conftest import PHONE, sign_in
from tests.report_helpers import NO_GREETING

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def region(world):
    """Region A: six evaluations over June and July 2026 (one of them at 00:30 on 1 June, London time)."""
    moments = ["2026-05-31T23:30:00Z", "2026-06-10T09:00:00Z", "2026-06-20T09:00:00Z",
               "2026-07-02T09:00:00Z", "2026-07-10T09:00:00Z", "2026-07-20T09:00:00Z"]
    for n, moment in enumerate(moments):
        evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer,
                                       f.ALL_GOOD if n % 2 else NO_GREETING,
                                       employee=world.employee_a)
        Evaluation.objects.filter(pk=evaluation.pk).update(interaction_at=moment)
    f.make_evaluation(world.version, world.location_b, world.reviewer, f.ALL_GOOD, employee=world.employee_b)
    return world


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 850}, PHONE], ids=["desktop", "phone"])
def test_manager_filters_the_dashboard(browser, live_server, region, viewport):
    context = browser.new_context(viewport=viewport, locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    sign_in(page, live_server, "manager_a", f.PASSWORD)
    page.goto(f"{live_server.url}/reports/")
    page.get_by_text("Filters", exact=True).click()
    for label in ("From", "To", "Location", "Employee", "Scorecard", "Channel", "Source", "Region", "Trend by"):
        assert page.get_by_label(label, exact=True).is_visible(), label
    assert page.locator("#id_location option").all_inner_texts() == ["All", "Store A (%s)" % region.location_a.code]
    assert page.inner_text("[data-figure=count]") == "6"

    page.get_by_label("From", exact=True).fill("2026-07-01")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"date_from=2026-07-01"))
    assert page.inner_text("[data-figure=count]") == "3"
    assert page.locator("details summary.btn").inner_text() == "Filters (1)"  # open, counting the filter in use
    assert page.get_by_label("From", exact=True).input_value() == "2026-07-01"  # kept after Apply

    page.goto(f"{live_server.url}/reports/")
    page.get_by_text("As a table").click()
    table = page.locator("td[data-period]").all_inner_texts()
    assert table == ["Jun 2026", "Jul 2026"]  # 00:30 on 1 June in London is June
    tips = page.locator("svg.chart circle title").all_text_contents()
    assert [tip.split(":")[0] for tip in tips] == table
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    context.close()


def test_best_performers_keep_a_gap_between_name_and_figure_on_a_phone(browser, live_server, region):
    """At 360 px the name and its figure once touched ("Ben Clarke95.4%"): a long location
    name squeezed the figure's text against the name."""
    region.location_a.name = "Riverside Shopping Centre Flagship Store"
    region.location_a.save()
    context = browser.new_context(viewport=PHONE, locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    sign_in(page, live_server, "manager_a", f.PASSWORD)
    page.goto(f"{live_server.url}/reports/")
    rows = page.locator("[data-best]")
    assert rows.count() >= 1
    for i in range(rows.count()):
        name = rows.nth(i).locator("a").bounding_box()
        figure = rows.nth(i).locator("span").bounding_box()
        same_line = figure["y"] < name["y"] + name["height"] - 1
        assert not same_line or figure["x"] - (name["x"] + name["width"]) >= 8
    context.close()
