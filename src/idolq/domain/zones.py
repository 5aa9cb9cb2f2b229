"""The team's display zone: times are stored in UTC and shown in this zone.

Chosen by IDOLQ_TZ, else the database's `display_timezone` setting, else the local zone.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from idolq.domain.errors import InvalidValue

SETTING = "display_timezone"


def parse_zone(name: str) -> ZoneInfo:
    """An IANA zone name (Asia/Tokyo, UTC, Europe/Paris)."""
    value = name.strip()
    try:
        if not value or value.startswith(("/", ".")) or ".." in value:
            raise ValueError(value)
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidValue(
            f"invalid time zone {name!r}: use an IANA name such as Asia/Tokyo or UTC") from None


def display_zone(env_value: str | None, setting: str | None, local: tzinfo) -> tzinfo:
    """IDOLQ_TZ's value, else the database's setting, else the machine's zone."""
    if env_value and env_value.strip():
        return parse_zone(env_value)
    if setting:
        return parse_zone(setting)
    return local


def zone_name(zone: tzinfo) -> str:
    return getattr(zone, "key", None) or datetime.now(zone).tzname() or "local"


def to_zone(text: str | None, zone: tzinfo) -> datetime | None:
    """A stored UTC time as an aware datetime in the display zone."""
    if text is None:
        return None
    return datetime.fromisoformat(text).astimezone(zone)


def format_local(text: str | None, zone: tzinfo, pattern: str = "%Y-%m-%d %H:%M %Z") -> str:
    moment = to_zone(text, zone)
    return "-" if moment is None else moment.strftime(pattern)
