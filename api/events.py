"""The events a webhook may subscribe to: a registry, so apps can add theirs.

Each `Event` names what happened (`name`, e.g. "evaluation.released"), what it is called on screen, how to
find its object again (`lookup(object_id)`), whether a subscription's owner may see it (`visible(user, obj)`,
from qa.scoping: asked when the event happens, so that no delivery is made for an owner who may not see
it, and again when it is sent) and what is sent (`payload(user, obj)`, built then too,
as that owner sees it).

The api app connects each event to the signal or model change that raises it (api.signals) and calls
`api.webhooks.emit(name, object_id)`. Apps below api cannot import it: to add an event, send a signal of
your own (as plans does with `plans.signals.action_overdue` for "action_plan.overdue"), then register the
Event and connect that signal to `emit` in api.signals."""

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Event:
    name: str
    label: str
    lookup: Callable
    visible: Callable
    payload: Callable


_events: dict[str, Event] = {}


def register(event: Event) -> Event:
    _events[event.name] = event
    return event


def get(name: str) -> Event | None:
    return _events.get(name)


def all_events() -> list[Event]:
    return list(_events.values())


def choices() -> list[tuple[str, str]]:
    return [(event.name, event.label) for event in _events.values()]
