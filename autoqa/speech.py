"""Calls made with a speech synthesiser (Debian's espeak-ng, resampled to telephone quality with sox), for the
demo data, tests and benchmarks: no real customer's voice ships with the toolkit. Each turn is spoken on its
speaker's channel (agent left, customer right), one after the other, as a call recorder keeps them."""

import io
import os
import shutil
import subprocess
import tempfile
import wave

RATE = 8000
PAUSE_SECONDS = 0.4


def available() -> bool:
    return bool(shutil.which("espeak-ng") and shutil.which("sox"))


def speak(text: str, folder: str, name: str) -> bytes:
    """One line as 8 kHz 16-bit mono samples."""
    raw, out = os.path.join(folder, f"{name}.raw.wav"), os.path.join(folder, f"{name}.wav")
    subprocess.run(["espeak-ng", "-v", "en-gb", "-s", "150", "-w", raw, text], check=True)
    subprocess.run(["sox", raw, "-r", str(RATE), "-c", "1", "-b", "16", out], check=True)
    with wave.open(out, "rb") as audio:
        return audio.readframes(audio.getnframes())


def conversation(turns: list[tuple[str, str]], stereo: bool = True, min_seconds: float = 0) -> bytes:
    """WAV bytes of the turns [("agent" | "customer", text)], each after the other, with silence at the end
    up to min_seconds."""
    silence = b"\x00\x00" * int(PAUSE_SECONDS * RATE)
    left, right = bytearray(), bytearray()
    with tempfile.TemporaryDirectory() as folder:
        for n, (speaker, text) in enumerate(turns):
            samples = speak(text, folder, str(n)) + silence
            quiet = b"\x00" * len(samples)
            left += samples if speaker == "agent" or not stereo else quiet
            right += samples if speaker != "agent" and stereo else quiet
        short = int(min_seconds * RATE) * 2 - len(left)
        if short > 0:
            left += b"\x00" * short
            right += b"\x00" * short
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(2 if stereo else 1)
        audio.setsampwidth(2)
        audio.setframerate(RATE)
        if stereo:
            frames = bytearray()
            for i in range(0, len(left), 2):
                frames += left[i:i + 2] + right[i:i + 2]
            audio.writeframes(bytes(frames))
        else:
            audio.writeframes(bytes(left))
    return out.getvalue()
