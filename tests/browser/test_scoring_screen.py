"""The QA reviewer's scoring screen in real Chromium, with a real WAV file of tones made
at test time: the player's buttons and keys, a comment pinned to a moment and an item,
seeking back to it by clicking the pin, autosave, submit, and the employee hearing the
same moment from their evaluation page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qa import recordings
from qa.models import Evaluation, Interaction
from tests import factories as f
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    yield page
    context.close()


def current_time(page):
    return page.evaluate("document.getElementById('player-audio').currentTime")


def wait_for_audio(page):
    page.wait_for_function("() => { const a = document.getElementById('player-audio');"
                           " return a && a.readyState >= 1 && isFinite(a.duration); }")


def test_reviewer_pins_a_moment_seeks_back_to_it_and_the_employee_hears_it(desk, live_server, world, private_media):
    version = f.make_call_scorecard(world.admin)
    interaction = Interaction.objects.create(channel="phone_call", location=world.location_a,
                                             employee=world.employee_a, occurred_at=timezone.now(),
                                             created_by=world.reviewer)
    recordings.store_recording(interaction, SimpleUploadedFile("tones.wav", recordings.wav_bytes(20.0)),
                               world.reviewer)
    greet = version.sections.get(name="Courtesy").items.get(question="Greeted the caller")

    sign_in(desk, live_server, "reviewer", f.PASSWORD)
    desk.goto(f"{live_server.url}{interaction.get_absolute_url()}")
    desk.select_option("#id_version", str(version.pk))
    desk.get_by_role("button", name="Score this interaction").click()
    desk.get_by_text("Scoring started").wait_for()
    wait_for_audio(desk)

    # Buttons and keys move the playhead and change the speed.
    desk.get_by_role("button", name="+5 s").click()
    desk.get_by_role("button", name="+5 s").click()
    assert current_time(desk) == pytest.approx(10, abs=0.3)
    desk.keyboard.press("j")
    assert current_time(desk) == pytest.approx(5, abs=0.3)
    desk.keyboard.press("l")
    assert current_time(desk) == pytest.approx(10, abs=0.3)
    desk.select_option("#player-speed", "1.5")
    desk.keyboard.press("]")
    assert desk.evaluate("document.getElementById('player-audio').playbackRate") == 1.75
    assert desk.input_value("#player-speed") == "1.75"

    # Pin a comment at 0:10 to the greeting item.
    desk.locator("#pin-form [name=item]").select_option(str(greet.pk))
    desk.fill("#pin-form [name=text]", "Opened with the account number instead of a greeting")
    desk.get_by_role("button", name="Pin comment at this moment").click()
    pin = desk.locator("#pins [data-seek]").first
    pin.wait_for()
    assert pin.inner_text() == "0:10"

    # Move away, then click the pin: the player is back at 0:10 and the item is marked.
    desk.keyboard.press("j")
    desk.keyboard.press("j")
    assert current_time(desk) == pytest.approx(0, abs=0.3)
    pin.click()  # seeks back and plays from the moment
    assert current_time(desk) == pytest.approx(10, abs=0.5)
    assert "pin-target" in desk.locator(f'.item-card[data-item="{greet.pk}"]').get_attribute("class")

    # Answers save themselves.
    evaluation = Evaluation.objects.get(interaction=interaction)
    desk.locator(f'.item-card[data-item="{greet.pk}"] input[value="no"]').check()
    desk.fill(f"#id_comment_{greet.pk}", "No greeting: see the pinned moment.")
    desk.get_by_text("Saved at").wait_for()
    assert evaluation.answers.get(item=greet).value == "no"

    tone = version.sections.get(name="Courtesy").items.get(question="Tone")
    desk.locator(f'.item-card[data-item="{tone.pk}"] input[value="4"]').check()
    # The score so far came back from the server's engine with the last autosave.
    desk.locator("#running-score [data-field=overall]").filter(has_text="%").wait_for()
    desk.get_by_role("button", name="Submit and release to the employee").click()
    desk.get_by_role("button", name="Yes, release it").click()
    desk.get_by_text("Evaluation released").wait_for()
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.RELEASED

    # The employee opens the evaluation and jumps to the pinned moment.
    employee_page = desk.context.browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                                     has_touch=True).new_page()
    sign_in(employee_page, live_server, "employee", f.PASSWORD)
    employee_page.goto(f"{live_server.url}{evaluation.get_absolute_url()}")
    wait_for_audio(employee_page)
    employee_page.get_by_text("Opened with the account number").wait_for()
    employee_page.locator("#pins [data-seek]").first.click()
    assert current_time(employee_page) == pytest.approx(10, abs=0.3)
    assert "pin-target" in employee_page.locator(f'[data-answer-item="{greet.pk}"]').get_attribute("class")
    employee_page.context.close()


def answer_everything(page, version, **given):
    """Tick an answer for every item on the scoring screen; computed (N/A) answers are left as they are."""
    for section in version.sections.all():
        for item in section.items.all():
            if item.auto_answer:
                continue
            value = given.get(item.question, "5" if item.answer_type == "scale_5" else "yes")
            page.locator(f'.item-card[data-item="{item.pk}"] input[value="{value}"]').check()


def test_lead_runs_a_blind_calibration_and_reads_the_agreement(desk, live_server, world, private_media):
    version = f.make_call_scorecard(world.admin)
    interaction = Interaction.objects.create(channel="phone_call", location=world.location_a,
                                             employee=world.employee_a, occurred_at=timezone.now(),
                                             created_by=world.lead)
    recordings.store_recording(interaction, SimpleUploadedFile("tones.wav", recordings.wav_bytes(4.0)), world.lead)

    sign_in(desk, live_server, "lead", f.PASSWORD)
    desk.goto(f"{live_server.url}{interaction.get_absolute_url()}")
    desk.get_by_role("link", name="Start a blind calibration with this interaction").click()
    desk.get_by_role("checkbox", name="reviewer", exact=True).check()
    desk.get_by_role("button", name="Invite and start").click()
    desk.get_by_text("Calibration session created").wait_for()
    session_url = desk.url
    desk.get_by_role("button", name="Score this interaction").click()
    answer_everything(desk, version, Tone="5")
    desk.get_by_role("button", name="Submit my calibration score").click()
    desk.get_by_text("Your calibration score is in").wait_for()
    assert "α =" not in desk.content()  # blind until everyone has scored

    reviewer = desk.context.browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(reviewer, live_server, "reviewer", f.PASSWORD)
    reviewer.goto(session_url)
    reviewer.get_by_role("button", name="Score this interaction").click()
    answer_everything(reviewer, version, Tone="3", **{"Greeted the caller": "no"})
    reviewer.fill(f"#id_comment_{version.sections.get(name='Courtesy').items.get(question='Greeted the caller').pk}",
                  "No greeting heard.")
    reviewer.get_by_role("button", name="Submit my calibration score").click()
    reviewer.get_by_text("Your calibration score is in").wait_for()
    reviewer.get_by_text("Answers side by side").wait_for()  # the last score completes the session
    reviewer.context.close()

    desk.goto(session_url)
    desk.get_by_text("Answers side by side").wait_for()
    assert "Deviation from the lead's reference answers" in desk.content()
    assert desk.locator("tr.table-warning").count() >= 2  # greeting and tone disagree
