"""Turning command-line text into the values services take."""

from __future__ import annotations

import os
import re

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
        deadline=parse_future_time(deadline),
        description=values.check_text("description", description),
        depends_on=[values.parse_task_ref(ref) for ref in depends_on],
        estimated_hours=values.parse_positive_number("estimate", estimate),
    )


def parse_optional_time(text: str | None, prefer: str = "past") -> str | None:
    """An ISO time, or a relative one people type (`yesterday`, `in 2h`, `1w`)."""
    if text is None:
        return None
    return values.format_time(parse_moment(text, prefer))


def parse_future_time(text: str | None) -> str | None:
    """A time ahead (`--deadline 1w` is a week from now)."""
    return parse_optional_time(text, prefer="future")


def parse_moment(text: str, prefer: str = "past"):
    """ISO 8601 first (fast); else dateparser, imported only then. `prefer` says which way a
    bare duration (`2h`, `1w`) points: `past` for --since, `future` for --deadline."""
    from idolq.domain.errors import InvalidValue

    try:
        return values.parse_time(text, now=clock.now())
    except InvalidValue as error:
        if ISO_SHAPED.match(text.strip()):  # a date written as ISO: its own error stands
            raise
        moment = _natural_time(text, prefer)
        if moment is None:
            raise InvalidValue(f"{error.message}, or a relative time such as yesterday, "
                               "in 2h, 1w") from None
        if not values.EARLIEST_TIME <= moment < values.LATEST_TIME:
            raise InvalidValue(f"invalid time {text!r}: out of range") from None
        return moment


ISO_SHAPED = re.compile(r"[+-]?\d{4}-\d")
BARE_DURATION = re.compile(r"\d+(\.\d+)?\s*[A-Za-z]+")


def _natural_time(text: str, prefer: str):
    from datetime import UTC

    try:
        import dateparser
    except ImportError:  # pragma: no cover - a dependency, but fail soft
        return None
    now = clock.now()
    settings = {"RELATIVE_BASE": now.astimezone().replace(tzinfo=None),
                "PREFER_DATES_FROM": prefer, "RETURN_AS_TIMEZONE_AWARE": True}
    cleaned = text.strip()
    if BARE_DURATION.fullmatch(cleaned):  # `--since 1w` is a week back, `--deadline 2h` ahead
        cleaned = f"{cleaned} ago" if prefer == "past" else f"in {cleaned}"
    moment = dateparser.parse(cleaned, languages=["en"], settings=settings)
    return moment.astimezone(UTC) if moment is not None else None


def warn_if_past(name: str, when: str | None) -> None:
    """A time in the past is accepted (it may be on purpose) but said aloud on stderr."""
    if when is not None and when < values.format_time(clock.now()):
        from idolq.cli.output import print_warning

        print_warning(f"the {name} {when} is already past")


def edits(title, description, priority, deadline, content_type, estimate,
          warn: bool = True) -> dict:
    """`task edit`'s options as the changes edit_task takes (only those given)."""
    changes: dict = {}
    if title is not None:
        changes["title"] = values.check_title(title)
    if description is not None:
        changes["description"] = values.check_text("description", description) or None
    if priority is not None:
        changes["priority"] = values.parse_priority(priority)
    if deadline is not None:
        changes["deadline"] = (None if deadline.strip().lower() in ("none", "")
                               else parse_future_time(deadline))
        if warn:
            warn_if_past("deadline", changes["deadline"])
    if content_type is not None:
        changes["content_type"] = values.parse_content_type(content_type)
    if estimate is not None:
        changes["estimated_hours"] = values.parse_positive_number("estimate", estimate)
    return changes


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


def parse_optional_moment(text: str | None, prefer: str = "past"):
    """A time as a datetime (UTC), or None."""
    if text is None:
        return None
    return parse_moment(text, prefer)
