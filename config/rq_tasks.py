"""Tasks on Redis through RQ (TASKS_BACKEND=rq): what django-tasks-rq leaves to RQ's defaults.

django-tasks has no retry of its own and django-tasks-rq enqueues every job without one, so a task that
raised, or whose worker died (a machine lost, `kill -9`, out of memory), would stay failed. Every job
made through `RetryingQueue` carries RQ's `Retry` instead: TASK_RETRIES more attempts, TASK_RETRY_SECONDS
apart (a delayed retry waits in RQ's scheduler, so workers run with `--with-scheduler`; `manage.py
task_worker` passes it). A worker that died mid-task leaves its job in RQ's StartedJobRegistry; once the
job's heartbeat expires, the next maintenance round of any living worker finds it abandoned and retries
it. RQ's own timings make that take up to about 18 minutes (a 90-second heartbeat, maintenance every 10
minutes, an idle worker asleep for 405 seconds); `Worker` shortens them from settings:
RQ_HEARTBEAT_SECONDS (a job is abandoned after three missed heartbeats) and RQ_MAINTENANCE_SECONDS.

Our tasks are written to be run again: an export rebuilds its file, an import that finds its own earlier
run cleans up after it (qa.imports), scheduled jobs decide themselves what is due (qa.periodic).
"""

import time

from django.conf import settings
from django_rq.queues import DjangoRQ
from django_tasks_rq.backend import RQBackend as LibraryRQBackend
from rq import Retry
from rq.exceptions import NoSuchJobError
from rq.worker import Worker as RQWorker

MOVE_READS = 5  # how many times a result is read while RQ moves its job between registries


class RetryingQueue(DjangoRQ):
    def create_job(self, *args, retry=None, **kwargs):
        if retry is None and settings.TASK_RETRIES > 0:
            retry = Retry(max=settings.TASK_RETRIES, interval=settings.TASK_RETRY_SECONDS)
        return super().create_job(*args, retry=retry, **kwargs)


class RQBackend(LibraryRQBackend):
    """django-tasks-rq's backend, with results read safely while a job changes place.

    The library reads a job, and when its status is "scheduled" reads the job's time from RQ's
    ScheduledJobRegistry in a second round trip. A deferred task falling due, or a failed one whose retry
    is due, is moved out of that registry by RQ's scheduler in between; the second read then raises
    NoSuchJobError for a job that exists. That raced in CI, and would in `qa.tasks.chain_alive`, which asks
    after the periodic tick while it is deferred. Reading again finds the job where it now is.
    """

    def get_result(self, result_id: str):
        for attempt in range(MOVE_READS):
            try:
                return super().get_result(result_id)
            except NoSuchJobError:
                if attempt == MOVE_READS - 1:
                    raise
                time.sleep(0.02 * (attempt + 1))


class Worker(RQWorker):
    """RQ's forking worker with the heartbeat and maintenance intervals from settings."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("job_monitoring_interval", settings.RQ_HEARTBEAT_SECONDS)
        kwargs.setdefault("maintenance_interval", settings.RQ_MAINTENANCE_SECONDS)
        super().__init__(*args, **kwargs)

    def get_heartbeat_ttl(self, job, working_time: float = 0.0) -> int:
        """Three missed heartbeats, not RQ's fixed extra minute, before a job counts as abandoned."""
        interval = self.job_monitoring_interval
        if job.timeout and job.timeout > 0:
            interval = max(1, min(job.timeout - working_time, interval))
        return int(interval * 3) + 1

    @property
    def dequeue_timeout(self) -> int:
        """An idle worker wakes for its maintenance round instead of waiting on Redis for 405 seconds."""
        return max(1, min(self.worker_ttl - 15, self.maintenance_interval))
