"""The mystery shopper's journey on a 360x740 phone, in real Chromium: accept a visit,
file a report section by section with a receipt photo, survive a lost connection and a
server error, see every report kept on the phone with its state, fix one the server
refused, delete a stuck one, revise a returned one, and open the app with no connection."""

import time

import pytest
from django.utils import timezone

from qa import visits
from qa.models import Evidence, VisitReport
from scorecards.models import Item
from shops.models import Assignment
from tests import factories as f
from tests.browser.conftest import assert_fits_the_phone, sign_in
from tests.visits_helpers import image_bytes, local, make_assignment, visit_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(private_media):
    return private_media


def wait_until(page, condition, timeout=15.0):
    """Poll the database while letting Playwright run: with the sync API, route handlers and
    events only run inside Playwright calls, so a plain sleep would stall the browser's requests."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        page.wait_for_timeout(200)
    return condition()


def fill_report(page, assignment, narrative="Asked to return a kettle; the return policy was explained clearly."):
    """Section by section, as the shopper meets the report: times and employee, then every
    scorecard section ("Yes" to each item), then the story on the last step."""
    page.fill("#id_arrived_at", local(timezone.now() - timezone.timedelta(minutes=25)))
    page.fill("#id_departed_at", local(timezone.now() - timezone.timedelta(minutes=5)))
    page.select_option("#id_employee", str(assignment.location.employees.first().pk))
    while page.is_visible("#step-next"):
        for answer in page.locator("fieldset.visit-step:not([hidden]) input[type=radio][id$='_0']").all():
            answer.check()
        page.click("#step-next")
    page.fill("#id_narrative", narrative)


def open_report(page, live_server, world, assignment):
    sign_in(page, live_server, "shopper", f.PASSWORD)
    page.goto(f"{live_server.url}/visits/{assignment.pk}/report/")


def test_accept_fill_and_submit_with_a_receipt_photo(page, live_server, world, media, tmp_path):
    offer = make_assignment(world, accepted=False, receipt_required=True)
    sign_in(page, live_server, "shopper", f.PASSWORD)
    assert_fits_the_phone(page)
    page.get_by_role("button", name="Accept this visit").click()
    page.get_by_text("Accepted: Store A").wait_for()
    page.get_by_role("link", name="File the visit report").click()
    assert_fits_the_phone(page)
    fill_report(page, offer)
    receipt = tmp_path / "receipt.png"
    receipt.write_bytes(image_bytes(size=(3000, 2000)))
    page.set_input_files("#add-receipt", str(receipt))
    page.locator("#upload-list").get_by_text("Sent").wait_for()
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("Report sent for Store A").wait_for()
    report = VisitReport.objects.get()
    assert report.assignment_id == offer.pk and report.flags == []
    evidence = Evidence.objects.get()
    assert evidence.kind == "receipt" and max(evidence.width, evidence.height) <= 1600  # resized on the phone
    assert page.get_by_role("heading", name="Sent, waiting for a reviewer").is_visible()


def test_draft_survives_closing_the_page(page, live_server, world):
    assignment = make_assignment(world)
    open_report(page, live_server, world, assignment)
    page.fill("#id_employee_description", "Half-written description of the assistant")
    page.get_by_text("Saved on this phone at").wait_for()
    page.goto(f"{live_server.url}/")
    page.goto(f"{live_server.url}/visits/{assignment.pk}/report/")
    assert page.input_value("#id_employee_description") == "Half-written description of the assistant"
    assert page.get_by_text("Restored your unsent answers from").is_visible()


def test_offline_submission_waits_on_the_phone_and_sends_on_reconnect(page, context, live_server, world):
    assignment = make_assignment(world)
    open_report(page, live_server, world, assignment)
    fill_report(page, assignment)
    context.set_offline(True)
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("Saved on this phone, waiting to send").wait_for()
    page.wait_for_timeout(1000)
    assert VisitReport.objects.count() == 0
    context.set_offline(False)
    assert wait_until(page, lambda: VisitReport.objects.count() == 1)
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_timeout(1000)
    assert VisitReport.objects.count() == 1


def test_a_report_queued_offline_is_sent_when_the_app_is_opened_later(page, context, live_server, world):
    assignment = make_assignment(world)
    open_report(page, live_server, world, assignment)
    fill_report(page, assignment)
    context.set_offline(True)
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("Saved on this phone, waiting to send").wait_for()
    page.close()
    context.set_offline(False)
    later = context.new_page()
    later.goto(f"{live_server.url}/")
    assert wait_until(later, lambda: VisitReport.objects.count() == 1)
    assert Assignment.objects.get(pk=assignment.pk).status == "submitted"


def test_a_server_error_on_the_first_attempt_still_makes_one_report(page, live_server, world):
    assignment = make_assignment(world)
    open_report(page, live_server, world, assignment)
    fill_report(page, assignment)
    failures = {"left": 1}

    def flaky(route):
        if route.request.method == "POST" and failures["left"]:
            failures["left"] -= 1
            route.fulfill(status=500, body="Internal Server Error")
        else:
            route.continue_()

    page.route(f"**/visits/{assignment.pk}/report/", flaky)
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("The server had a problem").wait_for()
    assert wait_until(page, lambda: VisitReport.objects.count() == 1, timeout=20)
    page.wait_for_timeout(1500)
    assert VisitReport.objects.count() == 1
    assert failures["left"] == 0


def test_a_stuck_report_can_be_seen_and_deleted(page, live_server, world):
    assignment = make_assignment(world)
    open_report(page, live_server, world, assignment)
    fill_report(page, assignment)
    page.route(f"**/visits/{assignment.pk}/report/",
               lambda route: route.fulfill(status=503, body="down") if route.request.method == "POST" else route.continue_())
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("Saved on this phone, waiting to send").wait_for()
    page.goto(f"{live_server.url}/")
    outbox = page.locator("#outbox")
    outbox.get_by_text("Store A").wait_for()
    assert_fits_the_phone(page)
    page.once("dialog", lambda dialog: dialog.accept())
    outbox.get_by_role("button", name="Delete from this phone").click()
    outbox.wait_for(state="hidden")
    assert VisitReport.objects.count() == 0


def test_a_returned_report_is_revised_and_resubmitted(page, live_server, world):
    assignment = make_assignment(world)
    report, _ = visits.submit_visit_report(assignment, world.shopper, visit_data(assignment), "first")
    visits.return_report(report, by=world.reviewer, note="Please describe who served you.",
                         deadline=timezone.now() + timezone.timedelta(days=2))
    sign_in(page, live_server, "shopper", f.PASSWORD)
    page.get_by_text("Please describe who served you.").wait_for()
    page.get_by_role("link", name="Revise the report").click()
    page.get_by_text("Returned for a change:").wait_for()
    while page.is_visible("#step-next"):  # every answer is there already: Next goes through
        page.click("#step-next")
    page.fill("#id_narrative", "Served by a tall man whose badge said Sam; he explained the policy well.")
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("Report sent for Store A").wait_for()
    report.refresh_from_db()
    assert report.narrative.startswith("Served by a tall man")
    assert report.assignment.status == "submitted"
    assert VisitReport.objects.count() == 1


def test_the_servers_refusal_is_summarised_at_the_top_and_links_to_the_field(page, live_server, world):
    """12.4: the phone's checks pass, the server refuses (the chosen employee left meanwhile):
    the summary appears at the top, the page scrolls to it, and its link leads to the field."""
    assignment = make_assignment(world)
    open_report(page, live_server, world, assignment)
    fill_report(page, assignment, narrative="Everything I typed so far.")
    assignment.location.employees.update(active=False)
    page.get_by_role("button", name="Send the report").click()
    summary = page.locator("#error-summary")
    summary.get_by_text("Employee who served you: Select a valid choice.").wait_for()
    assert page.evaluate("document.getElementById('error-summary').getBoundingClientRect().top") < 100  # scrolled to it
    assert page.input_value("#id_narrative") == "Everything I typed so far."
    summary.get_by_role("link", name="Employee who served you").click()
    assert page.is_visible("#id_employee") and page.evaluate("document.activeElement.id") == "id_employee"
    assert "Select a valid choice" in page.inner_text("#id_employee_error")
    assert page.inner_text("#step-count") == "Section 1 of 4"
    assert VisitReport.objects.count() == 0
    page.fill("#id_employee_description", "Tall, badge said Sam")
    page.select_option("#id_employee", "")
    page.evaluate("QAVisitSteps.show(99)")
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("Report sent for Store A").wait_for()
    assert VisitReport.objects.get().employee_description == "Tall, badge said Sam"


def test_the_phone_checks_each_section_before_going_on(page, live_server, world):
    """A "No" without its comment is caught on the phone, with the server's words, before Next."""
    assignment = make_assignment(world)
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and r.url.endswith("/report/") else None)
    open_report(page, live_server, world, assignment)
    page.fill("#id_departed_at", local(timezone.now()))
    page.select_option("#id_employee", str(assignment.location.employees.first().pk))
    page.click("#step-next")
    assert page.inner_text("#step-count") == "Section 2 of 4"
    argued = Item.objects.get(section__version=assignment.version, question="Never argued")
    while not page.is_visible(f"#id_item_{argued.pk}_1"):
        for answer in page.locator("fieldset.visit-step:not([hidden]) input[type=radio][id$='_0']").all():
            answer.check()
        page.click("#step-next")
    for answer in page.locator("fieldset.visit-step:not([hidden]) input[type=radio][id$='_0']").all():
        answer.check()
    page.check(f"#id_item_{argued.pk}_1")  # "No" without the required comment
    step = page.inner_text("#step-count")
    page.click("#step-next")
    page.locator(f"#id_comment_{argued.pk}_error").wait_for()
    assert "comment is required when the answer is No" in page.inner_text(f"#id_comment_{argued.pk}_error")
    assert page.locator("#error-summary").get_by_role("link", name="Comment: Never argued").is_visible()
    assert page.inner_text("#step-count") == step  # stays on the section
    page.fill(f"#id_comment_{argued.pk}", "Raised his voice when I asked for a refund.")
    page.click("#step-next")
    assert page.inner_text("#step-count") != step
    assert page.locator("#error-summary").is_hidden()
    assert posts == []
