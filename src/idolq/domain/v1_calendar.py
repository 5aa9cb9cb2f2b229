"""Reading V1's content calendar rows: when each one is, and which task it names."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from idolq.domain.values import format_time

ZONES = {"JST": timezone(timedelta(hours=9)), "UTC": UTC, "GMT": UTC}
DEFAULT_ZONE = "JST"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LAST_UPDATED = re.compile(r"Last Updated:?\**:?\s*(\d{4})-\d{2}-\d{2}", re.IGNORECASE)
MONTH_DAY = re.compile(r"^(?:[a-z]+\.?\s+)?(\d{1,2})/(\d{1,2})(?:/(\d{4}))?$", re.IGNORECASE)
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
RELATIVE = re.compile(r"^day\s+(\d{1,4})$", re.IGNORECASE)
TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*([ap]m)?(?:\s+([a-z]{2,4}))?$", re.IGNORECASE)
ZONE_IN_HEADER = re.compile(r"\(([a-z]{2,4})\)", re.IGNORECASE)
CODE = re.compile(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+[A-Z]?\b")


class Unplaceable(ValueError):
    """A row that cannot be put at a time without guessing; the message says why."""


def year_in(text: str) -> int | None:
    """The year of the file's "Last Updated" header, if it has one."""
    match = LAST_UPDATED.search(text)
    return int(match.group(1)) if match else None


def _strip(text: str) -> str:
    return text.replace("**", "").replace("__", "").strip()


def day_of(text: str, year: int | None, start: date | None) -> date:
    """The date a Day/Date cell names: "Mon 1/13" (in `year`), 2026-01-13, or "Day N"
    (day 1 is `start`)."""
    value = _strip(text)
    if match := ISO_DATE.match(value):
        return _date(int(match.group(1)), int(match.group(2)), int(match.group(3)), value)
    if match := MONTH_DAY.match(value):
        given = int(match.group(3)) if match.group(3) else year
        if given is None:
            raise Unplaceable(f"{value!r} has no year and the file has no Last Updated date "
                              "(give --year)")
        on = _date(given, int(match.group(1)), int(match.group(2)), value)
        _check_weekday(value, on)
        return on
    if match := RELATIVE.match(value):
        if start is None:
            raise Unplaceable(f"{value!r} is relative to a start date (give --start DATE)")
        return start + timedelta(days=int(match.group(1)) - 1)
    if not value or value.upper() == "TBD":
        raise Unplaceable("the date is to be decided (TBD)")
    if value.lower()[:3] in WEEKDAYS:
        raise Unplaceable(f"{value!r} is a weekday, not a date")
    raise Unplaceable(f"{value!r} is not a date")


def _check_weekday(text: str, on: date) -> None:
    """"Mon 1/13" must be a Monday: else the year is wrong, and the row is not placed."""
    named = text.split()[0].lower().rstrip(".")[:3] if " " in text else ""
    if named in WEEKDAYS and WEEKDAYS.index(named) != on.weekday():
        actual = on.strftime("%A")
        raise Unplaceable(f"{text!r} is a {actual} in {on.year} (give the right --year)")


def _date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise Unplaceable(f"{text!r} is not a date") from None


def scheduled_at(on: date, time_text: str, header: str) -> str:
    """The UTC ISO 8601 time of a row: its time, in the zone written after it, else the
    zone in the column's header ("Time (JST)"), else JST."""
    value = _strip(time_text)
    match = TIME.match(value)
    if not match:
        raise Unplaceable(f"time {value!r} is not a time" if value else "the row has no time")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    half = (match.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise Unplaceable(f"time {value!r} is not a time")
        hour = hour % 12 + (12 if half == "pm" else 0)
    header_zone = ZONE_IN_HEADER.search(header)
    name = (match.group(4) or (header_zone.group(1) if header_zone else DEFAULT_ZONE)).upper()
    if name not in ZONES:
        raise Unplaceable(f"time zone {name} is not known (use JST or UTC)")
    if hour > 23 or minute > 59:
        raise Unplaceable(f"time {value!r} is not a time")
    local = datetime(on.year, on.month, on.day, hour, minute, tzinfo=ZONES[name])
    return format_time(local)


def codes_in(values: dict[str, str]) -> list[str]:
    """Task codes a row names: its Content ID / ID column first, then its content."""
    found = []
    for key in ("content id", "id", "content", "task"):
        for code in CODE.findall(_strip(values.get(key, ""))):
            if code not in found:
                found.append(code)
    return found


def label(values: dict[str, str], key: str) -> str | None:
    value = _strip(values.get(key, ""))
    return value or None
