"""The main journey of each staff role, end to end in real Chromium at a laptop's size:
the administrator builds and publishes a scorecard, the QA lead plans a visit, the
reviewer corrects and approves a report, the manager reads and downloads their region,
the employee reads their own evaluation."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from qa import visits
from qa.models import VisitReport
from scorecards.models import Scorecard
from shops.models import Assignment
from tests import factories as f
from tests.browser.conftest import sign_in
from tests.browser.journey import open_menu_item
from tests.visits_helpers import make_assignment, visit_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", timezone_id="Europe/London",
                                  accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def test_administrator_builds_previews_and_publishes_a_scorecard(desk, live_server, world):
    sign_in(desk, live_server, "admin", f.PASSWORD)
    desk.get_by_role("link", name="New scorecard").first.click()
    desk.fill("#id_name", "Returns desk")
    desk.select_option("#id_channel", "store_visit")
    desk.get_by_role("button", name="Save scorecard").click()
    desk.get_by_text("Scorecard created").wait_for()
    desk.get_by_role("link", name="Add a section").click()
    desk.fill("#id_name", "Courtesy")
    desk.fill("#id_weight", "2")
    desk.get_by_role("button", name="Save section").click()
    desk.get_by_role("link", name="Add an item").click()
    desk.fill("#id_question", "Greeted you as if happy to see you")
    desk.fill("#id_policy_reference", "Service standard: Greet and Listen")
    desk.get_by_role("button", name="Save item").click()
    desk.get_by_text("Item added").wait_for()
    desk.get_by_role("link", name="Preview on a phone").click()
    desk.get_by_text("As a scorer sees it on a phone").wait_for()
    desk.go_back()
    desk.get_by_role("button", name="Publish this version").click()
    desk.get_by_role("button", name="Yes, publish it").click()
    desk.get_by_text("is published and frozen").wait_for()
    assert Scorecard.objects.get(name="Returns desk").published_version.number == 1


def test_lead_plans_a_visit_that_the_shopper_then_sees(desk, live_server, world):
    sign_in(desk, live_server, "lead", f.PASSWORD)
    open_menu_item(desk, "Assignments")
    desk.get_by_role("link", name="New assignment").click()
    desk.select_option("#id_location", str(world.location_a.pk))
    desk.select_option("#id_version", str(world.version.pk))
    desk.fill("#id_window_end", (date.today() + timedelta(days=30)).isoformat())
    desk.fill("#id_brief", "Ask to return a faulty kettle without a receipt.")
    desk.fill("#id_fee", "25")
    desk.get_by_role("button", name="Create assignment").click()
    desk.get_by_text("Assignment created and offered").wait_for()
    assert Assignment.objects.get().status == "offered"


def test_reviewer_corrects_and_approves_a_report(desk, live_server, world):
    assignment = make_assignment(world)
    report, _ = visits.submit_visit_report(assignment, world.shopper, visit_data(assignment), "journey")
    sign_in(desk, live_server, "reviewer", f.PASSWORD)
    desk.get_by_role("button", name="Quality work").click()
    desk.get_by_role("link", name="Report validation").first.click()
    desk.get_by_role("link", name="Store A").click()
    desk.get_by_text("Correct this answer").first.click()
    form = desk.locator("form[action$='/correct/']").first
    form.locator("select[name=value]").select_option("no")
    form.locator("textarea[name=reason]").fill("The greeting came only after two minutes.")
    form.get_by_role("button", name="Save the correction").click()
    desk.get_by_text("Answer corrected").wait_for()
    desk.get_by_role("button", name="Approve: the report counts").click()
    desk.get_by_text("Approved: the report now counts").wait_for()
    report.refresh_from_db()
    assert report.assignment.status == "approved" and report.evaluation.status == "released"
    assert report.evaluation.overall_score < 100


def test_manager_reads_the_region_and_downloads_excel(desk, live_server, world):
    f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD, employee=world.employee_a)
    f.make_evaluation(world.version, world.location_b, world.reviewer, f.ALL_GOOD, employee=world.employee_b)
    sign_in(desk, live_server, "manager_a", f.PASSWORD)
    desk.get_by_role("link", name="Reports").first.click()
    desk.get_by_role("heading", name="Dashboard").wait_for()
    assert desk.get_by_role("link", name="Store B").count() == 0
    desk.get_by_role("link", name="Store A").first.click()
    desk.get_by_role("heading", name="Store A").wait_for()
    with desk.expect_download() as download:
        desk.get_by_role("link", name="Download Excel").click()
    workbook = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    assert workbook["Evaluations"].max_row == 2


def test_employee_reads_their_own_evaluation_only(desk, live_server, world):
    own = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD, employee=world.employee_a)
    other = f.make_evaluation(world.version, world.location_b, world.reviewer, f.ALL_GOOD, employee=world.employee_b)
    sign_in(desk, live_server, "employee", f.PASSWORD)
    desk.get_by_role("heading", name="Your results").wait_for()
    desk.get_by_role("link", name=own.interaction_at.strftime("%-d %b %Y")).first.click()
    desk.get_by_role("heading", name=own.title(with_evaluator=False)).wait_for()
    desk.goto(f"{live_server.url}/evaluations/{other.pk}/")
    desk.get_by_role("heading", name="Not found").wait_for()
    assert VisitReport.objects.count() == 0
