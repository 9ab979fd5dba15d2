"""Small tasks for the RQ worker test (tests/test_rq_worker.py); they keep their traces in Redis,
which the test and the worker process both reach."""

import time

import redis
from django.conf import settings
from django_tasks import task


def _redis():
    return redis.Redis.from_url(settings.REDIS_URL)


@task()
def add(a: int, b: int) -> int:
    return a + b


@task()
def fails_on_first_attempt(key: str) -> int:
    """Raises the first time (as a task does when its database restarts under it), then succeeds."""
    attempt = _redis().incr(key)
    if attempt == 1:
        raise RuntimeError("the first attempt fails")
    return attempt


@task()
def note_when_run(key: str) -> float:
    ran = time.time()
    _redis().set(key, ran)
    return ran


@task()
def hold_until_released(key: str) -> int:
    """Counts its attempts, then waits until `<key>:go` is set: a task that is surely running when its
    worker is killed (.ci/cluster_check.py)."""
    connection = _redis()
    attempt = connection.incr(f"{key}:started")
    while not connection.get(f"{key}:go"):
        time.sleep(0.05)
    return attempt
