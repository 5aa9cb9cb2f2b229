"""Errors become one line on stderr and an exit status, in one place."""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from idolq.domain.errors import IdolqError
from idolq.store.connection import describe_error

USAGE_EXIT = 2
INTERRUPTED_EXIT = 130


LONG_WORD = re.compile(r"\S{100,}")


def _shortened(match: re.Match) -> str:
    return f"{match.group()[:40]}... ({len(match.group())} characters)"


def report(code: str, message: str, json_mode: bool) -> None:
    """One line on stderr: user text in it shown escaped, a huge value shortened."""
    from idolq.cli.output import visible

    message = LONG_WORD.sub(_shortened, visible(" ".join(message.split())))
    if json_mode:
        line = json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False)
        try:
            line.encode(sys.stderr.encoding or "utf-8")
        except (UnicodeEncodeError, LookupError):  # `LANG=C`: JSON escapes keep it valid
            line = json.dumps({"error": {"code": code, "message": message}})
    else:
        line = f"idolq: error: {message}"
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def exit_with(code: int) -> BaseException:
    """The exception that ends a command with `code`: Typer's Exit under Typer (Click turns
    it into the status), SystemExit on the fast path, which never loads Typer."""
    if "typer" in sys.modules:
        from typer import Exit

        return Exit(code)
    return SystemExit(code)


def fail(error: IdolqError, json_mode: bool) -> NoReturn:
    report(error.code, error.message, json_mode)
    raise exit_with(error.exit_code)


def as_user_error(error: BaseException) -> IdolqError | None:
    """The user's error an exception stands for, or None for a bug."""
    if isinstance(error, IdolqError):
        return error
    if isinstance(error, sqlite3.Error):
        return describe_error(error, "the database")
    return None


@contextmanager
def reporting(json_mode: bool) -> Iterator[None]:
    """Run a command body; a user's error is reported once, never as a traceback."""
    try:
        yield
    except IdolqError as error:
        fail(error, json_mode)
    except sqlite3.Error as error:
        fail(describe_error(error, "the database"), json_mode)
    except KeyboardInterrupt:
        raise exit_with(INTERRUPTED_EXIT) from None
