"""The report cache: figures kept REPORT_CACHE_SECONDS per reach and filters, computed once at a time.

When a report's figures expire, every manager who opens it in the next second would compute it again
side by side: on Monday morning, ten requests each spending a second of database and CPU on the same
figures, and everything else on the machine (a shopper's report being filed) waiting behind them. The
first request to miss takes a short lock in the cache (`cache.add`, atomic in Redis and in memory) and
computes; the others wait for its result, up to WAIT_SECONDS, and compute themselves only if it never
comes (the first one failed, or took longer than the lock lives). With the in-memory cache the lock
works within a process; with CACHE_URL (Redis) across every process and machine.
"""

import time

from django.core.cache import cache

LOCK_SECONDS = 60  # a computation that died leaves its lock this long at most
WAIT_SECONDS = 15
POLL_SECONDS = (0.02, 0.05, 0.1, 0.2)  # then every 0.2 s


def lock_key(key: str) -> str:
    return key + ":computing"


def get_or_compute(key: str, seconds: int, compute):
    """The cached value for key, or compute() stored for `seconds`; one computation at a time per key."""
    value = cache.get(key)
    if value is not None:
        return value
    if cache.add(lock_key(key), 1, LOCK_SECONDS):
        return _compute_and_store(key, seconds, compute)
    value = _wait_for(key)
    if value is not None:
        return value
    return _compute_and_store(key, seconds, compute, locked=False)


def _compute_and_store(key, seconds, compute, locked=True):
    try:
        value = compute()
        cache.set(key, value, seconds)
        return value
    finally:
        if locked:
            cache.delete(lock_key(key))


def _wait_for(key):
    deadline = time.monotonic() + WAIT_SECONDS
    step = 0
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS[min(step, len(POLL_SECONDS) - 1)])
        step += 1
        value = cache.get(key)
        if value is not None:
            return value
        if cache.get(lock_key(key)) is None:  # the computation ended without storing: one more look, then ours
            return cache.get(key)
    return None
