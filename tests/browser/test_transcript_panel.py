"""The transcript beside the player in real Chromium (a stored transcript over a WAV of tones; the speech model
itself is tested in tests/autoqa): the word being played is highlighted, a click and Enter play from the word, the search box
finds and steps through matches, a selected phrase fills the pin form at its moment and is pinned, and the panel
sits below the player on a 360 px phone."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from autoqa.models import Transcript
from qa import recordings, scoring_sessions
from qa.models import Interaction, PinnedComment
from tests import factories as f
from tests.browser.conftest import assert_fits_the_phone, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
SAID = [("agent", "Good morning thank you for calling how can I help"), ("customer", "my router keeps dropping"),
        ("agent", "sorry to keep you waiting I will send a replacement"), ("customer", "thank you")]


def transcript_words():
    words, at = [], 0.5
    for speaker, line in SAID:
        for word in line.split():
            words.append({"s": round(at, 2), "e": round(at + 0.4, 2), "w": word, "sp": speaker})
            at += 0.5
        at += 1.0
    return words


def time_of(page):
    return page.evaluate("document.getElementById('player-audio').currentTime")


@pytest.mark.parametrize("size", [{"width": 1366, "height": 850}, {"width": 360, "height": 740}], ids=["desktop", "phone"])
def test_the_transcript_follows_the_player_seeks_searches_and_pins(browser, live_server, world, private_media, size):
    interaction = Interaction.objects.create(channel="phone_call", location=world.location_a, employee=world.employee_a,
                                             occurred_at=timezone.now(), created_by=world.reviewer)
    recordings.store_recording(interaction, SimpleUploadedFile("tones.wav", recordings.wav_bytes(20.0)), world.reviewer)
    words = transcript_words()
    Transcript.objects.create(interaction=interaction, status=Transcript.Status.DONE, words=words, stereo=True,
                              text=" ".join(w["w"] for w in words), model_name="whisper tiny.en")
    evaluation, _created = scoring_sessions.start_review(interaction, f.make_call_scorecard(world.admin), world.reviewer)
    context = browser.new_context(viewport=size, locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    sign_in(page, live_server, "reviewer", f.PASSWORD)
    page.goto(f"{live_server.url}/evaluations/{evaluation.pk}/score/")
    page.wait_for_function("() => isFinite(document.getElementById('player-audio').duration)")
    if size["width"] == 360:
        assert_fits_the_phone(page)
        player, panel = page.locator("#player").bounding_box(), page.locator("#transcript").bounding_box()
        assert panel["y"] >= player["y"] + player["height"]  # below the player

    # A click on a word plays from there (issue 14, fresh-eye walk: it only sought), and that word is the
    # highlighted one.
    replacement = next(w for w in words if w["w"] == "replacement")
    page.locator(".tw", has_text="replacement").click()
    page.wait_for_function("() => !document.getElementById('player-audio').paused")
    page.evaluate("document.getElementById('player-audio').pause()")
    assert time_of(page) == pytest.approx(replacement["s"], abs=0.35)
    page.wait_for_function("() => document.querySelector('.tw-current')?.textContent === 'replacement'")
    # Keyboard: the words are one tab stop; arrows move, Enter plays from the word.
    page.locator(".tw").first.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.getElementById('player-audio').paused")
    page.evaluate("document.getElementById('player-audio').pause()")
    assert time_of(page) == pytest.approx(words[1]["s"], abs=0.35)
    assert page.evaluate("document.activeElement.textContent") == words[1]["w"]

    # Search: matches marked, counted, next and previous wrap around.
    page.fill("#transcript-search", "thank you")
    assert page.inner_text("#transcript-count") == "1 of 2"
    assert page.locator(".tw-match").count() == 4
    page.locator('[data-transcript="next"]').click()
    assert page.inner_text("#transcript-count") == "2 of 2"
    page.locator("#transcript-search").press("Enter")
    assert page.inner_text("#transcript-count") == "1 of 2"
    page.fill("#transcript-search", "refund")
    assert page.inner_text("#transcript-count") == "No match"

    # Select a phrase with the mouse (issue 14, fresh-eye walk: focusable words started no selection, so the
    # pin fell back to the player's 0:00): the pin form gets its moment and the phrase; pinning keeps it.
    first, last = page.get_by_text("sorry", exact=True), page.get_by_text("keep", exact=True)
    first.scroll_into_view_if_needed()
    a, z = first.bounding_box(), last.bounding_box()
    page.mouse.move(a["x"] + 1, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(z["x"] + z["width"] - 1, z["y"] + z["height"] / 2, steps=4)
    page.mouse.up()
    page.locator('[data-transcript="pin"]').click()
    sorry = next(w for w in words if w["w"] == "sorry")
    page.wait_for_timeout(300)  # the pause and the seek the pin makes must not move its moment
    assert float(page.input_value("#pin-form [name=at_seconds]")) == pytest.approx(sorry["s"], abs=0.01)
    assert page.input_value("#pin-form [name=text]") == "“sorry to keep” "
    page.locator("#pin-form [name=text]").press_sequentially("apologised for the wait")
    page.get_by_role("button", name="Pin comment at this moment").click()
    page.locator("#pins [data-seek]").first.wait_for()
    pin = PinnedComment.objects.get(evaluation=evaluation)
    assert float(pin.at_seconds) == pytest.approx(sorry["s"], abs=0.01)
    assert pin.text == "“sorry to keep” apologised for the wait"
    context.close()
