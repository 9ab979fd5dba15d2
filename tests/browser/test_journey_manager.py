"""The regional manager's look at their region at a desk (1366x850), in real Chromium (issue
12 item 7): the dashboard's figures (average score and n) equal the database's released
evaluations in their region; filtered to one store in the Filters panel they equal that
store's; the Excel downloaded with that filter holds the same figures and rows, in words.
The dashboard is also read on a phone."""

import io
import re

import pytest
from django.db.models import Avg, Count
from openpyxl import load_workbook

from qa.models import Evaluation
from tests import factories as f
from tests.browser.conftest import sign_in
from tests.browser.journey import DESKTOP, PHONE, assert_reads_well, code_pattern, new_page, seen_text
from tests.report_helpers import ARGUED, NO_GREETING

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def region(world):
    """Region A: Store A (Ann: 100, 100, 66.67) and Store C (Cara: 100, 0 with a critical failure);
    Region B: Store B (Bob: 66.67), out of the manager's reach; a draft that counts nowhere."""
    store_c = f.make_location(world.region_a, name="Store C")
    cara = f.make_employee(store_c, name="Cara Employee")
    for answers, days_ago in [(f.ALL_GOOD, 3), (f.ALL_GOOD, 10), (NO_GREETING, 17)]:
        f.make_evaluation(world.version, world.location_a, world.reviewer, answers, employee=world.employee_a,
                          days_ago=days_ago)
    f.make_evaluation(world.version, store_c, world.reviewer, f.ALL_GOOD, employee=cara, days_ago=4)
    f.make_evaluation(world.version, store_c, world.reviewer, ARGUED, employee=cara, days_ago=5)
    f.make_evaluation(world.version, world.location_b, world.reviewer, NO_GREETING, employee=world.employee_b)
    f.make_evaluation(world.version, world.location_a, world.reviewer, NO_GREETING, employee=world.employee_a,
                      status=Evaluation.Status.DRAFT)
    return world


def figures(**where):
    """The released evaluations' average score (one decimal, as shown) and n, from the database."""
    row = Evaluation.objects.filter(status=Evaluation.Status.RELEASED, **where).aggregate(
        average=Avg("overall_score"), n=Count("pk"))
    return f"{row['average']:.1f}%", str(row["n"])


def shown(page):
    return page.inner_text("[data-figure=average]"), page.inner_text("[data-figure=count]")


def test_manager_reads_filters_and_downloads_the_region(browser, live_server, region):
    page = new_page(browser, DESKTOP, accept_downloads=True)
    sign_in(page, live_server, "manager_a", f.PASSWORD)
    page.locator("nav").get_by_role("link", name="Reports").first.click()
    page.get_by_role("heading", name="Dashboard").wait_for()
    assert shown(page) == figures(location__region=region.region_a) == ("73.3%", "5")
    assert "Store B" not in seen_text(page, "main")
    assert_reads_well(page)

    # Filtered to Store A in the panel: the figures are Store A's, the filter stays chosen.
    page.get_by_text("Filters", exact=True).click()
    location = page.get_by_label("Location", exact=True)
    location.select_option(label=next(o for o in location.locator("option").all_inner_texts()
                                      if o.startswith("Store A")))
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(rf"location={region.location_a.pk}"))
    assert shown(page) == figures(location=region.location_a) == ("88.9%", "3")
    assert page.get_by_label("Location", exact=True).locator("option:checked").inner_text().startswith("Store A")
    assert_reads_well(page)

    # The Excel downloaded with the filter: the same figures, the same rows, words not codes.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download Excel").click()
    with open(download.value.path(), "rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    summary = {row[0]: row[1:] for row in book["Summary"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Evaluations (n)"][0] == 3
    assert f"{summary['Average score (%)'][0]:.1f}%" == "88.9%"
    sheet = book["Evaluations"]
    assert sheet.max_row == 1 + 3
    cells = " ".join(str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                     for c in row if c is not None)
    assert not code_pattern().findall(cells), sorted(set(code_pattern().findall(cells)))
    assert "Store visit" in cells and "Store C" not in cells and "Store B" not in cells

    # The filtered dashboard on a phone.
    page.set_viewport_size(PHONE)
    assert shown(page) == ("88.9%", "3")
    assert_reads_well(page)
    page.context.close()
