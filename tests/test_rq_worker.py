"""Tasks on Redis through RQ (TASKS_BACKEND=rq), run by a real worker process (`manage.py task_worker`,
which is `rqworker --job-class django_tasks_rq.Job --with-scheduler`) against the local Redis: a result
comes back, a task that raised is retried (config.rq_tasks.RetryingQueue) and succeeds, a delayed task
(`run_after`, as scheduled jobs use) waits for its time, and a real export is built by the worker.
Each run uses a queue of its own, so runs in parallel never take each other's jobs."""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.utils import timezone
from django_tasks.base import TaskResultStatus

from qa import roles
from reports.models import ExportJob
from tests import factories as f
from tests import rq_tasks
from tests.test_import_worker import shared_db  # noqa: F401  (a database the worker process shares)

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WAIT = 60  # seconds at most for a state; a guard against hanging, not a measurement


def redis_or_skip():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL} (the RQ backend needs one)")


def use_rq_backend(settings):
    """The RQ backend on a queue of this test's own; returns the queue's name."""
    redis_or_skip()
    queue = f"test-{uuid.uuid4().hex[:10]}"
    settings.REDIS_URL = REDIS_URL
    settings.TASKS = {"default": {"BACKEND": "config.rq_tasks.RQBackend", "QUEUES": ["default", queue]}}
    # "default" too: django-tasks-rq reads results through the default queue's connection.
    settings.RQ_QUEUES = {name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600} for name in (queue, "default")}
    settings.RQ = {"QUEUE_CLASS": "config.rq_tasks.RetryingQueue", "WORKER_CLASS": "config.rq_tasks.Worker"}
    settings.TASK_RETRIES, settings.TASK_RETRY_SECONDS = 2, 1
    return queue


def forget_queue(queue):
    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(f"*{queue}*"):
        connection.delete(key)


@pytest.fixture
def rq(settings, tmp_path, shared_db):  # noqa: F811
    """The RQ backend on a queue of this test's own, and a worker process serving it."""
    queue = use_rq_backend(settings)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings", TASKS_BACKEND="rq", REDIS_URL=REDIS_URL,
               TASK_QUEUES=queue, TASK_RETRIES="2", TASK_RETRY_SECONDS="1", DATABASE_URL=shared_db,
               MEDIA_ROOT=str(tmp_path))
    log_path = tmp_path / "rq-worker.log"
    with open(log_path, "ab") as log:
        worker = subprocess.Popen([sys.executable, "manage.py", "task_worker", "--name", queue], cwd=ROOT, env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
    try:
        yield queue, worker, log_path
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        forget_queue(queue)


def finished(task, result, worker, log_path):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline and worker.poll() is None:
        result = task.get_result(result.id)
        if result.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED):
            return result
        time.sleep(0.1)
    pytest.fail(f"task {result.id} never finished (worker exit code {worker.poll()}):\n"
                f"{log_path.read_text(errors='replace')[-3000:]}")


@pytest.mark.django_db(transaction=True)
def test_the_rq_worker_returns_results_retries_failures_runs_delayed_tasks_and_builds_exports(rq, settings):
    queue, worker, log = rq
    traces = redis.Redis.from_url(REDIS_URL)

    sum_task = rq_tasks.add.using(queue_name=queue)
    result = finished(sum_task, sum_task.enqueue(2, 3), worker, log)
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == 5

    flaky = rq_tasks.fails_on_first_attempt.using(queue_name=queue)
    key = f"{queue}:attempts"
    result = finished(flaky, flaky.enqueue(key), worker, log)
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    assert result.return_value == 2 and int(traces.get(key)) == 2

    run_after = timezone.now() + timedelta(seconds=2)
    delayed = rq_tasks.note_when_run.using(queue_name=queue, run_after=run_after)
    pending = delayed.enqueue(f"{queue}:ran")
    assert delayed.get_result(pending.id).status == TaskResultStatus.READY
    result = finished(delayed, pending, worker, log)
    assert result.status == TaskResultStatus.SUCCESSFUL
    # It waited for its time (RQ schedules to the whole second, so up to a second early).
    assert result.return_value >= run_after.timestamp() - 1

    from reports.tasks import build_export

    manager = f.make_user("manager", roles.MANAGER)
    job = ExportJob.objects.create(requested_by=manager, exporter="dashboard", file_format="csv",
                                   params={"filters": {}, "object_id": None})
    export = build_export.using(queue_name=queue)
    result = finished(export, export.enqueue(job.pk), worker, log)
    job.refresh_from_db()
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == job.pk
    assert job.status == ExportJob.Status.DONE, job.error
    assert job.filename.endswith(".csv") and job.file.size > 0


def test_a_result_is_read_while_the_scheduler_moves_its_job_to_the_queue(settings):
    """RQ's scheduler takes a due job out of the ScheduledJobRegistry, then queues it. A result read in between
    sees the status "scheduled" and no scheduled time: django-tasks-rq alone raises NoSuchJobError there (it
    failed CI once, while a retry fell due); config.rq_tasks.RQBackend reads again and finds the job queued."""
    import threading

    import django_rq
    from django_tasks_rq.backend import Job
    from django_tasks_rq.backend import RQBackend as LibraryRQBackend
    from rq.exceptions import NoSuchJobError
    from rq.registry import ScheduledJobRegistry

    queue_name = use_rq_backend(settings)
    try:
        delayed = rq_tasks.note_when_run.using(queue_name=queue_name, run_after=timezone.now() + timedelta(hours=1))
        pending = delayed.enqueue(f"{queue_name}:ran")
        queue = django_rq.get_queue(queue_name, job_class=Job)
        job = Job.fetch(pending.id, connection=queue.connection)
        ScheduledJobRegistry(queue=queue).remove(job)  # the scheduler's first step
        library = LibraryRQBackend(alias="default", params=settings.TASKS["default"])
        with pytest.raises(NoSuchJobError):
            library.get_result(pending.id)

        second_step = threading.Timer(0.03, lambda: queue._enqueue_job(job))
        second_step.start()
        result = delayed.get_result(pending.id)
        second_step.join()
        assert result.status == TaskResultStatus.READY and result.task.run_after is None
    finally:
        forget_queue(queue_name)
