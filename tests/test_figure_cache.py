"""reports.figure_cache: the report cache computes a report once at a time, however many ask together."""

import threading
import time

import pytest
from django.core.cache import cache

from reports import figure_cache


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


def ask_together(n, compute, key="report:test"):
    """n threads asking for the same key at once; their answers in order of thread."""
    start = threading.Barrier(n)
    answers = [None] * n

    def ask(i):
        start.wait()
        try:
            answers[i] = figure_cache.get_or_compute(key, 60, compute)
        except Exception as exc:  # noqa: BLE001  (the test reads what each asker got)
            answers[i] = exc

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return answers


def test_many_asking_at_once_compute_it_once_and_all_get_the_figures():
    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.3)
        return {"count": 42}

    answers = ask_together(8, compute)
    assert answers == [{"count": 42}] * 8
    assert len(calls) == 1
    assert cache.get("report:test") == {"count": 42}
    assert cache.get(figure_cache.lock_key("report:test")) is None


def test_when_the_first_computation_fails_the_others_compute_it_themselves():
    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.2)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return {"count": 7}

    answers = ask_together(3, compute)
    failed = [a for a in answers if isinstance(a, RuntimeError)]
    assert len(failed) == 1 and answers.count({"count": 7}) == 2
    assert cache.get(figure_cache.lock_key("report:test")) is None  # the failure let go of its lock


def test_a_lock_left_by_a_dead_computation_delays_nobody_past_the_wait(monkeypatch):
    monkeypatch.setattr(figure_cache, "WAIT_SECONDS", 0.3)
    cache.add(figure_cache.lock_key("report:test"), 1, 60)  # a process that died while computing
    started = time.monotonic()
    assert figure_cache.get_or_compute("report:test", 60, lambda: {"count": 1}) == {"count": 1}
    assert time.monotonic() - started < 2
