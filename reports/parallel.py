"""Run a report's independent queries side by side, each on its own database connection.

A dashboard over 100,000 evaluations is a handful of scans that do not depend on
one another (section means, failed items, rankings, trend). One after the other
they take most of a second; SQLite and the PostgreSQL driver both release the
GIL while a query runs, so on two cores two threads finish them in about half.

The threads are a small pool shared by the process. Django's connections are per
thread, so each call opens its own and closes it when done: an idle pool keeps no
connection open (a few milliseconds to connect, against hundreds saved).

Everything runs in the calling thread instead when:
- REPORT_QUERY_THREADS is 1 (turned off);
- the caller is inside a transaction: another connection would not see its
  uncommitted rows (tests run this way) nor read from the same snapshot.
"""

from concurrent.futures import ThreadPoolExecutor
from threading import Lock

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation

_pool: ThreadPoolExecutor | None = None
_pool_lock = Lock()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=settings.REPORT_QUERY_THREADS - 1,
                                       thread_name_prefix="report-query")
        return _pool


def enabled() -> bool:
    return settings.REPORT_QUERY_THREADS > 1 and not connection.in_atomic_block


def _in_context(call, zone, language):
    """Run `call` in a pool thread with the caller's time zone and language (both are
    per thread in Django) and a connection of its own, released afterwards."""
    def run():
        try:
            with timezone.override(zone), translation.override(language):
                return call()
        finally:
            connection.close()
    return run


def side_by_side(*calls):
    """The results of `calls`, in order. The first runs in this thread, the others in the pool."""
    if not enabled() or len(calls) < 2:
        return [call() for call in calls]
    zone, language = timezone.get_current_timezone(), translation.get_language()
    futures = [_executor().submit(_in_context(call, zone, language)) for call in calls[1:]]
    try:
        first = calls[0]()
    finally:
        others = [future.result() for future in futures]  # wait even if ours failed: their connections
    return [first, *others]
