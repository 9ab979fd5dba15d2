"""Speech to text benchmark (`make bench`, or `python bench/transcribe.py` alone): a 40-second telephone call
made with espeak-ng, transcribed by the toolkit's engine (autoqa.transcription: tiny.en, int8 on CPU, word
times, voice detection) in a fresh process, as the task worker does.

Figures (`name: value unit`):
- transcribe_model_load_seconds: loading the model once per process;
- transcribe_rtf: seconds of audio per wall-clock second (target at least 10);
- transcribe_floor_rtf: faster-whisper alone on the same audio with its defaults plus word times, measured
  in the same run (the floor: what the engine costs without the toolkit's choices);
- transcribe_ratio: floor time / our time (at least 1 means our settings cost nothing over the floor);
- transcribe_cpu_seconds_per_audio_minute: CPU time our call used per minute of audio (less sensitive to
  other load on the machine than the wall clock);
- transcribe_peak_mb: the peak resident memory of that process (what a worker needs for transcription).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CALL = ("Thank you for calling Northwind Telecom, my name is Sarah. How can I help you today? "
        "I am calling about my bill, it is much higher than usual this month. "
        "I completely understand how frustrating that must be. Let me have a look at your account for you. "
        "Sorry to keep you waiting. I can see an extra charge for roaming data on the twelfth. "
        "I was not abroad on the twelfth. I see, I will raise a dispute and call you back by Friday with the answer. "
        "Thank you. Is there anything else I can help you with today? No, that is all. "
        "It has been a pleasure helping you, have a lovely day.")

WORKER = r"""
import json, os, resource, sys, time
sys.path.insert(0, sys.argv[1])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from autoqa import transcription
path = sys.argv[2]
started = time.perf_counter()
model = transcription.get_model()
load = time.perf_counter() - started
transcription.transcribe_file(path)  # warm: the first call also loads the voice detector
started, cpu = time.perf_counter(), time.process_time()
result = transcription.transcribe_file(path)
ours, ours_cpu = time.perf_counter() - started, time.process_time() - cpu
started = time.perf_counter()
segments, info = model.transcribe(path, language="en", word_timestamps=True)
floor_words = sum(len(s.words) for s in segments)
floor = time.perf_counter() - started
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"load": load, "ours": ours, "ours_cpu": ours_cpu, "floor": floor, "duration": result.duration, "words": len(result.words),
                  "floor_words": floor_words, "peak_mb": peak_kb / 1024}))
"""


def say(name, value, unit=""):
    print(f"{name}: {value} {unit}".rstrip(), flush=True)


def make_call(folder: str) -> str:
    from autoqa import speech  # the bench runs with Django set up (bench/run.py) or sets it up below

    call = os.path.join(folder, "call.wav")
    with open(call, "wb") as out:
        out.write(speech.conversation([("agent", CALL)], stereo=False))
    return call


def bench_transcribe():
    if not (shutil.which("espeak-ng") and shutil.which("sox")):  # as autoqa.speech.available()
        say("transcribe_rtf", "skipped", "(espeak-ng and sox are needed: apt-get install -y espeak-ng sox)")
        return
    with tempfile.TemporaryDirectory() as folder:
        call = make_call(folder)
        env = dict(os.environ, TRANSCRIPTION="on", DEBUG="false")
        out = subprocess.run([sys.executable, "-c", WORKER, str(ROOT), call], env=env, capture_output=True,
                             text=True, check=True, cwd=ROOT)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    rtf, floor_rtf = figures["duration"] / figures["ours"], figures["duration"] / figures["floor"]
    say("transcribe_model_load_seconds", f"{figures['load']:.1f}", "s")
    say("transcribe_rtf", f"{rtf:.1f}",
        f"x real time: audio seconds per wall second, tiny.en int8, {figures['duration']:.0f} s call, "
        f"{figures['words']} words (target >= 10)")
    say("transcribe_cpu_seconds_per_audio_minute", f"{60 * figures['ours_cpu'] / figures['duration']:.1f}",
        f"CPU s (all threads; with the machine's load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores,"
        " wall-clock figures depend on what else runs)")
    say("transcribe_floor_rtf", f"{floor_rtf:.1f}", "x real time (faster-whisper alone, same audio)")
    say("transcribe_ratio", f"{figures['floor'] / figures['ours']:.2f}", "x (floor time / our time)")
    say("transcribe_peak_mb", f"{figures['peak_mb']:.0f}", "MB peak resident memory of the transcribing process")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    bench_transcribe()
