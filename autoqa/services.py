"""The transcription workflow: a recording's transcript is requested when the recording is stored (new,
imported, replaced), made on the task worker one interaction per task, redacted before it is stored, retried
when it fails (TRANSCRIPTION_ATTEMPTS tries, then shown as failed with its reason; the recording stays
playable), and announced with `transcript_ready` once done.

What was said before redaction lives only in this process's memory while a task runs: it is never saved,
never logged (failures are logged by their exception class and the interaction's id only)."""

import io
import logging
import os
import shutil
import tempfile
import time
import wave
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from autoqa import redaction, transcription
from autoqa.models import Transcript
from autoqa.signals import transcript_ready
from qa.models import Recording

log = logging.getLogger(__name__)
Status = Transcript.Status
# Silence this much either side of a redacted span: word times from speech recognition are approximate.
AUDIO_PAD_SECONDS = 0.3


def enabled() -> bool:
    return bool(getattr(settings, "TRANSCRIPTION", True))


def request_transcript(recording: Recording, *, enqueue: bool = True) -> Transcript | None:
    """Mark the interaction's transcript as waiting (a new recording starts again from nothing) and queue
    its task once the recording's transaction commits. Nothing when transcription is off."""
    if not enabled():
        return None
    transcript, created = Transcript.objects.get_or_create(interaction_id=recording.interaction_id,
                                                           defaults={"recording_sha256": recording.sha256})
    if not created:
        if transcript.recording_sha256 == recording.sha256 and transcript.status != Status.FAILED:
            return transcript  # the same audio: already transcribed or on its way
        forget_audio(transcript)
        transcript.status, transcript.error, transcript.attempts = Status.PENDING, "", 0
        transcript.words, transcript.text, transcript.redactions = [], "", []
        transcript.duration_seconds, transcript.stereo = None, False
        transcript.recording_sha256 = recording.sha256
        transcript.save()
    if enqueue:
        queue(recording.interaction_id)
    return transcript


# Task priorities (higher runs first; 0 is the default of every other task): what people wait for (exports,
# imports) goes before transcription, and a new call before the backlog, so the worker keeps serving them.
PRIORITY_NEW, PRIORITY_BACKLOG = -10, -20
RETRY_AFTER_SECONDS = 30


def queue(interaction_id: int, *, priority: int = PRIORITY_NEW, delay: int = 0) -> None:
    """One task for this interaction, sent once the current transaction commits."""
    from autoqa.tasks import transcribe_interaction

    def send():
        task = transcribe_interaction
        backend = task.get_backend()
        options = {}
        if backend.supports_priority:
            options["priority"] = priority
        if delay and backend.supports_defer:
            options["run_after"] = timezone.now() + timedelta(seconds=delay)
        (task.using(**options) if options else task).enqueue(interaction_id)

    transaction.on_commit(send)


def forget_audio(transcript: Transcript) -> None:
    if transcript.redacted_audio:
        transcript.redacted_audio.delete(save=False)


def _claim(interaction_id: int) -> Transcript | None:
    """Take a waiting transcript for this task (another task for the same one then finds nothing to do)."""
    with transaction.atomic():
        claimed = Transcript.objects.filter(interaction_id=interaction_id, status=Status.PENDING).update(
            status=Status.RUNNING, attempts=F("attempts") + 1, updated_at=timezone.now())
    if not claimed:
        return None
    return Transcript.objects.select_related("interaction").get(interaction_id=interaction_id)


def transcribe(interaction_id: int, *, requeue: bool = True) -> str:
    """Transcribe one interaction's recording (the task's work). Returns the transcript's status: "pending"
    after a failed attempt that will be retried (by a new task when `requeue`), "failed" after the last."""
    transcript = _claim(interaction_id)
    if transcript is None:
        return "skipped"
    recording = Recording.objects.filter(interaction_id=interaction_id).first()
    if recording is None:
        Transcript.objects.filter(pk=transcript.pk).update(status=Status.FAILED,
                                                           error="The interaction has no recording any more.")
        return Status.FAILED
    started = time.monotonic()
    try:
        with _local_copy(recording) as path:
            result = transcription.transcribe_file(path)
            words, spans = redaction.redact_words(result.words)
            del result.words  # what was said before redaction goes no further
            audio_name = _redacted_audio(transcript, recording, path, spans) if settings.REDACT_AUDIO else ""
    except Exception as exc:  # noqa: BLE001 (any failure is retried, then shown with its reason)
        return _failed(transcript, exc, requeue)
    transcript.status, transcript.error = Status.DONE, ""
    transcript.words, transcript.redactions = words, spans
    transcript.text = " ".join(w["w"] for w in words)
    transcript.duration_seconds, transcript.stereo = result.duration, result.stereo
    transcript.model_name, transcript.recording_sha256 = transcription.model_label(), recording.sha256
    if transcript.redacted_audio and transcript.redacted_audio.name != audio_name:
        forget_audio(transcript)
    transcript.redacted_audio.name = audio_name or ""
    # An update, not save(): if the interaction went meanwhile (an import undone), nothing is written back.
    Transcript.objects.filter(pk=transcript.pk).update(
        status=Status.DONE, error="", words=words, redactions=spans, text=transcript.text,
        duration_seconds=result.duration, stereo=result.stereo, model_name=transcript.model_name,
        recording_sha256=recording.sha256, redacted_audio=audio_name or "", updated_at=timezone.now())
    log.info("transcribed interaction %s: %.1f s of audio in %.1f s, %d words, %d spans redacted",
             interaction_id, result.duration, time.monotonic() - started, len(words), len(spans))
    transcript_ready.send(sender=Transcript, transcript=transcript)
    return Status.DONE


def reason_of(exc: Exception) -> str:
    if isinstance(exc, transcription.TranscriptionError):
        return str(exc)[:500]
    if isinstance(exc, FileNotFoundError):
        return "The recording's file is missing from storage."
    return f"The speech engine stopped with an error ({exc.__class__.__name__})."


def _failed(transcript: Transcript, exc: Exception, requeue: bool) -> str:
    reason = reason_of(exc)
    log.warning("transcription of interaction %s failed (attempt %s): %s", transcript.interaction_id,
                transcript.attempts, exc.__class__.__name__)
    if transcript.attempts < settings.TRANSCRIPTION_ATTEMPTS:
        Transcript.objects.filter(pk=transcript.pk).update(status=Status.PENDING, error=reason)
        if requeue:  # a little later each time: a busy disk or a full memory may have passed by then
            queue(transcript.interaction_id, delay=RETRY_AFTER_SECONDS * transcript.attempts)
        return Status.PENDING
    Transcript.objects.filter(pk=transcript.pk).update(status=Status.FAILED, error=reason)
    return Status.FAILED


class _local_copy:
    """The recording as a local file for the decoder (private storage may be remote)."""

    def __init__(self, recording):
        self.recording = recording

    def __enter__(self):
        handle, self.path = tempfile.mkstemp(suffix="." + (self.recording.audio_format or "audio"))
        with os.fdopen(handle, "wb") as out, self.recording.file.open("rb") as source:
            shutil.copyfileobj(source, out)
        return self.path

    def __exit__(self, *exc):
        os.unlink(self.path)
        return False


def silenced_wav(path: str, spans: list[dict], pad: float = AUDIO_PAD_SECONDS) -> bytes:
    """The audio as 16-bit WAV at its own rate and channels (at most two), every span silenced on every
    channel (the agent often reads a number back)."""
    import av
    import numpy as np

    with av.open(path) as container:
        stream = container.streams.audio[0]
        rate = stream.codec_context.sample_rate or 8000
        channels = 2 if (stream.codec_context.channels or 1) >= 2 else 1
        resampler = av.AudioResampler(format="s16", layout="stereo" if channels == 2 else "mono", rate=rate)
        chunks = []
        for frame in container.decode(stream):
            chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(frame))
        chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(None))
    samples = (np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)).reshape(-1, channels)
    for span in spans:
        start = max(0, int((span["s"] - pad) * rate))
        end = min(len(samples), int((span["e"] + pad) * rate) + 1)
        samples[start:end] = 0
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(channels)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(samples.astype("<i2").tobytes())
    return out.getvalue()


def _redacted_audio(transcript: Transcript, recording: Recording, path: str, spans: list[dict]) -> str:
    """Store the silenced copy (also when nothing was found, so what is served never depends on a guess)."""
    name = f"recordings/redacted/{transcript.interaction_id}-{recording.sha256[:16] or 'audio'}.wav"
    storage = transcript.redacted_audio.storage
    if storage.exists(name):
        storage.delete(name)
    return storage.save(name, ContentFile(silenced_wav(path, spans)))


def audio_for(user, recording: Recording):
    """What this person hears of a recording (qa.extensions.recording_audio): with REDACT_AUDIO on, everyone
    but QA staff gets the silenced copy, and nothing at all until it exists; None means the original."""
    from qa import roles

    if not settings.REDACT_AUDIO or roles.is_qa_staff(user):
        return None
    transcript = Transcript.objects.filter(interaction_id=recording.interaction_id).first()
    if transcript is None or transcript.status != Status.DONE or not transcript.redacted_audio \
            or transcript.recording_sha256 != recording.sha256:
        return {"file": None, "content_type": "audio/wav"}
    return {"file": transcript.redacted_audio, "content_type": "audio/wav"}


def backlog(include_failed: bool = False):
    """Interactions with a recording and no finished transcript, oldest first."""
    from qa.models import Interaction

    waiting = Interaction.objects.filter(recording__isnull=False).exclude(transcript__status=Status.DONE)
    if not include_failed:
        waiting = waiting.exclude(transcript__status=Status.FAILED)
    return waiting.order_by("occurred_at", "pk")


def reset_for_backfill(interaction_id: int, recording: Recording) -> None:
    """A backfilled interaction starts again from its first attempt."""
    transcript, _created = Transcript.objects.get_or_create(interaction_id=interaction_id)
    Transcript.objects.filter(pk=transcript.pk).update(status=Status.PENDING, attempts=0, error="",
                                                       recording_sha256=recording.sha256)
