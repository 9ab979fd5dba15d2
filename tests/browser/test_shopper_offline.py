"""The shopper's phone without a connection, and the visit report as a phone shows it, in real
Chromium at 360x740: every report kept on the phone shows its state (waiting, sending, sent,
needs attention with the server's errors) and one the server refused can be opened and fixed;
nothing the phone can tell is incomplete is queued; the app opens offline (service worker);
the report goes section by section, keeps its place, shows no score, and fits the phone."""

import re
from datetime import datetime
from pathlib import Path

import pytest
from django.db.utils import OperationalError
from django.utils import timezone

from qa.models import VisitReport
from tests import factories as f
from tests.browser.conftest import PHONE, sign_in
from tests.browser.test_shopper_phone import fill_report, open_report
from tests.browser.test_shopper_phone import wait_until as _wait_until
from tests.visits_helpers import make_assignment

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path("var/screenshots")  # looked at by people after a change (make screenshots)


def wait_until(page, condition, timeout=15.0):
    """As test_shopper_phone's, reading through the in-memory SQLite's table lock: a read that
    meets the server's write in progress counts as "not yet" and is tried again."""
    def settled():
        try:
            return condition()
        except OperationalError:
            return False
    return _wait_until(page, settled, timeout)


def shot(page, name, full_page=False):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=full_page)


def outbox_row(page, title):
    return page.locator("#outbox-list li").filter(has_text=title)


def assert_thumb_sized_and_fits(page):
    """Nothing wider than the phone; every button, answer, link-button and summary a thumb hits is 44 px tall."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    small = page.evaluate("""() => Array.from(document.querySelectorAll(
        'main .btn, main .form-check, main summary, nav .nav-link, nav .navbar-toggler, main input.form-control, main select'))
        .filter(e => e.offsetParent !== null)
        .map(e => [e.textContent.trim().slice(0, 30) || e.id, Math.round(e.getBoundingClientRect().height)])
        .filter(([, h]) => h < 44)""")
    assert small == []


def test_a_report_refused_after_reconnecting_needs_attention_and_is_fixed(page, context, live_server, world):
    """12.3: queued offline, refused by the server once back online: not "waiting to send" but
    "Needs attention" with the server's error, on the home page and on the report, where it is fixed."""
    assignment = make_assignment(world)
    open_report(page, live_server, world, assignment)
    fill_report(page, assignment)
    context.set_offline(True)
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("Saved on this phone, waiting to send").wait_for()
    assignment.location.employees.update(active=False)  # the employee left while the phone was offline
    context.set_offline(False)
    page.locator("#queued-banner").get_by_text("the server refused it").wait_for(timeout=20000)
    summary = page.locator("#error-summary")
    assert summary.get_by_text("Employee who served you: Select a valid choice.").is_visible()
    assert VisitReport.objects.count() == 0

    page.goto(f"{live_server.url}/")
    row = outbox_row(page, "Store A")
    row.get_by_text("Needs attention").wait_for()
    assert "Select a valid choice" in row.inner_text()
    assert "waiting to send" not in page.inner_text("#outbox").lower()
    assert row.get_by_role("button", name="Send now").is_hidden()
    assert_thumb_sized_and_fits(page)
    shot(page, "shopper-outbox-attention-360.png", full_page=True)

    row.get_by_role("link", name="Open and fix").click()
    page.locator("#error-summary").get_by_role("link", name=re.compile("Employee who served you")).click()
    page.fill("#id_employee_description", "Tall, badge said Sam")
    page.evaluate("QAVisitSteps.show(99)")
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("Report sent for Store A").wait_for()
    assert VisitReport.objects.get().employee_description == "Tall, badge said Sam"
    page.locator("[data-listed-assignment]").get_by_text("Sent, waiting for a reviewer").wait_for()  # listed once


def test_a_report_sent_from_the_outbox_shows_as_sent(page, context, live_server, world):
    assignment = make_assignment(world)
    open_report(page, live_server, world, assignment)
    fill_report(page, assignment)
    context.set_offline(True)
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("Saved on this phone, waiting to send").wait_for()
    context.set_offline(False)
    assert wait_until(page, lambda: VisitReport.objects.count() == 1)
    page.wait_for_url(f"{live_server.url}/")
    # Listed once, by the server, with the one label of its state (not again in the phone's outbox).
    waiting = page.locator("[data-listed-assignment]")
    waiting.get_by_text("Sent, waiting for a reviewer").wait_for()
    assert waiting.count() == 1
    assert page.locator("#outbox").is_hidden()


def test_a_report_queued_before_the_session_ended_is_kept_until_the_shopper_signs_in(page, context, live_server, world):
    """Sending it lands on the sign-in page, not on the server's answer: it must not count as sent."""
    assignment = make_assignment(world)
    open_report(page, live_server, world, assignment)
    fill_report(page, assignment)
    context.set_offline(True)
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("Saved on this phone, waiting to send").wait_for()
    cookies = [c for c in context.cookies() if c["name"] != "sessionid"]
    context.clear_cookies()
    context.add_cookies(cookies)
    context.set_offline(False)
    page.locator("#queued-banner").get_by_text("You are signed out").wait_for(timeout=20000)
    assert page.evaluate("QAOutbox.reports().then(r => r.map(e => e.state))") == ["signin"]
    assert VisitReport.objects.count() == 0
    sign_in(page, live_server, "shopper", f.PASSWORD)
    assert wait_until(page, lambda: VisitReport.objects.count() == 1, timeout=20)
    page.locator("[data-listed-assignment]").get_by_text("Sent, waiting for a reviewer").wait_for()


def test_the_phone_queues_nothing_it_can_tell_is_incomplete(page, context, live_server, world):
    assignment = make_assignment(world)
    open_report(page, live_server, world, assignment)
    fill_report(page, assignment, narrative="")
    context.set_offline(True)
    page.get_by_role("button", name="Send the report").click()
    page.locator("#error-summary").get_by_text("Tell the story of your visit in a few sentences.").wait_for()
    assert page.locator("#queued-banner").is_hidden()
    assert page.evaluate("QAOutbox.reports().then(r => r.length)") == 0
    page.fill("#id_narrative", "Asked to return a kettle; told to come back with the box.")
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("Saved on this phone, waiting to send").wait_for()
    assert page.evaluate("QAOutbox.reports().then(r => r.length)") == 1


def test_the_app_opens_with_no_connection(page, context, live_server, world):
    """The home page and an accepted visit's report (never opened before) open offline."""
    opened = make_assignment(world)
    not_yet = make_assignment(world, location=world.location_a)
    sign_in(page, live_server, "shopper", f.PASSWORD)
    page.wait_for_function("navigator.serviceWorker.controller !== null || navigator.serviceWorker.ready")
    page.evaluate("navigator.serviceWorker.ready")
    page.goto(f"{live_server.url}/visits/{opened.pk}/report/")
    page.goto(f"{live_server.url}/")
    assert wait_until(page, lambda: page.evaluate(
        f"caches.open('qa-pages').then(c => c.match('/visits/{not_yet.pk}/report/')).then(r => !!r)"))
    context.set_offline(True)
    page.goto(f"{live_server.url}/")
    page.get_by_role("heading", name="Your visits").wait_for()
    assert page.get_by_text("No connection. This is the copy kept on this phone").is_visible()
    assert page.locator("link[href*='bootstrap']").count() == 1
    assert page.evaluate("getComputedStyle(document.querySelector('nav')).backgroundColor") != "rgba(0, 0, 0, 0)"  # styled
    page.goto(f"{live_server.url}/visits/{not_yet.pk}/report/")
    page.get_by_text("Section 1 of 4").wait_for()
    shot(page, "shopper-report-offline-360.png")
    fill_report(page, not_yet)
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("Saved on this phone, waiting to send").wait_for()
    context.set_offline(False)
    assert wait_until(page, lambda: VisitReport.objects.filter(assignment=not_yet).exists(), timeout=45)


def test_the_report_goes_section_by_section_keeps_its_place_and_shows_no_score(page, live_server, world):
    assignment = make_assignment(world)
    open_report(page, live_server, world, assignment)
    assert page.inner_text("#step-count") == "Section 1 of 4"
    assert page.inner_text("#step-name") == "Your visit"
    assert page.get_by_role("button", name="Send the report").is_hidden()
    assert page.get_by_role("button", name="Back").is_hidden()
    # Arrival is when the report was opened; departure waits for the shopper.
    arrival = datetime.strptime(page.input_value("#id_arrived_at"), "%Y-%m-%dT%H:%M")
    now = timezone.localtime().replace(tzinfo=None)
    assert abs((now - arrival).total_seconds()) < 120
    assert page.input_value("#id_departed_at") == ""
    assert page.evaluate("document.getElementById('id_departed_at').getBoundingClientRect().right") <= PHONE["width"] - 8
    assert_thumb_sized_and_fits(page)
    shot(page, "shopper-report-step1-360.png")
    page.get_by_role("button", name="Now").nth(1).click()
    page.select_option("#id_employee", str(assignment.location.employees.first().pk))
    page.click("#step-next")
    assert page.inner_text("#step-count") == "Section 2 of 4"
    page.reload()
    assert page.inner_text("#step-count") == "Section 2 of 4"
    assert page.input_value("#id_departed_at") != ""
    steps_seen = []
    while True:
        text = page.inner_text("main")
        steps_seen.append(page.inner_text("#step-count"))
        assert not re.search(r"\d\s?%|\bscore\b", text, re.I), "a shopper must not see a score"
        assert_thumb_sized_and_fits(page)
        if not page.is_visible("#step-next"):
            break
        for answer in page.locator("fieldset.visit-step:not([hidden]) input[type=radio][id$='_0']").all():
            answer.check()
        page.click("#step-next")
    assert steps_seen == ["Section 2 of 4", "Section 3 of 4", "Section 4 of 4"]
    assert page.get_by_role("button", name="Send the report").is_visible()
    shot(page, "shopper-report-last-step-360.png", full_page=True)
    page.click("#step-back")
    assert page.inner_text("#step-count") == "Section 3 of 4"


def test_departure_is_not_invented(page, live_server, world):
    """Sending without a departure time asks for it rather than taking the time of sending."""
    assignment = make_assignment(world)
    open_report(page, live_server, world, assignment)
    page.click("#step-next")
    assert page.locator("#error-summary").get_by_role("link", name="Departure: This field is required.").is_visible()
    assert VisitReport.objects.count() == 0
