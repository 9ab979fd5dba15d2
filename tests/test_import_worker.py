"""A real task worker (`manage.py db_worker`, a separate process) killed with SIGKILL in the
middle of an import: the progress it committed was visible from outside while it wrote rows,
its rows stayed hidden, its heartbeat goes stale, the import is marked failed, the rows and
recording files it wrote are removed, and a retry from the page imports everything.

The worker must see the test's data, so the database is one another process can open: on
PostgreSQL the test database itself (transactional_db, nothing wrapped in a transaction); on
SQLite the migrated in-memory test database copied to a file for the length of the test.
"""

import csv
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from qa import imports, recordings, roles
from qa.models import Interaction, InteractionImport, Recording
from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent
ROWS = 1200
DISTINCT_RECORDINGS = 30
WAIT = 180  # seconds at most for the worker to reach a state; a guard against hanging, not a measurement


def _postgres_url(settings_dict) -> str:
    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


@pytest.fixture
def shared_db(request, tmp_path, django_db_blocker):
    """The DATABASE_URL of a database this test and a worker process both use."""
    request.getfixturevalue("transactional_db")  # nothing of this test is wrapped in a transaction
    memory = connections["default"]
    if memory.vendor == "postgresql":
        yield _postgres_url(memory.settings_dict)
        return
    if memory.vendor != "sqlite":
        pytest.skip(f"no shared test database recipe for {memory.vendor}")
    path = tmp_path / "worker.sqlite3"
    with django_db_blocker.unblock():
        memory.ensure_connection()
        target = sqlite3.connect(path)
        memory.connection.backup(target)
        target.close()
        on_file = memory.__class__({**memory.settings_dict, "NAME": str(path)}, "default")
        connections["default"] = on_file
        try:
            yield f"sqlite:///{path}"
        finally:
            on_file.close()
            connections["default"] = memory


def big_import(lead, location):
    """ROWS phone calls naming DISTINCT_RECORDINGS different recordings."""
    waves = {f"call-{n}.wav": recordings.wav_bytes(0.2 + n / 100) for n in range(DISTINCT_RECORDINGS)}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["channel", "occurred_at", "location_code", "customer_reference",
                                             "recording"])
    writer.writeheader()
    for n in range(ROWS):
        writer.writerow({"channel": "phone_call", "occurred_at": f"2026-11-{1 + n % 28:02d} {8 + n % 10}:{n % 60:02d}",
                         "location_code": location.code, "customer_reference": f"W-{n}",
                         "recording": f"call-{n % DISTINCT_RECORDINGS}.wav"})
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for name, data in waves.items():
            zipped.writestr(name, data)
    job = InteractionImport(created_by=lead, sheet_name="calls.csv", recordings_name="calls.zip", total=ROWS,
                            time_zone="Europe/London")
    job.sheet.save("calls.csv", ContentFile(out.getvalue().encode()), save=False)
    job.recordings.save("calls.zip", ContentFile(archive.getvalue()), save=False)
    job.save()
    return job


def start_worker(database_url, media_root, tmp_path, *extra):
    env = dict(os.environ, DATABASE_URL=database_url, MEDIA_ROOT=str(media_root), DJANGO_SETTINGS_MODULE="config.settings",
               TASKS_BACKEND="django_tasks_db.DatabaseBackend")
    log = open(tmp_path / "worker.log", "ab")
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1", *extra],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_for(condition, worker, tmp_path, what):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        if worker.poll() is not None:
            break
        time.sleep(0.05)
    log = (tmp_path / "worker.log").read_text(errors="replace")[-3000:]
    pytest.fail(f"the worker never got to {what} (exit code {worker.poll()}); its log ends:\n{log}")


def stored_files(media_root):
    folder = media_root / "private" / "recordings"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_is_found_stale_cleaned_up_and_retried(shared_db, settings, tmp_path, client):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    lead = f.make_user("lead", roles.QA_LEAD)
    location = f.make_location(f.make_region("North"), name="Call centre")
    job = big_import(lead, location)
    from qa.tasks import run_interaction_import

    run_interaction_import.enqueue(job.pk)
    worker = start_worker(shared_db, tmp_path, tmp_path)
    try:
        def writing():
            job.refresh_from_db()
            return job.status == job.Status.IMPORTING and job.done > 0

        # Progress is committed batch by batch, so another connection sees it while rows are written.
        wait_for(writing, worker, tmp_path, "writing rows with its progress visible")
        worker.send_signal(signal.SIGKILL)  # at once: it still has most of its rows to write
        worker.wait(timeout=WAIT)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    job.refresh_from_db()
    assert job.status == job.Status.IMPORTING and 0 < job.done < ROWS, (job.status, job.done)
    written = Interaction.all_objects.filter(import_job=job).count()
    assert written > 0 and Interaction.objects.count() == 0  # committed, but hidden until the import is done
    assert stored_files(tmp_path)

    # A heartbeat younger than IMPORT_STALE_SECONDS is a live worker; past it, the worker is taken to be dead.
    assert imports.fail_stale() == []
    later = timezone.now() + timedelta(seconds=settings.IMPORT_STALE_SECONDS + 1)
    assert [stale.pk for stale in imports.fail_stale(now=later)] == [job.pk]
    job.refresh_from_db()
    assert job.status == job.Status.FAILED and "worker stopped" in job.error
    assert Interaction.all_objects.count() == 0 and Recording.objects.count() == 0
    assert stored_files(tmp_path) == []  # no orphan recording files
    assert job.sheet and job.recordings  # kept for the retry

    client.force_login(lead)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Retry this import" in page and "worker stopped" in page
    response = client.post(reverse("interaction-import-retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == job.Status.QUEUED

    retry_worker = start_worker(shared_db, tmp_path, tmp_path, "--batch")
    try:
        retry_worker.wait(timeout=WAIT)
    finally:
        if retry_worker.poll() is None:
            retry_worker.kill()
            retry_worker.wait()
    job.refresh_from_db()
    assert job.status == job.Status.DONE, (job.status, job.error, job.problems[:3])
    assert job.imported == ROWS and Interaction.objects.count() == ROWS
    # Identical recordings are stored once and shared by every row that names them.
    assert len(stored_files(tmp_path)) == DISTINCT_RECORDINGS
    assert Recording.objects.values("file").distinct().count() == DISTINCT_RECORDINGS
    assert not job.sheet and not job.recordings
