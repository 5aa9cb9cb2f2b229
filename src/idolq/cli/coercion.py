"""Plain converters for idolq's simple parameter types (`str`, `int`, `float`, `bool`).

They stand in front of Typer's pydantic-based coercion (see `_typer_compat`), so a command
never waits for pydantic; they also refuse what idolq cannot store (64-bit integers, valid
UTF-8 text, ASCII digits). Any other annotation keeps Typer's own path.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(value)


SQLITE_INTEGER = range(-(2**63), 2**63)


def _to_int(value: Any) -> int:
    """An integer SQLite can store (64-bit), written in ASCII digits."""
    if isinstance(value, str) and not value.isascii():
        raise ValueError(value)
    number = int(value)
    if number not in SQLITE_INTEGER:
        raise ValueError(value)
    return number


def _to_text(value: Any) -> str:
    """Text that is valid UTF-8 (undecodable bytes on the command line are refused)."""
    text = str(value)
    text.encode("utf-8")  # UnicodeEncodeError (a ValueError) for lone surrogates
    return text


def _to_float(value: Any) -> float:
    number = float(value)
    if math.isnan(number):
        raise ValueError(value)
    return number


CONVERTERS: dict[type, tuple[Callable[[Any], Any], str]] = {
    str: (_to_text, "UTF-8 text"),
    int: (_to_int, "integer (64-bit)"),
    float: (_to_float, "number"),
    bool: (_to_bool, "boolean"),
}
