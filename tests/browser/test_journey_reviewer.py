"""The QA reviewer's day at a desk (1366x850), in real Chromium (issue 12 item 7): validate a
shopper's report (correct an answer with a reason, approve it), then score a phone call from
the scoring queue and release it. Every score on the screen equals the engine's score of the
answers stored beneath it; answers read as words; the queue and the report are also read on
a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from qa import services, visits
from qa.models import Evaluation, Interaction, ReviewTask
from scorecards import scoring
from scorecards.services import spec_for
from tests import factories as f
from tests.browser.conftest import sign_in
from tests.browser.journey import DESKTOP, PHONE, assert_reads_well, new_page, open_menu_item, seen_text, tidy
from tests.visits_helpers import make_assignment, visit_data

pytestmark = pytest.mark.django_db(transaction=True)


def engine_score(evaluation) -> str:
    """The engine's score of the evaluation's stored answers, as pages print it (two decimals)."""
    evaluation.refresh_from_db()
    result = scoring.score(spec_for(evaluation.version),
                           services.engine_answers(services.stored_answers(evaluation)))
    assert result.overall == evaluation.overall_score  # what is stored is what the engine says
    return f"{result.overall:.2f}%"


@pytest.fixture
def desk(browser):
    page = new_page(browser, DESKTOP)
    yield page
    page.context.close()


def test_reviewer_validates_a_report_then_scores_and_releases_a_call(desk, live_server, world):
    assignment = make_assignment(world)
    report, _ = visits.submit_visit_report(
        assignment, world.shopper, visit_data(assignment, **{"Explained the return policy": "partial"}), "journey")
    calls = f.make_call_scorecard(world.admin)
    call = Interaction.objects.create(channel="phone_call", location=world.location_a, employee=world.employee_a,
                                      occurred_at=timezone.now() - timedelta(days=2), created_by=world.lead)
    ReviewTask.objects.create(interaction=call, reviewer=world.reviewer)
    page = desk
    sign_in(page, live_server, "reviewer", f.PASSWORD)

    # The validation queue: the report with its shopper and the engine's score.
    open_menu_item(page, "Report validation")
    page.get_by_role("heading", name="Report validation").wait_for()
    row = page.locator("main a", has_text="Store A").first
    before = engine_score(report.evaluation)
    assert before in row.inner_text() and world.shopper.get_full_name() in row.inner_text()
    assert_reads_well(page)
    row.click()

    # The report: answers in words, the score over them equal to the engine's.
    page.locator("h1", has_text="Store A").wait_for()  # "Report validation: Store A"
    assert_reads_well(page)
    policy = page.locator("main li, main .list-group-item, main .card", has_text="Explained the return policy").last
    assert "Partly" in policy.inner_text()
    assert before in seen_text(page, "main")
    policy.get_by_text("Correct this answer").click()
    form = policy.locator("form[action$='/correct/']")
    form.locator("select[name=value]").select_option(label="Yes")
    form.locator("textarea[name=reason]").fill("The receipt photo shows the policy leaflet was handed over.")
    form.get_by_role("button", name="Save the correction").click()
    page.get_by_text("Answer corrected").wait_for()
    after = engine_score(report.evaluation)
    assert after != before and after in seen_text(page, "main")
    assert report.evaluation.answers.get(item__question="Explained the return policy").value == "yes"
    assert_reads_well(page)
    page.get_by_role("button", name="Approve: the report counts").click()
    page.get_by_text("Approved: the report now counts").wait_for()
    report.refresh_from_db()
    assert report.assignment.status == "approved"
    assert report.evaluation.status == Evaluation.Status.RELEASED
    assert_reads_well(page)

    # The scoring queue: the call in words, opened, scored, released after a confirmation.
    open_menu_item(page, "Scoring queue")
    page.get_by_role("heading", name="Scoring queue").wait_for()
    task = page.locator("main a", has_text="Store A").first
    assert tidy(task.inner_text()).startswith("Phone call · Store A") and "Ann Employee" in task.inner_text()
    assert_reads_well(page)
    task.click()
    page.get_by_label("Scorecard").select_option(str(calls.pk))
    page.get_by_role("button", name="Score this interaction").click()
    page.get_by_text("Scoring started").wait_for()
    assert_reads_well(page)
    evaluation = Evaluation.objects.get(interaction=call)
    greet = calls.sections.get(name="Courtesy").items.get(question="Greeted the caller")
    tone = calls.sections.get(name="Courtesy").items.get(question="Tone")
    page.locator(f'.item-card[data-item="{greet.pk}"]').get_by_label("No", exact=True).check()
    page.fill(f"#id_comment_{greet.pk}", "Answered with the account number, no greeting.")
    page.locator(f'.item-card[data-item="{tone.pk}"]').get_by_label("4", exact=False).first.check()
    page.get_by_text("Saved at").wait_for()
    running = page.locator("#running-score")
    if running.count():  # the running score is the engine's over the saved answers
        page.wait_for_function("() => !document.querySelector('#running-score [data-field=overall]')"
                               ".textContent.includes('–')")
        from qa.scoring_sessions import running_score
        expected = running_score(Evaluation.objects.get(pk=evaluation.pk))["overall"]
        page.locator("#running-score [data-field=overall]", has_text=f"{expected}%").wait_for()
    page.get_by_role("button", name="Submit and release to the employee").click()
    confirm = page.get_by_role("button", name="Yes, release it")
    if confirm.count():
        assert_reads_well(page)
        confirm.click()
    page.get_by_text("Evaluation released").wait_for()
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.RELEASED
    assert engine_score(evaluation) in seen_text(page, "main")
    body = seen_text(page, "main")
    assert "Phone call" in body and "Answered with the account number, no greeting." in body
    assert_reads_well(page)

    # The queue and the validated report, read on a phone.
    phone = new_page(page.context.browser, PHONE)
    sign_in(phone, live_server, "reviewer", f.PASSWORD)
    for path in ("/validation/", "/queue/", f"/validation/{report.pk}/", evaluation.get_absolute_url()):
        phone.goto(f"{live_server.url}{path}")
        assert_reads_well(phone)
    phone.context.close()
