"""Jobs that run on a schedule with the task worker (no cron, no extra service on one machine).

Apps register a job in their `AppConfig.ready()`: `periodic.register("plan reminders", send_due_reminders)`.
A job is called with the current time (`fn(now)`) on every tick and must be idempotent: it decides itself
what is due and records what it did, so that a tick run twice, or by two workers at once, sends nothing twice
(scheduled reports keep a database constraint per subscription and period for that).
The tick task that calls the jobs, and what keeps it running, live in `qa/tasks.py`."""

_jobs: dict = {}


def register(name: str, fn):
    """Run fn(now) on every tick. The name is shown in logs and errors."""
    _jobs[name] = fn
    return fn


def unregister(name: str):
    """Take a job out again (tests that register one of their own)."""
    _jobs.pop(name, None)


def jobs() -> dict:
    return dict(_jobs)
