"""Background jobs seen in real Chromium: the export and import pages poll their job
(static/js/qa.js QA.poll) and show its progress in the page's words until it ends."""

import pytest

from qa.models import InteractionImport
from reports.models import ExportJob
from tests import factories as f
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 850}, locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    yield page
    context.close()


def test_an_export_shows_its_progress_then_its_download(desk, live_server, world):
    job = ExportJob.objects.create(requested_by=world.lead, exporter="evaluations", file_format="csv",
                                   status=ExportJob.Status.QUEUED)
    sign_in(desk, live_server, "lead", f.PASSWORD)
    desk.goto(f"{live_server.url}{job.get_absolute_url()}")
    assert desk.get_by_role("link", name="Download").is_hidden()
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, done=3, total=10)
    desk.locator("#export-status").get_by_text("Building · 3 of 10 rows").wait_for()
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error="The disk is full.")
    desk.get_by_text("The export failed: The disk is full.").wait_for()


def test_an_import_shows_its_progress_and_reloads_when_it_ends(desk, live_server, world):
    job = InteractionImport.objects.create(created_by=world.lead, sheet="imports/x.csv", sheet_name="calls.csv",
                                           status=InteractionImport.Status.CHECKING, total=40, done=0)
    sign_in(desk, live_server, "lead", f.PASSWORD)
    desk.goto(f"{live_server.url}{job.get_absolute_url()}")
    InteractionImport.objects.filter(pk=job.pk).update(done=12)
    desk.locator("#import-status").get_by_text("Checking rows · 12 of 40 rows").wait_for()
    InteractionImport.objects.filter(pk=job.pk).update(status=InteractionImport.Status.DONE, done=40, imported=40)
    desk.get_by_text("40 interactions imported.").first.wait_for()
