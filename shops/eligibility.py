"""Whether a shopper may take a visit: the one list of checks run on accepting, claiming, applying and planning.

Each check is `check(shopper, assignment) -> str | None`: None when it passes, else a sentence that says why,
written for whoever reads it: to the shopper ("You visited…") inside `addressing_shopper()`, else about the
shopper by name for a planner. shops holds the built-in check (the
assignment's own "bar shoppers who visited in the last N days"); apps above register theirs at start-up
(pool: programme lockout, open visits at once, minimum rating, conflict list, qualifications, barred shoppers)
without shops importing them."""

import contextlib
import contextvars

_checks: list = []
# While checking many visits at once (a page listing them), what a check read of a shopper is kept here and
# reused; outside `many()` nothing is kept, so taking a visit always checks what the database says then.
_memory: contextvars.ContextVar = contextvars.ContextVar("eligibility_memory", default=None)
# Who reads the reasons: the shopper themself ("You visited…") inside `addressing_shopper()`, else a planner
# ("Jess Carter visited…").
_to_shopper: contextvars.ContextVar = contextvars.ContextVar("eligibility_to_shopper", default=False)


@contextlib.contextmanager
def addressing_shopper():
    """The reasons given within the block are read by the shopper: checks say "you", not the shopper's name."""
    token = _to_shopper.set(True)
    try:
        yield
    finally:
        _to_shopper.reset(token)


def to_shopper() -> bool:
    """Whether the reasons being written are for the shopper's own eyes (see `addressing_shopper`)."""
    return _to_shopper.get()


@contextlib.contextmanager
def many():
    """Check many visits (for one page): checks may reuse what they read of a shopper within the block."""
    token = _memory.set({})
    try:
        yield
    finally:
        _memory.reset(token)


def remembered(key, compute):
    """`compute()`, kept under `key` for the rest of a `many()` block (computed every time outside one)."""
    memory = _memory.get()
    if memory is None:
        return compute()
    if key not in memory:
        memory[key] = compute()
    return memory[key]


def remember(key, value) -> None:
    """Keep `value` under `key` for the rest of the current `many()` block (nothing outside one): for a caller that
    read what many checks need in one go."""
    memory = _memory.get()
    if memory is not None:
        memory[key] = value


class RecentVisit(str):
    """A reason that refuses the visit because the shopper visited the location (or will) too recently, with the
    first day it no longer holds (`lifts_on`). The assignment's own bar and a programme's lockout may both refuse
    one visit this way, each with its own period; `refusals` then keeps only the one that lifts last, so the
    shopper and the planner read one period, the one that decides, not two that disagree."""

    lifts_on = None

    def __new__(cls, text, lifts_on):
        reason = super().__new__(cls, text)
        reason.lifts_on = lifts_on
        return reason


def strictest_recent_visit(reasons: list) -> list:
    """The reasons with at most one RecentVisit: the one that lifts last (on the same day, the later check's,
    a programme's lockout, which names the day it lifts)."""
    recent = [r for r in reasons if isinstance(r, RecentVisit)]
    if len(recent) < 2:
        return reasons
    keep = max(reversed(recent), key=lambda r: r.lifts_on)
    return [r for r in reasons if not isinstance(r, RecentVisit) or r is keep]


def register(check) -> None:
    if check not in _checks:
        _checks.append(check)


# What apps above shops say of a shopper where a planner picks one (pool: the rating and its basis), without
# shops importing them: callables (shopper ids) -> {shopper id: short text}, each answering for many at once.
_notes = []


def register_notes(provider) -> None:
    if provider not in _notes:
        _notes.append(provider)


def notes(shopper_ids) -> dict[int, str]:
    """{shopper id: "note · note"} from every registered provider, for the shoppers given."""
    shopper_ids = list(shopper_ids)
    found: dict[int, list[str]] = {}
    for provider in _notes:
        for pk, text in provider(shopper_ids).items():
            if text:
                found.setdefault(pk, []).append(str(text))
    return {pk: " · ".join(texts) for pk, texts in found.items()}


def refusals(shopper, assignment) -> list[str]:
    """Every reason this shopper may not take this visit now; empty when they may. Of the reasons that are a
    recent visit to the location, only the strictest (see RecentVisit)."""
    from shops.services import bar_reason

    reasons = []
    own = bar_reason(shopper, assignment.location, assignment.bar_days)
    if own:
        reasons.append(own)
    for check in _checks:
        reason = check(shopper, assignment)
        if reason:
            reasons.append(reason)
    return strictest_recent_visit(reasons)


def refusal(shopper, assignment) -> str | None:
    """The reasons as one message, or None."""
    reasons = refusals(shopper, assignment)
    return " ".join(reasons) if reasons else None
