"""Parsing and checking the values users type: priorities, tiers, times, names."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from idolq.domain.errors import InvalidValue
from idolq.domain.model import ReviewStatus, TaskStatus
from idolq.domain.policy import DS_RATING_RANGE

TASK_TYPE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,23}$")
# CONTENT-007, and codes kept from V1 such as COORD-VIB-001B.
TASK_CODE_PATTERN = re.compile(
    r"^[A-Za-z][A-Za-z0-9_]{0,23}(?:-[A-Za-z0-9_]{1,24}){0,3}-\d+[A-Za-z]?$")
MAX_TITLE_LENGTH = 500
MAX_TEXT_LENGTH = 20_000
MAX_ACTOR_LENGTH = 200
# Times idolq accepts: far enough from the calendar's ends that an offset or a limit added
# to them never leaves it.
EARLIEST_TIME = datetime(1900, 1, 1, tzinfo=UTC)
LATEST_TIME = datetime(9999, 1, 1, tzinfo=UTC)
MAX_NUMBER_DIGITS = 19  # 2**63 - 1 has 19: never hand int() thousands of digits


def parse_priority(text: str | int) -> int:
    value = str(text).strip().upper().removeprefix("P")
    if value in ("0", "1", "2", "3"):
        return int(value)
    raise InvalidValue(f"invalid priority {text!r}: use 0-3 or P0-P3")


MAX_TIER = 99


def parse_tier(text: str | int | None) -> int | None:
    """A tier number or `none`; whether the policy defines that tier is checked against it."""
    if text is None:
        return None
    value = str(text).strip().lower()
    if value in ("none", ""):
        return None
    if value.isdigit() and value.isascii() and int(value) <= MAX_TIER:
        return int(value)
    raise InvalidValue(f"invalid review tier {text!r}: use a tier number (1, 2, 3) or none")


def parse_review_type(text: str) -> str:
    value = text.strip().lower()
    if not TASK_TYPE_PATTERN.match(value):
        raise InvalidValue(
            f"invalid review type {text!r}: use a short word of letters, digits and _")
    return value


def parse_agent_number(value: int | str) -> int:
    text = str(value).strip()
    if text.isdigit() and text.isascii() and int(text) <= MAX_AGENT:
        return int(text)
    raise InvalidValue(f"invalid agent number {value!r}: use 0-{MAX_AGENT}")


MAX_AGENT = 999


def parse_task_type(text: str) -> str:
    value = text.strip().lower()
    if not TASK_TYPE_PATTERN.match(value):
        raise InvalidValue(
            f"invalid task type {text!r}: use a short word of letters, digits and _"
        )
    return value


def parse_content_type(text: str | None) -> str | None:
    if text is None:
        return None
    return parse_task_type(text)


def check_text(name: str, text: str | None, limit: int = MAX_TEXT_LENGTH) -> str | None:
    if text is None:
        return None
    if "\x00" in text:
        raise InvalidValue(f"invalid {name}: it contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidValue(f"invalid {name}: it is not valid UTF-8 text") from None
    if len(text) > limit:
        raise InvalidValue(f"invalid {name}: longer than {limit} characters")
    return text


def check_actor(text: str) -> str:
    """Who acts: a short name of printable characters (it is shown in every history)."""
    actor = check_text("actor", text.strip(), MAX_ACTOR_LENGTH)
    if not actor:
        raise InvalidValue("invalid actor: it is empty")
    if any(not char.isprintable() for char in actor):
        raise InvalidValue(f"invalid actor {actor!r}: it contains control characters")
    return actor


def check_title(text: str) -> str:
    title = check_text("title", text.strip(), MAX_TITLE_LENGTH)
    if not title:
        raise InvalidValue("invalid title: it is empty")
    return title


def parse_positive_number(name: str, value: float | None) -> float | None:
    if value is None:
        return None
    if not value > 0 or value == float("inf"):
        raise InvalidValue(f"invalid {name} {value!r}: it must be a positive number")
    return float(value)


def parse_ds_rating(value: float | None) -> float | None:
    if value is None:
        return None
    low, high = DS_RATING_RANGE
    if not low <= value <= high:
        raise InvalidValue(f"invalid ds rating {value!r}: it must be between 0 and 4")
    return float(value)


def parse_limit(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise InvalidValue(f"invalid limit {value}: it must be at least 1")
    return value


def parse_task_status(text: str) -> str:
    value = text.strip().lower()
    if value not in TaskStatus.__members__.values():
        choices = ", ".join(TaskStatus)
        raise InvalidValue(f"invalid task status {text!r}: use one of {choices}")
    return value


def parse_review_status(text: str) -> str:
    value = text.strip().lower()
    if value not in ReviewStatus.__members__.values():
        choices = ", ".join(ReviewStatus)
        raise InvalidValue(f"invalid review status {text!r}: use one of {choices}")
    return value


def parse_time(text: str, now: datetime | None = None) -> datetime:
    """An ISO 8601 time; without an offset it is local time (TZ); a bare date is 00:00.

    `now` is accepted as a word when the caller gives the current time.
    """
    value = text.strip()
    if now is not None and value.lower() == "now":
        return now
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            parsed = datetime(day.year, day.month, day.day)
        else:
            parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidValue(
            f"invalid time {text!r}: use ISO 8601, e.g. 2026-01-09T15:00:00+00:00 or 2026-01-09"
        ) from None
    try:
        if parsed.tzinfo is None:
            parsed = parsed.astimezone()  # the local zone, from TZ
        moment = parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        moment = None
    if moment is None or not EARLIEST_TIME <= moment < LATEST_TIME:
        raise InvalidValue(f"invalid time {text!r}: out of range (use a time between "
                           f"{EARLIEST_TIME.year} and {LATEST_TIME.year - 1})")
    return moment


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def minutes_between(start: str, end: str) -> float:
    delta = datetime.fromisoformat(end) - datetime.fromisoformat(start)
    return round(delta.total_seconds() / 60, 2)


MAX_ID = 2**63 - 1


def is_small_number(text: str) -> bool:
    """ASCII digits of a number SQLite can store (and int() can read quickly)."""
    return (text.isdigit() and text.isascii() and len(text) <= MAX_NUMBER_DIGITS
            and int(text) <= MAX_ID)


def parse_task_ref(text: str) -> int | str:
    """A task's number (`7`) or code (`CONTENT-007`, any case)."""
    value = text.strip()
    if is_small_number(value):
        return int(value)
    if TASK_CODE_PATTERN.match(value):
        return value.upper()
    raise InvalidValue(f"invalid task {text!r}: give its number (7) or code (CONTENT-007)")


def parse_review_ref(text: str) -> int:
    value = text.strip()
    if is_small_number(value):
        return int(value)
    raise InvalidValue(f"invalid review {text!r}: give its number")


def task_code(prefix_type: str, number: int) -> str:
    return f"{prefix_type.upper()}-{number:03d}"
