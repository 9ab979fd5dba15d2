"""CI: the cluster of `make cluster` (scripts/cluster.py) doing a day's work across its machines.

PostgreSQL (a database of its own, dropped afterwards), Redis, an S3-compatible server, two gunicorn
processes (web A and web B) and two RQ workers, nothing shared on local disk. With real HTTP, as
.ci/serve_check.py does: a shopper uploads a visit's photo on web A and the reviewer sees it on web B;
a manager asks for a large export on A, a worker builds it, the manager downloads it from B in the
session signed in on A (sessions shared through cached_db on Redis); a lead
imports a spoken call with its recording on A, a worker transcribes it, and the reviewer reads the transcript
and plays the call with range requests from B; a
worker killed (SIGKILL, with its work horse) in the middle of a task loses nothing: the other worker
runs the task again once the dead one's heartbeat has expired (RQ's abandoned-job handling,
config.rq_tasks), and the time that took is printed.

    .venv/bin/python .ci/cluster_check.py        (needs PostgreSQL on 127.0.0.1:5432 and Redis on 6379)
"""

import csv
import io
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import wave
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts"), str(ROOT / ".ci")]

from cluster import PG, Cluster  # noqa: E402
from serve_check import OPENER, Browser, sign_in  # noqa: E402

FAILURES = []
WAIT = 60  # seconds at most for any state: a guard against hanging, not a measurement


def fail(message):
    FAILURES.append(message)
    print("FAIL", message, flush=True)


def ok(message):
    print("ok", message, flush=True)


class MultipartBrowser(Browser):
    def upload(self, path, fields, files, accept=None):
        token = self.token(path)
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in {"csrfmiddlewaretoken": token, **fields}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, data, kind) in files.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                         f"Content-Type: {kind}\r\n\r\n".encode() + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   "Content-Type": f"multipart/form-data; boundary={boundary}", "X-CSRFToken": token,
                   "Origin": "https://" + self.base.split("://", 1)[1]}
        headers["Referer"] = headers["Origin"] + path
        if accept:
            headers["Accept"] = accept
        try:
            response = OPENER.open(urllib.request.Request(self.base + path, data=body, headers=headers), timeout=60)
        except urllib.error.HTTPError as exc:
            response = exc
        return response.status, response.headers, response.read()

    def token(self, path):
        if "csrftoken" not in self.cookies:
            self.request("/accounts/login/")
        return self.cookies.get("csrftoken", "")

    def ranged(self, path, first, last):
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7", "Range": f"bytes={first}-{last}",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        try:
            response = OPENER.open(urllib.request.Request(self.base + path, headers=headers), timeout=30)
        except urllib.error.HTTPError as exc:
            response = exc
        return response.status, response.headers, response.read()


def person(base, role):
    browser = MultipartBrowser(base)
    if not sign_in(browser, role):
        raise SystemExit(f"{role} could not sign in at {base}")
    return browser


def jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def wav(seconds=2.0, rate=8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(bytes((n * 7) % 256 for n in range(int(seconds * rate) * 2)))
    return out.getvalue()


def photo_from_a_to_b(a, b):
    from qa.models import Evidence
    from shops.models import Assignment

    assignment = Assignment.objects.filter(shopper__user__username="shopper", status="accepted").first()
    shopper = person(a, "shopper")
    status, _, body = shopper.upload(f"/visits/{assignment.pk}/evidence/", {"kind": "receipt", "client_key": "c1"},
                                     {"file": ("IMG_0001.jpg", jpeg(), "image/jpeg")}, accept="application/json")
    if status not in (200, 201):
        return fail(f"shopper: the photo upload on web A answered {status}: {body[:200]!r}")
    evidence = Evidence.objects.get(pk=json.loads(body)["id"]) if b'"id"' in body else Evidence.objects.latest("pk")
    reviewer = person(b, "reviewer")
    status, headers, data = reviewer.request(f"/evidence/{evidence.pk}/")
    if status != 200 or not data.startswith(b"\xff\xd8"):
        return fail(f"reviewer: the photo on web B answered {status}")
    stranger = person(b, "employee")
    if stranger.request(f"/evidence/{evidence.pk}/")[0] != 404:
        return fail("employee: someone else's photo was not refused on web B")
    ok(f"photo uploaded on web A ({len(data)} bytes in the bucket) shown to the reviewer on web B, refused to others")


def export_from_a_to_b(a, b):
    manager_a = person(a, "manager")
    status, headers, _ = manager_a.request("/reports/export/dashboard.xlsx")
    job = urllib.parse.urlparse(headers.get("Location", "")).path
    if status != 302 or "/reports/exports/" not in job:
        return fail(f"manager: the export on web A answered {status}, not a background job")
    manager_b = MultipartBrowser(b)  # the same signed-in session, now on web B (sessions: cached_db on Redis)
    manager_b.cookies = dict(manager_a.cookies)
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        status, _, body = manager_b.request(job, accept="application/json")
        if status != 200:
            return fail(f"manager: web B answered {status} to the session signed in on web A")
        state = json.loads(body)
        if state["status"] == "done":
            status, headers, data = manager_b.request(state["download"])
            if status != 200 or not data.startswith(b"PK"):
                return fail(f"manager: the export downloaded from web B with {status}")
            return ok(f"export asked for on web A, built by a worker, downloaded from web B in the same session "
                      f"({len(data)} bytes)")
        if state["status"] == "failed":
            return fail(f"manager: the export failed: {state['error']}")
        time.sleep(0.2)
    fail("manager: the export was not built in time")


def spoken_call() -> bytes:
    """A short stereo call spoken by espeak-ng (autoqa.speech), so that the worker's transcript can be checked."""
    from autoqa import speech

    if not speech.available():
        fail("espeak-ng and sox are needed to speak the call the cluster transcribes (.ci/run installs them)")
        return wav()
    return speech.conversation([("agent", "Thank you for calling, my name is Sarah."),
                                ("customer", "Hello, my order has not arrived."),
                                ("agent", "I am sorry to keep you waiting. Is there anything else?")])


def transcribed_by_a_worker(recording, reviewer):
    """Waits for the worker's transcript of the imported call and finds it on web B's interaction page."""
    from autoqa.models import Transcript

    deadline = time.monotonic() + 3 * WAIT  # the first task on a worker loads the speech model
    transcript = None
    while time.monotonic() < deadline:
        transcript = Transcript.objects.filter(interaction=recording.interaction_id).first()
        if transcript is not None and transcript.status in (Transcript.Status.DONE, Transcript.Status.FAILED):
            break
        time.sleep(0.5)
    if transcript is None or transcript.status != Transcript.Status.DONE:
        state = "none" if transcript is None else f"{transcript.status} {transcript.error}"
        return fail(f"worker: the imported call was not transcribed in time ({state})")
    if "thank you for calling" not in transcript.text.lower():
        return fail(f"worker: the transcript does not hold the call's words: {transcript.text[:200]!r}")
    status, _headers, page = reviewer.request(f"/interactions/{recording.interaction_id}/")
    if status != 200 or b"calling" not in page.lower():
        return fail(f"reviewer: the interaction page on web B answered {status} without the transcript")
    ok(f"imported call transcribed by a worker ({len(transcript.words)} words: {transcript.text[:60]!r}...), "
       f"shown on web B")


def recording_from_a_to_b(a, b):
    from qa.models import Recording
    from shops.models import Location

    audio = spoken_call()
    code = Location.objects.order_by("pk").first().code
    sheet = io.StringIO()
    writer = csv.writer(sheet)
    writer.writerow(["channel", "occurred_at", "location_code", "customer_reference", "recording"])
    writer.writerow(["phone_call", "2026-11-20 10:30", code, "CLUSTER-1", "calls/cluster-1.wav"])
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("calls/cluster-1.wav", audio)
    lead = person(a, "lead")
    status, headers, body = lead.upload("/interactions/import/", {}, {
        "sheet": ("calls.csv", sheet.getvalue().encode(), "text/csv"),
        "recordings": ("calls.zip", archive.getvalue(), "application/zip")})
    recording = Recording.objects.filter(interaction__customer_reference="CLUSTER-1").first()
    if status != 302 or recording is None:
        return fail(f"lead: the import on web A answered {status} and made no recording")
    reviewer = person(b, "reviewer")
    transcribed_by_a_worker(recording, reviewer)
    status, headers, data = reviewer.ranged(f"/recordings/{recording.pk}/", 1000, 1999)
    if status != 206 or data != audio[1000:2000] or headers.get("Content-Range") != f"bytes 1000-1999/{len(audio)}":
        return fail(f"reviewer: a range of the recording on web B answered {status} {headers.get('Content-Range')}")
    ok("recording imported on web A, played with a range request from web B (206, the right bytes)")


def killed_worker_loses_nothing(cluster):
    import redis
    from django.conf import settings
    from rq.job import Job

    from tests.rq_tasks import hold_until_released

    connection = redis.Redis.from_url(settings.REDIS_URL)
    key = f"cluster-check:{uuid.uuid4().hex}"
    result = hold_until_released.enqueue(key)
    deadline = time.monotonic() + WAIT
    while not connection.get(f"{key}:started") and time.monotonic() < deadline:
        time.sleep(0.05)
    holder = Job.fetch(result.id, connection=connection).worker_name or ""
    victim = next((name for name in cluster.processes if name.startswith("worker-") and holder.startswith(name)), None)
    if victim is None:
        return fail(f"no cluster worker holds the task (held by {holder!r})")
    cluster.kill(victim)
    killed = time.monotonic()
    while int(connection.get(f"{key}:started") or 0) < 2 and time.monotonic() < killed + WAIT:
        time.sleep(0.05)
    recovered = time.monotonic() - killed
    if int(connection.get(f"{key}:started") or 0) < 2:
        return fail(f"the task of the killed {victim} was not run again within {WAIT} s")
    connection.set(f"{key}:go", 1)
    while hold_until_released.get_result(result.id).status not in ("SUCCESSFUL", "FAILED") \
            and time.monotonic() < killed + WAIT:
        time.sleep(0.05)
    final = hold_until_released.get_result(result.id)
    survivor = (final.worker_ids or [""])[-1]
    if final.status != "SUCCESSFUL" or final.return_value != 2 or survivor.startswith(victim):
        return fail(f"after {victim} was killed the task ended {final.status} on {survivor!r}")
    ok(f"{victim} killed mid-task: the other worker ran it again {recovered:.1f} s later and finished it")


def people():
    """The demo's organisation, people and open visits, with a few evaluations per location instead of
    the demo's months of them (which take minutes to write)."""
    from config import demo
    from qa.roles import ensure_role_groups
    from reports.services import ensure_default_targets

    ensure_role_groups()
    demo.install_default_scorecards()
    ensure_default_targets()
    regions, locations = demo.ensure_organisation()
    users = demo.ensure_users(regions)
    demo.open_assignments(users, locations)
    demo.EVALUATIONS_PER_LOCATION = 3
    demo.generate_evaluations(users, locations)


def main():
    started = time.monotonic()
    database = f"qa_cluster_ci_{os.getpid()}"
    cluster = Cluster(database=database, extra_env={
        "RQ_HEARTBEAT_SECONDS": "1", "RQ_MAINTENANCE_SECONDS": "1", "TASK_RETRY_SECONDS": "0",
        "EXPORT_SYNC_LIMIT": "5"})
    try:
        cluster.start(demo=False)
        print(f"cluster up in {time.monotonic() - started:.0f} s: web A {cluster.urls()[0]}, web B {cluster.urls()[1]}",
              flush=True)
        os.environ.update(cluster.env)
        import django

        django.setup()
        people()
        a, b = cluster.urls()
        photo_from_a_to_b(a, b)
        export_from_a_to_b(a, b)
        recording_from_a_to_b(a, b)
        killed_worker_loses_nothing(cluster)
    finally:
        cluster.stop()
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        for key in __import__("redis").Redis.from_url(cluster.redis_url).scan_iter("cluster-check:*"):
            __import__("redis").Redis.from_url(cluster.redis_url).delete(key)
    print(f"cluster check took {time.monotonic() - started:.0f} s", flush=True)
    if FAILURES:
        print(f"{len(FAILURES)} failure(s); logs in {cluster.tmp}")
        sys.exit(1)
    print("cluster check passed")


if __name__ == "__main__":
    main()
