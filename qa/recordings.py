"""Call recordings: accepted by what the bytes are (never by the file's name), measured,
stored in private storage under the name of their content (SHA-256), so identical audio is
kept once however many interactions hold it, served with HTTP range requests, and deleted
after the retention period while interactions and evaluations stay. A stored file is removed
when the last recording that names it is deleted (release_file)."""

import hashlib
import io
import re
import wave
from datetime import timedelta

import mutagen
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from qa import files, pending
from qa.models import Recording, private_storage
from qa.models.interactions import content_path

CONTENT_TYPES = {"wav": "audio/wav", "mp3": "audio/mpeg", "ogg": "audio/ogg", "m4a": "audio/mp4"}


def sniff(head: bytes) -> str | None:
    """The audio format from the file's first bytes: WAV, MP3, OGG or M4A, else None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"OggS":
        return "ogg"
    if head[4:8] == b"ftyp" and head[8:12] in (b"M4A ", b"M4B ", b"mp42", b"isom", b"mp41", b"iso2", b"dash"):
        return "m4a"
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


def duration_of(upload, audio_format: str) -> float:
    upload.seek(0)
    if audio_format == "wav":
        with wave.open(upload, "rb") as audio:
            return audio.getnframes() / float(audio.getframerate())
    info = mutagen.File(upload)
    if info is None or not getattr(info, "info", None) or not info.info.length:
        raise ValidationError(_("This file looks like audio but its length cannot be read. Is it complete?"))
    return float(info.info.length)


def check_size(size: int) -> None:
    if size > settings.RECORDING_MAX_BYTES:
        raise ValidationError(_("This recording is %(size)s MB; the limit is %(limit)s MB.") % {
            "size": round(size / 1048576, 1), "limit": round(settings.RECORDING_MAX_BYTES / 1048576)})


def inspect(upload) -> tuple[str, float]:
    """The format (from the content) and duration of an audio upload, or a ValidationError saying why not."""
    check_size(upload.size)
    upload.seek(0)
    audio_format = sniff(upload.read(16))
    if audio_format is None:
        raise ValidationError(_("This file is not a recording we can play: upload WAV, MP3, OGG or M4A audio."))
    try:
        seconds = duration_of(upload, audio_format)
    except (wave.Error, EOFError, mutagen.MutagenError) as exc:
        raise ValidationError(_("This recording is damaged or incomplete and cannot be played.")) from exc
    return audio_format, seconds


def sha256_of(upload) -> str:
    upload.seek(0)
    digest = hashlib.sha256()
    while chunk := upload.read(1024 * 1024):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def keep_file(upload, sha256: str, audio_format: str) -> str:
    """The stored name of this content, writing it only if no file holds it yet."""
    name = content_path(sha256, audio_format)
    storage = private_storage()
    if storage.exists(name):
        return name
    upload.seek(0)
    return storage.save(name, File(upload))


def release_file(name: str) -> bool:
    """Delete a stored recording file unless a recording still names it (True if deleted)."""
    if not name or Recording.objects.filter(file=name).exists():
        return False
    storage = private_storage()
    if not storage.exists(name):
        return False
    storage.delete(name)
    return True


def store_recording(interaction, upload, user) -> Recording:
    """Check and keep one recording for an interaction (replacing an earlier one)."""
    audio_format, seconds = inspect(upload)
    sha256 = sha256_of(upload)
    name = keep_file(upload, sha256, audio_format)
    with transaction.atomic():
        Recording.objects.filter(interaction=interaction).delete()  # its file is released once this commits
        recording = Recording.objects.create(
            interaction=interaction, file=name, sha256=sha256, audio_format=audio_format,
            content_type=CONTENT_TYPES[audio_format], size=upload.size, duration_seconds=round(seconds, 2),
            uploaded_by=user)
    return recording


RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


def ranged_response(request, recording: Recording, file=None, content_type: str | None = None):
    """The file, or the byte range the browser asked for (206), so players can seek. Streamed from
    storage as it is read (qa.files): a range is fetched alone, also from object storage. `file` and
    `content_type` serve another version of the recording (e.g. one with personal data silenced).
    Raises FileNotFoundError when the stored file is gone."""
    content_type = content_type or recording.content_type
    if file is None:
        file = recording.file
        size = recording.size or file.size
    else:
        size = file.size
    match = RANGE.match(request.headers.get("Range", "").strip())
    if not match:
        response = StreamingHttpResponse(files.iterate(files.open_stream(file)), content_type=content_type)
        response["Content-Length"] = str(size)
        response["Accept-Ranges"] = "bytes"
        return response
    start_text, end_text = match.groups()
    if start_text:
        start, end = int(start_text), int(end_text) if end_text else size - 1
    else:  # the last N bytes
        length = int(end_text or 0)
        start, end = max(0, size - length), size - 1
    end = min(end, size - 1)
    if start > end or start >= size:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    response = StreamingHttpResponse(files.iterate(files.open_range(file, start, end)),
                                     status=206, content_type=content_type)
    response["Content-Length"] = str(end - start + 1)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response


def delete_expired_recordings(now=None) -> int:
    """Delete recordings older than RECORDING_RETENTION_DAYS (0 keeps them); interactions stay."""
    days = settings.RECORDING_RETENTION_DAYS
    if not days:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    count = 0
    for recording in Recording.objects.filter(interaction__occurred_at__lt=cutoff):
        recording.delete()  # the file goes with the last recording that names it (qa.signals)
        count += 1
    return count


def wav_bytes(seconds: float = 1.0, rate: int = 8000) -> bytes:
    """A plain tone as WAV bytes, for tests and demo data (no recording of a real customer)."""
    import math
    import struct

    frames = b"".join(struct.pack("<h", int(12000 * math.sin(2 * math.pi * 440 * n / rate)))
                      for n in range(int(seconds * rate)))
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(frames)
    return out.getvalue()


def keep_pending(request, upload) -> dict | None:
    """A good recording sent with a form that failed for another reason is kept (qa.pending)."""
    try:
        audio_format, seconds = inspect(upload)
    except ValidationError:
        return None
    return pending.keep(request, "recording", upload, audio_format, seconds=round(seconds, 1))


def pending_of(request) -> dict | None:
    return pending.get(request, "recording")


def open_pending(request):
    return pending.open_file(request, "recording")


def discard_pending(request) -> None:
    pending.discard(request, "recording")


def delete_abandoned_pending(now=None, hours: int = 24) -> int:
    """Uploads kept for a form that was never sent again (the session ended): gone after a day."""
    return pending.delete_abandoned(now, hours)
