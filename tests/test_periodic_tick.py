"""The periodic tick (qa.tasks.periodic_tick) run by the real database task worker (`db_worker --batch`):
every registered job runs with the tick's time, one failing job stops none of the others, the tick
enqueues the next one PERIODIC_TICK_SECONDS later, and there is only ever one live chain."""

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from qa import periodic, tasks
from qa.models import PeriodicTick

pytestmark = pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections

TICK = "qa.tasks.periodic_tick"
seen = []


def good(now):
    seen.append(("good", now))


def broken(now):
    raise RuntimeError("the mail server is down")


def later(now):
    seen.append(("later", now))


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.PERIODIC_TICK_SECONDS = 300
    PeriodicTick.objects.all().delete()  # `migrate` started a chain in the test database; start from none
    DBTaskResult.objects.all().delete()
    seen.clear()
    for name, fn in (("good", good), ("broken", broken), ("later", later)):
        periodic.register(name, fn)
    yield
    for name in ("good", "broken", "later"):
        periodic.unregister(name)


def pending():
    return DBTaskResult.objects.filter(task_path=TICK, status="READY")


def run_due_ticks():
    """What time passing does: the pending tick becomes due; then the real worker runs what is due."""
    pending().update(run_after=timezone.now() - timedelta(seconds=1))
    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)


def test_ensure_starts_one_chain_and_a_second_call_adds_nothing():
    assert tasks.ensure_tick() is True
    assert tasks.ensure_tick() is False
    assert pending().count() == 1
    tick = pending().get()
    assert timedelta(seconds=290) < tick.run_after - timezone.now() <= timedelta(seconds=300)


def test_a_tick_runs_every_job_despite_one_failing_and_enqueues_the_next(caplog):
    tasks.ensure_tick()
    with caplog.at_level(logging.ERROR, logger="qa.tasks"):
        run_due_ticks()
    assert [name for name, _now in seen] == ["good", "later"]
    assert seen[0][1] == seen[1][1]  # both given the same `now`
    assert "periodic job 'broken' failed" in caplog.text
    row = PeriodicTick.objects.get()
    assert row.last_errors == [{"job": "broken", "error": "RuntimeError: the mail server is down"}]
    ran = DBTaskResult.objects.filter(task_path=TICK, status="SUCCESSFUL").get()
    assert ran.return_value == {"ran": True, "failed": ["broken"]}
    nxt = pending().get()  # exactly one pending tick, five minutes on
    assert timedelta(seconds=290) < nxt.run_after - timezone.now() <= timedelta(seconds=300)
    assert row.result_id == str(nxt.id) and tasks.ensure_tick() is False

    run_due_ticks()  # and the chain goes on
    assert len(seen) == 4 and pending().count() == 1


def test_a_second_chain_never_runs_the_jobs_twice():
    tasks.ensure_tick()
    generation = PeriodicTick.objects.get().generation
    # A second chain, as two workers or two web processes racing to start one could make:
    tasks.periodic_tick.using(run_after=timezone.now() + timedelta(seconds=300)).enqueue(generation)
    assert pending().count() == 2
    run_due_ticks()
    assert [name for name, _now in seen] == ["good", "later"]  # one tick ran the jobs; the other stood down
    results = sorted(r.return_value["ran"] for r in DBTaskResult.objects.filter(task_path=TICK, status="SUCCESSFUL"))
    assert results == [False, True]
    assert pending().count() == 1


def test_a_lost_tick_is_replaced_and_a_stale_one_stands_down():
    tasks.ensure_tick()
    stale = pending().get()
    DBTaskResult.objects.filter(pk=stale.pk).update(status="FAILED")  # e.g. killed with its worker
    assert tasks.ensure_tick() is True
    assert pending().count() == 1
    DBTaskResult.objects.filter(pk=stale.pk).update(status="READY")  # and if the old one ever runs after all
    run_due_ticks()
    assert [name for name, _now in seen] == ["good", "later"]


def test_no_chain_on_a_backend_that_cannot_defer(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert tasks.ensure_tick() is False
    assert not PeriodicTick.objects.exists() and not seen


def test_a_tick_handing_over_is_left_alone_until_the_grace_has_passed():
    now = timezone.now()
    PeriodicTick.objects.create(pk=1, generation=4, result_id="", updated_at=now)
    PeriodicTick.objects.filter(pk=1).update(updated_at=now)  # a tick just claimed its turn
    assert tasks.ensure_tick(now + timedelta(seconds=30)) is False
    assert tasks.ensure_tick(now + tasks.HANDOVER_GRACE + timedelta(seconds=1)) is True  # it died doing so
    assert PeriodicTick.objects.get().generation == 5 and pending().count() == 1
