"""The QA lead's week at a desk (1366x850), in real Chromium (issue 12 item 7): write a
sampling rule for phone calls, draw it for last week (the week whose calls are in), read
the coverage (the counts equal the draw's tasks beneath them; store staff who take no calls
are not listed), and start a blind calibration from the calibration list. The sampling
and coverage pages are also read on a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from qa import sampling
from qa.models import CalibrationSession, Interaction, ReviewTask, SamplingRule
from tests import factories as f
from tests.browser.conftest import sign_in
from tests.browser.journey import DESKTOP, PHONE, assert_reads_well, new_page, open_menu_item, seen_text, tidy

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def last_weeks_calls(world):
    """Three calls each for Ann (Store A) and Bob (Store B) last Tuesday to Thursday; a store
    assistant at Store A who never takes calls."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    calls = []
    for employee in (world.employee_a, world.employee_b):
        for day in range(1, 4):
            when = timezone.make_aware(timezone.datetime.combine(monday - timedelta(days=7 - day),
                                                                 timezone.datetime.min.time())) + timedelta(hours=11)
            calls.append(Interaction.objects.create(channel="phone_call", location=employee.location,
                                                    employee=employee, occurred_at=when, created_by=world.lead))
    f.make_employee(world.location_a, name="Sam Shelves")
    f.make_call_scorecard(world.admin)
    return calls


def test_lead_samples_last_week_reads_coverage_and_starts_a_calibration(browser, live_server, world,
                                                                      last_weeks_calls):
    page = new_page(browser, DESKTOP)
    sign_in(page, live_server, "lead", f.PASSWORD)

    # A rule, written in the form.
    open_menu_item(page, "Sampling")
    page.get_by_role("heading", name="Sampling", exact=True).wait_for()
    assert_reads_well(page)
    page.get_by_label("Name").fill("Calls each week")
    page.get_by_label("Interactions per employee").fill("2")
    page.get_by_label("Phone call").check()
    page.get_by_role("button", name="Save rule").click()
    page.get_by_text("Sampling rule “Calls each week” saved").wait_for()
    rule = SamplingRule.objects.get(name="Calls each week")
    assert rule.channels == ["phone_call"]
    card = page.locator(".card", has_text="Calls each week")
    assert "2 per employee per week · Phone call" in tidy(card.inner_text())
    assert_reads_well(page)

    # Drawn for last week: two calls for each of the two who take calls.
    card.get_by_label("Last week").check()
    card.get_by_role("button", name="Draw").click()
    start, end = sampling.chosen_period(rule, "previous", timezone.localdate())
    message = page.locator(".alert-success", has_text="interactions drawn")
    message.wait_for()
    tasks = ReviewTask.objects.filter(draw__rule=rule)
    assert tasks.count() == 4
    assert tidy(message.inner_text()).startswith("4 interactions drawn for")
    assert f"{start:%-d %b}" in message.inner_text()
    assert {t.interaction.employee_id for t in tasks} == {world.employee_a.pk, world.employee_b.pk}
    assert_reads_well(page)

    # Coverage of last week: the two call takers, each with 2 of 3 calls in queues, none reviewed yet.
    card = page.locator(".card", has_text="Calls each week")
    card.get_by_role("link", name="Coverage").click()
    page.get_by_role("heading", name="Coverage of “Calls each week”").wait_for()
    page.get_by_label("Last week").check()
    page.get_by_role("button", name="Show").click()
    page.get_by_label("Last week").wait_for()
    assert page.get_by_label("Last week").is_checked()
    rows = [tidy(r) for r in page.locator("main tbody tr").all_inner_texts()]
    expected = sampling.coverage(rule, start, end)
    assert [r["employee"].name for r in expected] == ["Ann Employee", "Bob Employee"]
    assert rows == [f"{r['employee'].name} below target {r['employee'].location.name} "
                    f"{r['reviewed']} {r['sampled']} {r['available']} {r['target']}" for r in expected]
    assert rows[0] == "Ann Employee below target Store A 0 2 3 2"
    assert "Sam Shelves" not in seen_text(page, "main")
    assert "2 employees this rule applies to · 2 below target" in seen_text(page, "main")
    assert_reads_well(page)
    page.set_viewport_size(PHONE)
    assert_reads_well(page)
    page.set_viewport_size(DESKTOP)

    # A blind calibration started from the calibration list.
    open_menu_item(page, "Calibration")
    page.get_by_role("heading", name="Calibration", exact=True).wait_for()
    assert_reads_well(page)
    page.get_by_role("link", name="Start a calibration").click()
    page.get_by_role("heading", name="Start a calibration: choose the interaction").wait_for()
    chooser = page.get_by_label("Interaction")
    choices = chooser.locator("option").all_inner_texts()
    assert any(c.startswith("Phone call with Ann Employee") for c in choices), choices
    assert_reads_well(page)
    chooser.select_option(label=next(c for c in choices if c.startswith("Phone call with Ann Employee")))
    page.get_by_role("button", name="Next").click()
    page.get_by_role("checkbox", name="reviewer", exact=True).check()
    page.get_by_role("button", name="Invite and start").click()
    page.get_by_text("Calibration session created").wait_for()
    session = CalibrationSession.objects.get()
    assert session.interaction.employee == world.employee_a
    heading = page.locator("h1").inner_text()
    assert heading.startswith("Calibration of Phone call with Ann Employee")
    assert_reads_well(page)
    page.set_viewport_size(PHONE)
    assert_reads_well(page)
    page.context.close()
