"""A stored recording is transcribed on the task worker with the real model, redacted before anything is
written (database and logs checked), announced with transcript_ready; failures are retried then shown with
their reason while the recording stays playable; the backfill command; REDACT_AUDIO (QA staff hear the
original, everyone else the silenced copy, seekable)."""

import io
import json
import logging
import re
import wave
from datetime import timedelta

import pytest
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from autoqa.models import Transcript
from autoqa.signals import transcript_ready
from qa import recordings, scoring_sessions
from qa.models import Evaluation, Interaction, Recording, private_storage
from tests import factories as f
from tests.autoqa.conftest import PLANTED_DIGITS, found

pytestmark = pytest.mark.django_db


def new_call(world, path=None, junk=None):
    interaction = Interaction.objects.create(channel="phone_call", location=world.location_a,
                                             employee=world.employee_a, occurred_at=timezone.now(),
                                             created_by=world.reviewer)
    if junk is not None:  # damaged audio that got in (e.g. through an import): stored as it is
        name = private_storage().save("recordings/junk.wav", ContentFile(junk))
        Recording.objects.create(interaction=interaction, file=name, sha256="0" * 64, audio_format="wav",
                                 content_type="audio/wav", size=len(junk), duration_seconds=3,
                                 uploaded_by=world.reviewer)
        return interaction
    with open(path, "rb") as handle:
        recordings.store_recording(interaction, File(handle, name="call.wav"), world.reviewer)
    return interaction


def calls_version(world):
    from scorecards.models import ScorecardVersion

    found_version = ScorecardVersion.objects.filter(scorecard__name="Calls").first()
    return found_version or f.make_call_scorecard(world.admin)


def released_to_employee(world, interaction):
    version = calls_version(world)
    return f.make_evaluation(version, world.location_a, world.reviewer, {}, employee=world.employee_a,
                             interaction=interaction)


def without_names(text: str) -> str:
    """A database dump without file names (content hashes) and times, where digits occur by chance."""
    return re.sub(r"[0-9a-f]{16,}|\d{4}-\d\d-\d\dT[\d:.]+Z?|\d+\.\d+", "", text)


def test_a_new_call_is_transcribed_redacted_stored_and_announced(world, transcription_on, calls, caplog,
                                                                django_capture_on_commit_callbacks, client_for):
    transcription_on.REDACT_AUDIO = True
    announced = []
    transcript_ready.connect(lambda sender, transcript, **kw: announced.append(transcript.pk), weak=False,
                             dispatch_uid="test-announced")
    caplog.set_level(logging.DEBUG)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            interaction = new_call(world, calls["stereo"])
    finally:
        transcript_ready.disconnect(dispatch_uid="test-announced")
    transcript = Transcript.objects.get(interaction=interaction)
    assert transcript.status == Transcript.Status.DONE, transcript.error
    assert announced == [transcript.pk]
    assert transcript.stereo and transcript.attempts == 1 and transcript.model_name == "whisper tiny.en"
    assert {w["sp"] for w in transcript.words} == {"agent", "customer"}
    assert found("thank you for calling", transcript.text)
    assert {r["kind"] for r in transcript.redactions} >= {"email"} and len(transcript.redactions) >= 3
    assert all(set(r) == {"kind", "s", "e", "sp"} for r in transcript.redactions)  # never what was said

    # What was said never reached the database or the logs.
    dump = io.StringIO()
    call_command("dumpdata", "autoqa", "qa", stdout=dump)
    stored = without_names(dump.getvalue()).replace(" ", "").replace(",", "")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for digits in PLANTED_DIGITS:
        assert digits not in stored, stored[max(0, stored.find(digits) - 300):stored.find(digits) + 100]
        assert digits not in logged.replace(" ", "").replace(",", ""), digits
    assert "example" not in dump.getvalue().lower() and "example" not in logged.lower()

    # REDACT_AUDIO: QA staff hear the original; the employee the copy with those moments silenced.
    released_to_employee(world, interaction)
    recording = interaction.recording
    url = reverse("recording-file", args=[recording.pk])
    original = b"".join(client_for(world.reviewer).get(url).streaming_content)
    with recording.file.open("rb") as handle:
        assert original == handle.read()
    response = client_for(world.employee).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    heard = b"".join(response.streaming_content)
    assert heard != original
    with wave.open(io.BytesIO(heard)) as audio:
        rate, channels = audio.getframerate(), audio.getnchannels()
        frames = audio.readframes(audio.getnframes())
    assert channels == 2
    import numpy as np

    samples = np.frombuffer(frames, dtype="<i2").reshape(-1, channels)
    span = transcript.redactions[0]
    assert not samples[int(span["s"] * rate):int(span["e"] * rate)].any()  # silenced on both channels
    assert samples[: int(2 * rate)].any()  # the greeting is still there
    ranged = client_for(world.employee).get(url, HTTP_RANGE="bytes=100-199")
    assert ranged.status_code == 206 and b"".join(ranged.streaming_content) == heard[100:200]
    assert ranged["Content-Range"] == f"bytes 100-199/{len(heard)}"
    assert client_for(world.other_employee).get(url).status_code == 404

    # Until the silenced copy exists, nobody but QA staff hears the call.
    Transcript.objects.filter(pk=transcript.pk).update(status=Transcript.Status.PENDING)
    assert client_for(world.employee).get(url).status_code == 409
    assert client_for(world.lead).get(url).status_code == 200


def test_a_failed_transcription_is_retried_then_shown_with_its_reason(world, transcription_on, client_for,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        interaction = new_call(world, junk=b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x07" * 200)
    transcript = Transcript.objects.get(interaction=interaction)
    assert transcript.status == Transcript.Status.FAILED
    assert transcript.attempts == transcript_on_attempts(transcription_on)
    assert "cannot be" in transcript.error
    # The recording is still served, and the reason is on the scoring screen.
    assert client_for(world.reviewer).get(reverse("recording-file", args=[interaction.recording.pk])).status_code == 200
    evaluation, _created = scoring_sessions.start_review(interaction, calls_version(world), world.reviewer)
    page = client_for(world.reviewer).get(reverse("evaluation-score", args=[evaluation.pk])).content.decode()
    assert "The transcription failed." in page and transcript.error in page and "3 attempts" in page


def transcript_on_attempts(settings):
    return settings.TRANSCRIPTION_ATTEMPTS


def test_the_backlog_command_transcribes_old_recordings_with_progress(world, settings, transcription_on, calls,
                                                                     django_capture_on_commit_callbacks):
    settings.TRANSCRIPTION = False  # stored before transcription was turned on
    old = new_call(world, calls["mono"])
    damaged = new_call(world, junk=b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x01" * 100)
    Interaction.objects.filter(pk=old.pk).update(occurred_at=timezone.now() - timedelta(days=30))
    assert not Transcript.objects.exists()
    settings.TRANSCRIPTION = True
    out = io.StringIO()
    call_command("transcribe_backlog", "--here", "--limit", "1", stdout=out)
    assert "1 recording(s) to transcribe here." in out.getvalue() and "1/1 transcribed (done)" in out.getvalue()
    transcript = Transcript.objects.get(interaction=old)
    assert transcript.status == Transcript.Status.DONE and found("thank you for calling", transcript.text)
    assert not Transcript.objects.filter(interaction=damaged).exists()  # beyond --limit
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # queued: one task per interaction
        call_command("transcribe_backlog", stdout=out)
    assert "1/1 queued" in out.getvalue()
    assert Transcript.objects.get(interaction=damaged).status == Transcript.Status.FAILED
    out = io.StringIO()
    call_command("transcribe_backlog", stdout=out)
    assert "Nothing to transcribe" in out.getvalue()


def test_nothing_is_transcribed_when_transcription_is_off(world, calls, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        new_call(world, calls["mono"])
    assert not Transcript.objects.exists()
    with pytest.raises(Exception, match="turned off"):
        call_command("transcribe_backlog")


def test_the_panel_beside_the_player_on_both_pages_for_those_who_reach_the_call(world, calls, client_for):
    interaction = new_call(world, calls["mono"])
    words = [{"s": 0.0, "e": 0.5, "w": "Thank", "sp": "agent"}, {"s": 0.5, "e": 0.9, "w": "you", "sp": "agent"},
             {"s": 1.2, "e": 2.0, "w": "[card number]", "sp": "customer"}]
    Transcript.objects.create(interaction=interaction, status=Transcript.Status.DONE, words=words, stereo=True,
                              text="Thank you [card number]", model_name="whisper tiny.en",
                              redactions=[{"kind": "card", "s": 1.2, "e": 2.0, "sp": "customer"}])
    evaluation, _created = scoring_sessions.start_review(interaction, calls_version(world), world.reviewer)
    page = client_for(world.reviewer).get(reverse("evaluation-score", args=[evaluation.pk])).content.decode()
    assert 'id="transcript"' in page and 'data-s="1.20"' in page and "[card number]" in page
    assert "Agent" in page and "Customer" in page and "js/transcript.js" in page
    assert "1 passage of personal data removed" in page
    # and on the interaction's own page, beside its player
    page = client_for(world.reviewer).get(reverse("interaction-detail", args=[interaction.pk])).content.decode()
    assert 'id="transcript"' in page and 'id="player"' in page and "[card number]" in page
    released = released_to_employee(world, interaction)
    url = reverse("evaluation-detail", args=[released.pk])
    assert 'id="transcript"' in client_for(world.employee).get(url).content.decode()
    assert 'id="transcript"' in client_for(world.manager_a).get(url).content.decode()
    assert client_for(world.other_employee).get(url).status_code == 404
    assert client_for(world.manager_b).get(url).status_code == 404
    # Not released yet: the employee reaches neither the evaluation nor its call.
    Evaluation.objects.filter(pk=released.pk).update(status=Evaluation.Status.SUBMITTED)
    assert client_for(world.employee).get(url).status_code == 404


def test_a_pending_transcript_says_so(world, calls, client_for):
    interaction = new_call(world, calls["mono"])
    Transcript.objects.create(interaction=interaction, status=Transcript.Status.PENDING,
                              error="The speech engine stopped with an error (MemoryError).")
    evaluation, _created = scoring_sessions.start_review(interaction, calls_version(world), world.reviewer)
    page = client_for(world.reviewer).get(reverse("evaluation-score", args=[evaluation.pk])).content.decode()
    assert "Waiting for the task worker" in page and "it will be tried again" in page
    assert json.dumps("MemoryError")[1:-1] in page


def test_a_waiting_panel_follows_its_transcript_through_the_status_endpoint(world, calls, client_for):
    """Issue 14: a waiting panel said "reload the page later". static/js/transcript-status.js asks
    autoqa:transcript-status until the transcript is done or failed, then puts the panel's HTML in place.
    The endpoint answers whoever reaches the call (the panel's rule), 404 to others and for bad ids."""
    interaction = new_call(world, calls["mono"])
    transcript = Transcript.objects.create(interaction=interaction, status=Transcript.Status.RUNNING)
    url = reverse("autoqa:transcript-status", args=[interaction.pk])
    reviewer = client_for(world.reviewer)
    page = reviewer.get(reverse("interaction-detail", args=[interaction.pk])).content.decode()
    assert f'data-transcript-poll="{url}"' in page and "js/transcript-status.js" in page
    assert "Reload the page" not in page
    assert reviewer.get(url).json() == {"status": "running", "label": "Being transcribed", "finished": False,
                                        "html": ""}
    transcript.status, transcript.words = Transcript.Status.DONE, [{"s": 0.0, "e": 0.5, "w": "Hello", "sp": ""}]
    transcript.save()
    done = reviewer.get(url).json()
    assert done["finished"] is True and 'data-s="0.00"' in done["html"] and "data-transcript-poll" not in done["html"]
    assert "js/transcript-status.js" not in reviewer.get(reverse("interaction-detail", args=[interaction.pk])
                                                         ).content.decode()
    assert client_for(world.manager_b).get(url).status_code == 404
    assert client_for(world.shopper).get(url).status_code == 404
    assert Client().get(url).status_code == 401  # signed out: the script says to reload
    for bad in ("²", "abc", "999999", "99999999999999999999999"):
        assert reviewer.get(f"/autoqa/transcripts/{bad}/status/").status_code == 404, bad
    email = Interaction.objects.create(channel="email", location=world.location_a, employee=world.employee_a,
                                       occurred_at=timezone.now(), created_by=world.reviewer)
    assert reviewer.get(reverse("autoqa:transcript-status", args=[email.pk])).status_code == 404  # no recording


def test_transcription_tasks_yield_to_the_tasks_people_wait_for(world, settings, transcription_on, calls,
                                                               django_capture_on_commit_callbacks):
    """One task per call, below the default priority (exports, imports), the backlog below new calls: the
    worker (which takes the highest priority first) keeps serving other tasks during a long backlog."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with django_capture_on_commit_callbacks(execute=True):
        first, second = new_call(world, calls["mono"]), new_call(world, calls["mono"])
    queued = DBTaskResult.objects.filter(task_path="autoqa.tasks.transcribe_interaction")
    assert sorted(row.args_kwargs["args"][0] for row in queued) == sorted([first.pk, second.pk])
    assert {row.priority for row in queued} == {-10}
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("transcribe_backlog", "--limit", "1", stdout=out)
    assert "1/1 queued" in out.getvalue()
    assert queued.filter(priority=-20).count() == 1
    assert not Transcript.objects.filter(status=Transcript.Status.DONE).exists()  # nothing ran in this process
