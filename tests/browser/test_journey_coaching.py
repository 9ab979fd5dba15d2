"""Issue 15 item 7, second journey, in real Chromium: a reviewer coaches an employee from two evaluations
(the "Coach" action on the first, the second ticked on the form), writes up notes and a goal and confirms;
the employee, told by e-mail, opens the session on their phone, plays a pinned moment and confirms. Both
pages read well at both sizes."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from coaching.models import CoachingSession
from tests import factories as f
from tests.browser.conftest import sign_in
from tests.browser.journey import DESKTOP, PHONE, assert_reads_well, at_both_sizes, new_page, seen_text
from tests.coaching.helpers import GOOD, NO_GREETING, reviewed

pytestmark = pytest.mark.django_db(transaction=True)


def test_reviewer_coaches_from_two_evaluations_and_the_employee_confirms(browser, live_server, world, private_media):
    calls = f.make_call_scorecard(world.admin)
    world.employee.email = "ann@example.com"
    world.employee.save()
    first = reviewed(world, calls, NO_GREETING, days_ago=9, pin="Greeted the caller", with_recording=True)
    second = reviewed(world, calls, GOOD, days_ago=4, pin="Tone")

    page = new_page(browser, DESKTOP)
    sign_in(page, live_server, "reviewer", f.PASSWORD)
    page.goto(f"{live_server.url}{first.get_absolute_url()}")
    page.get_by_role("link", name="Coach", exact=True).click()
    page.get_by_role("heading", name="Schedule a coaching session").wait_for()
    assert "Coaching: Ann Employee (Store A)" in seen_text(page, "[data-chosen]")
    assert page.locator("input[name=employees]").evaluate_all("els => els.map(e => e.value)") == [
        str(world.employee_a.pk)]
    page.locator(f'input[name=evaluations][value="{second.pk}"]').check()
    assert page.locator(f'input[name=evaluations][value="{first.pk}"]').is_checked()
    held = timezone.localtime(timezone.now() - timedelta(hours=1))
    page.fill("#id_scheduled_at", held.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_agenda", "Listen to both calls together")
    page.get_by_role("button", name="Schedule and tell the employee").click()
    page.get_by_text("Session scheduled.").wait_for()
    assert "Ann Employee told by e-mail" in seen_text(page, "main")
    session = CoachingSession.objects.get()
    assert set(session.evaluations.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert [m.to for m in mail.outbox] == [["ann@example.com"]]
    at_both_sizes(page)

    page.get_by_role("link", name="Write up: agenda, notes, goals").click()
    page.fill("#id_notes", "Greet every caller by name; the tone was good.")
    page.fill("#id_goals-0-text", "Greet every caller by name")
    page.fill("#id_goals-0-due_on", (timezone.localdate() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Session saved: agenda, notes and goals.").wait_for()
    page.get_by_role("button", name="Confirm the session took place as written").click()
    page.get_by_text("You confirmed the session as its coach.").wait_for()
    assert "Awaiting the employee's confirmation" in seen_text(page, "main")
    assert_reads_well(page)
    page.context.close()

    phone = new_page(browser, PHONE)
    sign_in(phone, live_server, "employee", f.PASSWORD)
    phone.locator("nav .navbar-toggler").click()
    phone.locator("nav").get_by_role("button", name="Coaching").click()
    phone.locator("nav").get_by_role("link", name="My coaching").click()
    phone.get_by_role("link", name=session.title).click()
    main = seen_text(phone, "main")
    assert "Listen: Greeted the caller" in main and "Listen: Tone" in main
    assert "Greet every caller by name" in main and "Greeted the caller" in main
    phone.locator("[data-seek]").first.click()  # seeks to the pinned moment and plays from there
    phone.wait_for_function("!document.getElementById('player-audio').paused")
    assert phone.evaluate("document.getElementById('player-audio').currentTime") == pytest.approx(0.2, abs=0.5)
    phone.fill("#id_comment", "Thanks, agreed")
    phone.get_by_role("button", name="I confirm this session").click()
    phone.get_by_text("Thank you: you confirmed the session.").wait_for()
    assert "Confirmed by both" in seen_text(phone, "main")
    at_both_sizes(phone)
    attendance = session.attendances.get()
    session.refresh_from_db()
    assert session.coach_confirmed_at and attendance.confirmed_at and attendance.comment == "Thanks, agreed"
    phone.context.close()
