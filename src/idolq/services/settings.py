"""Settings kept in the database: the default lease of a claim."""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from idolq.domain import events
from idolq.domain.authority import check_team_change, parse_actor
from idolq.domain.errors import InvalidValue
from idolq.domain.sla import format_minutes, parse_duration_minutes
from idolq.services.uow import UnitOfWork, retried
from idolq.store import policy as policy_store

DEFAULT_LEASE_MINUTES = 120.0
KEYS = {"lease": "lease_minutes"}  # name users type -> stored key


class Setting(NamedTuple):
    key: str
    value: str  # as people write it, e.g. 2h
    minutes: float


def lease_minutes(conn: sqlite3.Connection) -> float:
    stored = policy_store.setting(conn, KEYS["lease"])
    return float(stored) if stored else DEFAULT_LEASE_MINUTES


def list_settings(conn: sqlite3.Connection) -> list[Setting]:
    from idolq.services.queries import snapshot

    with snapshot(conn):
        minutes = lease_minutes(conn)
    return [Setting("lease", format_minutes(minutes), minutes)]


@retried
def set_setting(conn: sqlite3.Connection, key: str, value: str, actor: str) -> Setting:
    if key not in KEYS:
        raise InvalidValue(f"unknown setting {key!r}: use one of {', '.join(KEYS)}")
    minutes = parse_duration_minutes(value)
    with UnitOfWork(conn, actor) as uow:
        check_team_change(parse_actor(actor), "settings")
        old = lease_minutes(conn)
        policy_store.set_setting(conn, KEYS[key], repr(minutes), uow.now)
        uow.publish(events.TeamChanged("setting", key, {
            key: [format_minutes(old), format_minutes(minutes)]}))
    return Setting(key, format_minutes(minutes), minutes)
