"""Background work of the evaluation workflow, run by the task worker (`manage.py db_worker`),
and the periodic tick that runs every job registered in qa.periodic.

The tick uses only the django-tasks API (`enqueue`, `using(run_after=...)`, `get_result`), so it runs
on any backend that can defer a task (the database backend here; an RQ backend with its scheduler).

How there is always one live tick, with no cron and no extra service:
- `migrate` (post_migrate, which `make run` and `make serve` run before starting the worker) and the
  first request of each web process, then at most once per PERIODIC_TICK_SECONDS, call
  `ensure_tick()`. It starts a chain only when none is alive: no pending or running tick is on record,
  or the one on record is gone or finished without handing on.
- Each tick moves the PeriodicTick row from its generation to the next with a conditional UPDATE;
  only the winner runs the jobs and enqueues its successor. So two workers, or two web processes
  both deciding to start a chain, never make two chains: the loser's tick finds the row moved on
  and stops without running anything (qa.models.PeriodicTick).
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from qa import imports, periodic
from qa.models import InteractionImport, PeriodicTick

log = logging.getLogger(__name__)

ALIVE = (TaskResultStatus.READY, TaskResultStatus.RUNNING)
HANDOVER_GRACE = timedelta(minutes=2)  # a tick that has claimed its turn enqueues its successor within this


@task()
def run_interaction_import(import_id: int) -> int:
    imports.run(InteractionImport.objects.get(pk=import_id))
    return import_id


def interval() -> timedelta:
    return timedelta(seconds=max(int(settings.PERIODIC_TICK_SECONDS), 1))


def run_jobs(now) -> dict:
    """Run every registered job with `now`; one job's failure is logged and kept, the others still run."""
    failed = {}
    for name, fn in periodic.jobs().items():
        try:
            fn(now)
        except Exception as exc:  # noqa: BLE001 - one job must never stop the others
            log.exception("periodic job %r failed", name)
            failed[name] = f"{exc.__class__.__name__}: {exc}"[:300]
    return failed


def enqueue_tick(generation: int, run_after) -> None:
    result = periodic_tick.using(run_after=run_after).enqueue(generation)
    PeriodicTick.objects.filter(pk=1, generation=generation).update(result_id=result.id, updated_at=timezone.now())


@task()
def periodic_tick(generation: int) -> dict:
    """One tick: claim this generation's turn, enqueue the next tick, then run the jobs."""
    now = timezone.now()
    following = now + interval()
    claimed = PeriodicTick.objects.filter(pk=1, generation=generation).update(
        generation=F("generation") + 1, result_id="", run_after=following, last_run_at=now, updated_at=now)
    if not claimed:
        log.info("periodic tick %s superseded by another chain; not running", generation)
        return {"ran": False}
    enqueue_tick(generation + 1, following)  # first, so a job that hangs cannot end the chain
    failed = run_jobs(now)
    PeriodicTick.objects.filter(pk=1).update(last_errors=[{"job": k, "error": v} for k, v in failed.items()])
    return {"ran": True, "failed": sorted(failed)}


def can_schedule() -> bool:
    """Only a backend that can defer a task keeps a chain (the immediate backend of the tests cannot)."""
    return bool(periodic_tick.get_backend().supports_defer)


def chain_alive(row, now) -> bool:
    if not row.result_id:  # a tick claimed its turn and is enqueueing its successor, or died doing so
        return row.updated_at is not None and now - row.updated_at < HANDOVER_GRACE
    try:
        return periodic_tick.get_result(row.result_id).status in ALIVE
    except TaskResultDoesNotExist:
        return False


def ensure_tick(now=None) -> bool:
    """Start a chain of ticks unless one is alive. True when this call started one."""
    if not can_schedule():
        return False
    now = now or timezone.now()
    row, _created = PeriodicTick.objects.get_or_create(pk=1)
    if row.generation and chain_alive(row, now):
        return False
    following = now + interval()
    won = PeriodicTick.objects.filter(pk=1, generation=row.generation).update(
        generation=row.generation + 1, result_id="", run_after=following, updated_at=now)
    if not won:  # another process started it a moment ago
        return False
    log.info("starting the periodic tick (generation %s)", row.generation + 1)
    enqueue_tick(row.generation + 1, following)
    return True


_last_check = [float("-inf")]


def ensure_tick_now_and_then(**kwargs) -> None:
    """On a web process's requests (request_started): check the chain once per PERIODIC_TICK_SECONDS."""
    moment = time.monotonic()
    if moment - _last_check[0] < interval().total_seconds():
        return
    _last_check[0] = moment
    try:
        ensure_tick()
    except Exception:  # noqa: BLE001 - a page must never fail because the tick could not be checked
        log.exception("could not check the periodic tick")


def ensure_tick_after_migrate(plan=None, using="default", **kwargs) -> None:
    """After `migrate` (never after `flush`, which sends the same signal without a plan)."""
    if plan is None:
        return
    try:
        ensure_tick()
    except Exception:  # noqa: BLE001 - a migration must not fail on it; the first request retries
        log.exception("could not start the periodic tick after migrate")
