"""`idolq batch`: command lines run in one transaction, all or nothing.

Each line is an idolq command as typed after `idolq`. Every command of the batch runs on
one connection inside one outer transaction; their own units of work become savepoints of
it. The first failing line rolls everything back and is named in the error.
"""

from __future__ import annotations

import contextlib
import io
import json
import shlex
from collections.abc import Iterable
from typing import NamedTuple

from idolq.domain.errors import IdolqError, InvalidValue

# Exit statuses that are outcomes, not failures: an open SLA breach, nothing to claim.
NOT_FAILURES = {0, 3, 4}
# Commands that cannot be part of a transaction (they loop, create databases, reach the
# network, or are front ends themselves).
REFUSED = {("daemon",), ("serve",), ("shell",), ("batch",), ("init",), ("demo",), ("completion",),
           ("notify", "send"), ("notify", "retry")}


class BatchFailed(IdolqError):
    """A line failed: nothing of the batch was kept."""

    def __init__(self, message: str, code: str, exit_code: int) -> None:
        super().__init__(message)
        self.code = code
        self.exit_code = exit_code


class Line(NamedTuple):
    number: int
    argv: list[str]


def parse_lines(text: Iterable[str]) -> list[Line]:
    """Command lines, skipping blank lines and # comments; a line shlex cannot split is bad
    usage, named by its number."""
    lines = []
    for number, raw in enumerate(text, 1):
        try:
            argv = shlex.split(raw, comments=True)
        except ValueError as error:
            raise InvalidValue(f"line {number}: {error}") from None
        if not argv:
            continue
        if argv[0] == "idolq":
            argv = argv[1:]
        if tuple(argv[:1]) in REFUSED or tuple(argv[:2]) in REFUSED or "--follow" in argv:
            raise InvalidValue(f"line {number}: `{' '.join(argv[:2])}` cannot run in a batch")
        if argv[:2] == ["sla", "check"] and "--no-notify" not in argv:
            argv.append("--no-notify")  # nothing leaves before the batch commits
        lines.append(Line(number, argv))
    return lines


def run_batch(lines: list[Line], db: str | None, json_mode: bool) -> list:
    """Run every line in one transaction; their outputs (documents with --json), in order."""
    from idolq.cli.app import run
    from idolq.store.connection import open_database, sharing
    from idolq.store.transaction import transaction

    conn = open_database(db)
    results = []
    with sharing(conn), transaction(conn):
        for line in lines:
            argv = [*line.argv, "--json"] if json_mode else line.argv
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = run(argv)
            if code not in NOT_FAILURES:
                raise _failure(line, code, err.getvalue(), json_mode)
            results.append(_result(out.getvalue(), json_mode))
    return results


def _result(text: str, json_mode: bool):
    if not json_mode:
        return text
    documents = [json.loads(line) for line in text.splitlines() if line.strip()]
    return documents[0] if len(documents) == 1 else documents  # several: a stream


def _failure(line: Line, exit_code: int, stderr: str, json_mode: bool) -> BatchFailed:
    message, code = stderr.strip().splitlines()[-1] if stderr.strip() else "failed", "error"
    if json_mode:
        with contextlib.suppress(ValueError, KeyError, TypeError):
            error = json.loads(message)["error"]
            message, code = error["message"], error["code"]
    message = message.removeprefix("idolq: error: ")
    return BatchFailed(f"line {line.number} ({' '.join(line.argv)}): {message}; nothing was "
                       "changed", code, exit_code)
