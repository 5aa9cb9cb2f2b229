"""Notification targets: adding, removing, allowing, and how each one stands for this user.

A target's `action_config` may have been written with SQL by anyone who can write the
database, so it is read defensively (a broken one is shown as broken, never a crash), a
command runs only if the user who delivers allowed it in their own configuration, and a URL
is never printed with its credentials.
"""

from __future__ import annotations

import json
import sqlite3

from idolq.domain.errors import InvalidValue, NotFound
from idolq.domain.targets import redact_text, redact_url
from idolq.services.queries import snapshot
from idolq.services.uow import UnitOfWork, retried
from idolq.store import notifications as store

OK, NOT_ALLOWED, BROKEN = "ok", "not_allowed_here", "broken"


def parse_config(action_type: str, stored: object) -> tuple[dict | None, str | None]:
    """(the checked configuration, None), or (None, why the target is broken)."""
    from idolq.contract_targets import target_config

    try:
        value = json.loads(stored) if isinstance(stored, str | bytes) else None
    except ValueError as error:
        return None, f"action_config is not valid JSON ({error.msg})"
    if not isinstance(value, dict):
        return None, f"action_config is {_json_kind(value)}, not a JSON object"
    try:
        return target_config(action_type, value), None
    except InvalidValue as error:
        return None, redact_text(error.message)


def _json_kind(value: object) -> str:
    names = {list: "a JSON array", str: "a JSON string", bool: "a JSON boolean",
             int: "a JSON number", float: "a JSON number", type(None): "null or missing"}
    return names.get(type(value), "not JSON text")


class TargetChecker:
    """How targets stand for the user running idolq, each parsed once."""

    def __init__(self) -> None:
        self._allowances = None
        self._seen: dict[tuple, tuple] = {}

    @property
    def allowances(self):
        """This user's allowances, read once, when a command target is first checked."""
        if self._allowances is None:
            from idolq.adapters.user_config import load_allowances

            self._allowances = load_allowances()
        return self._allowances

    def check(self, target_id: int, action_type: str, stored: object) -> tuple:
        """(config or None, status, problem or None) of one target."""
        key = (target_id, action_type, stored)
        if key not in self._seen:
            self._seen[key] = self._check(target_id, action_type, stored)
        return self._seen[key]

    def _check(self, target_id: int, action_type: str, stored: object) -> tuple:
        config, problem = parse_config(action_type, stored)
        if config is None:
            return None, BROKEN, problem
        if action_type == "command" and not self.allowances.allows(config["command"]):
            why = self.allowances.problem or (
                f"to run it, allow it: `idolq notify allow {target_id}`")
            return config, NOT_ALLOWED, why
        return config, OK, None


def shown_config(config: dict | None) -> dict | None:
    """The configuration as it may be printed: a URL without its secrets."""
    if config is None or "url" not in config:
        return config
    return {**config, "url": redact_url(config["url"])}


def target_document(row: dict, checker: TargetChecker) -> dict:
    config, status, problem = checker.check(row["id"], row["action_type"], row["action_config"])
    return {**row, "action_config": shown_config(config), "status": status, "problem": problem}


def notification_document(row: dict, checker: TargetChecker) -> dict:
    config, status, _ = checker.check(row["trigger_id"], row["action_type"],
                                      row["action_config"])
    last_error = redact_text(row["last_error"]) if row["last_error"] else None
    return {**row, "action_config": shown_config(config), "last_error": last_error,
            "target_status": status}


@retried
def add_target(conn: sqlite3.Connection, on: str, actor: str, url: str | None = None,
               command: list[str] | None = None, fmt: str = "json",
               timeout: float = 10.0) -> dict:
    """Subscribe a webhook (url) or a command to an event type or family. A command is also
    allowed for the user who adds it, in their own configuration."""
    from idolq.adapters import user_config
    from idolq.contract_targets import target_config

    if (url is None) == (command is None):
        raise InvalidValue("give exactly one of --webhook URL or --command CMD")
    kind = "webhook" if url is not None else "command"
    given = {"url": url, "format": fmt} if url is not None else {"command": command}
    config = target_config(kind, {**given, "timeout": timeout})
    if kind == "command":
        user_config.check_writable()
    with UnitOfWork(conn, actor, source="notify") as uow:
        row = store.insert_target(conn, on, kind, config, uow.now)
        if kind == "command":
            user_config.allow_command(config["command"], uow.now)
    return target_document(row, TargetChecker())


@retried
def remove_target(conn: sqlite3.Connection, target_id: int, actor: str) -> None:
    with UnitOfWork(conn, actor, source="notify"):
        if not store.delete_target(conn, target_id):
            raise NotFound(f"no active notification target {target_id}")


def list_targets(conn: sqlite3.Connection) -> list[dict]:
    with snapshot(conn):
        rows = store.targets(conn)
    checker = TargetChecker()
    return [target_document(row, checker) for row in rows]


def allow_target(conn: sqlite3.Connection, target_id: int, allow: bool = True) -> dict:
    """Let this target's command, exactly as it stands now, run for this user (or not)."""
    from idolq import clock
    from idolq.adapters import user_config
    from idolq.domain.values import format_time

    with snapshot(conn):
        row = store.target(conn, target_id)
    if row is None or (allow and not row["is_active"]):  # a removed one can be disallowed
        raise NotFound(f"no active notification target {target_id}")
    if row["action_type"] != "command":
        raise InvalidValue(f"target {target_id} is a {row['action_type']}: only commands"
                           " are allowed per user")
    config, problem = parse_config("command", row["action_config"])
    if config is None:
        raise InvalidValue(f"target {target_id} is broken: {problem}")
    if allow:
        user_config.allow_command(config["command"], format_time(clock.now()))
    else:
        user_config.disallow_command(config["command"])
    return target_document(row, TargetChecker())
