"""The message bus: each event goes to the handlers registered for its class, in order.

The registry is `services.handlers.HANDLERS`: event class -> handlers. Handlers keyed by
`model.Event` (the logged record) run for every event, after its own handlers, and get the
record as logged (id, type, payload, source, actor, timestamp) instead of the typed event.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from idolq.domain.model import Event
from idolq.services import handlers

if TYPE_CHECKING:
    from idolq.services.uow import UnitOfWork

Handler = Callable[[Any, "UnitOfWork"], None]
Registry = Mapping[type, Sequence[Handler]]


def registry() -> Registry:
    """The handlers a unit of work dispatches to unless it is given its own."""
    return handlers.HANDLERS


def handle(event: Any, logged: Event, uow: UnitOfWork, registry: Registry) -> None:
    for handler in registry.get(type(event), ()):
        handler(event, uow)
    for handler in registry.get(Event, ()):
        handler(logged, uow)
