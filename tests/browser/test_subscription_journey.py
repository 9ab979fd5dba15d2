"""A regional manager subscribes to the filtered dashboard on a phone, the periodic job runs, and
the e-mail (locmem backend) carries an Excel file whose figures equal the page's; the e-mail's
unsubscribe link then works without signing in."""

import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook

from qa import tasks
from qa.models import Evaluation
from reports import subscriptions
from reports.models import Subscription
from tests import factories as f
from tests.browser.conftest import assert_fits_the_phone, sign_in
from tests.report_helpers import ARGUED, NO_GREETING

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def region(world):
    """Store A: five evaluations in July 2026 and two in June; Store B one in July (outside manager A's reach)."""
    for n, (answers, moment) in enumerate([
            (f.ALL_GOOD, "2026-06-10T09:00:00Z"), (NO_GREETING, "2026-06-20T09:00:00Z"),
            (f.ALL_GOOD, "2026-07-02T09:00:00Z"), (NO_GREETING, "2026-07-05T09:00:00Z"),
            (ARGUED, "2026-07-10T09:00:00Z"), (f.ALL_GOOD, "2026-07-15T09:00:00Z"), (f.ALL_GOOD, "2026-07-20T09:00:00Z")]):
        evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer, answers, employee=world.employee_a)
        Evaluation.objects.filter(pk=evaluation.pk).update(interaction_at=moment)
    f.make_evaluation(world.version, world.location_b, world.reviewer, f.ALL_GOOD, employee=world.employee_b)
    world.manager_a.email = "ann.manager@example.com"
    world.manager_a.save()
    return world


def test_a_manager_subscribes_and_the_emailed_file_matches_the_page(browser, live_server, region, settings):
    settings.SITE_URL = live_server.url
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    sign_in(page, live_server, "manager_a", f.PASSWORD)
    page.goto(f"{live_server.url}/reports/?date_from=2026-07-01&date_to=2026-07-31")
    shown = {name: page.inner_text(f"[data-figure={name}]") for name in ("count", "average", "critical")}
    assert shown["count"] == "5"

    page.get_by_role("link", name="Subscribe").click()
    page.wait_for_url(re.compile(r"/reports/subscriptions/new/dashboard/\?date_from=2026-07-01"))
    assert "From: 1 Jul 2026" in page.inner_text("[data-saved-filters]")
    page.get_by_label("Excel").check()
    assert page.get_by_label("Day of the week").is_visible() and not page.get_by_label("Day of the month").is_visible()
    page.get_by_label("Monthly").check()  # the day of the month replaces the day of the week
    assert page.get_by_label("Day of the month").is_visible() and not page.get_by_label("Day of the week").is_visible()
    page.get_by_label("Day of the month").fill("45")  # a mistake first: refused, and the rest is kept
    page.get_by_label("The dates saved with the filters").check()
    page.get_by_role("button", name="Subscribe").click()
    assert "Enter a day of the month from 1 to 31" in page.inner_text("[data-error-summary]")
    assert page.get_by_label("Excel").is_checked() and page.get_by_label("Monthly").is_checked()
    assert page.get_by_label("The dates saved with the filters").is_checked()
    page.get_by_label("Day of the month").fill("31")
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_url(f"{live_server.url}/reports/subscriptions/")
    assert ("Subscribed. You will receive “Dashboard – From: 1 Jul 2026; To: 31 Jul 2026” as Excel"
            in page.inner_text(".messages"))
    assert_fits_the_phone(page)

    subscription = Subscription.objects.get()
    due = subscriptions.next_send(subscription, timezone.now())
    tasks.run_jobs(due)  # what the worker's next tick does on the day it is due
    tasks.run_jobs(due)  # and a second worker or tick at the same time sends nothing more
    message, = mail.outbox
    assert message.to == ["ann.manager@example.com"]
    (filename, content, _type), = message.attachments
    summary = {row[0]: row[1:] for row in load_workbook(io.BytesIO(content))["Summary"].iter_rows(values_only=True)
               if row and row[0]}
    assert str(summary["Evaluations (n)"][0]) == shown["count"]
    assert f"{summary['Average score (%)'][0]:.1f}%" == shown["average"]
    assert f"{summary['Critical failures (%)'][0]:.1f}%" == shown["critical"]
    assert summary["From"][0] == "1 Jul 2026"

    page.reload()
    assert "Sent" in page.inner_text(f"[data-subscription='{subscription.pk}']")

    link = re.search(r"(http://\S+/reports/unsubscribe/\S+/)", message.body).group(1)
    stranger = browser.new_context(viewport={"width": 360, "height": 740})  # the link needs no sign-in
    other = stranger.new_page()
    other.goto(link)
    other.get_by_role("button", name="Unsubscribe").click()
    assert "You will no longer receive “Dashboard – From: 1 Jul 2026; To: 31 Jul 2026”" in other.inner_text("main")
    assert not Subscription.objects.exists()
    stranger.close()
    context.close()
