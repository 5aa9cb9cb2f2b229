"""Turning command-line text into the values services take."""

from __future__ import annotations

import os

from idolq import clock
from idolq.domain import policy, values


def resolve_actor(actor: str | None) -> str:
    """`--actor`/IDOLQ_ACTOR, else human:$USER; an unusable name is refused (InvalidValue)."""
    if actor and actor.strip():
        return values.check_actor(actor)
    return values.check_actor(f"human:{os.environ.get('USER') or 'unknown'}")


def new_task(title: str, task_type: str, content_type: str | None, priority: str,
             tier: str | None, agent: int | None, deadline: str | None,
             description: str | None, depends_on: list[str], estimate: float | None):
    """A services.tasks.NewTask from `task create`'s options."""
    from idolq.services.tasks import NewTask

    kind = values.parse_task_type(task_type)
    return NewTask(
        title=values.check_title(title),
        task_type=kind,
        content_type=values.parse_content_type(content_type),
        priority=values.parse_priority(priority),
        review_tier=values.parse_tier(tier) if tier is not None else policy.TYPE_DEFAULT,
        agent=agent,
        deadline=parse_optional_time(deadline),
        description=values.check_text("description", description),
        depends_on=[values.parse_task_ref(ref) for ref in depends_on],
        estimated_hours=values.parse_positive_number("estimate", estimate),
    )


def parse_optional_time(text: str | None) -> str | None:
    if text is None:
        return None
    return values.format_time(values.parse_time(text, now=clock.now()))


def parse_event_type(text: str | None) -> str | None:
    """An event type (task.created) or a family (task.*); unknown names are refused."""
    from idolq.domain.errors import InvalidValue
    from idolq.domain.events import ALL

    if text is None:
        return None
    value = text.strip().lower()
    family = value.removesuffix("*").removesuffix(".")
    if value in ALL or (value.endswith("*") and any(t.startswith(family + ".") for t in ALL)):
        return value
    raise InvalidValue(f"unknown event type {text!r}: use one of {', '.join(ALL)} or a family "
                       "such as task.*")


def parse_command_line(text: str | None) -> list[str] | None:
    """A command as a shell would split it (`notify add --command`); unbalanced quotes are
    an invalid value."""
    import shlex

    from idolq.domain.errors import InvalidValue

    if text is None:
        return None
    try:
        return shlex.split(text)
    except ValueError as error:
        raise InvalidValue(f"invalid command {text!r}: {error}") from None


def parse_optional_moment(text: str | None):
    """A time as a datetime (UTC), or None."""
    if text is None:
        return None
    return values.parse_time(text, now=clock.now())
