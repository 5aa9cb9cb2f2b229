"""Commands that act on ids: several at once, or `-` for ids on stdin, one per line.

Each id is its own operation (its own transaction), reported in order; the exit status is
the worst of them. With several ids, --json prints an array holding each id's document or
`{"id": ID, "error": {"code", "message"}}`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from idolq.cli import output
from idolq.cli.errors import as_user_error, exit_with, report, reporting
from idolq.domain.errors import InvalidValue


class Done(NamedTuple):
    """One id's result: its JSON document and how to show it to a person."""

    document: Any
    show: Callable[[], None]


def read_ids(given: Sequence[str]) -> tuple[list[str], bool]:
    """The ids to act on, and whether the result is a list (several ids, or `-`)."""
    ids: list[str] = []
    for item in given:
        if item == "-":
            ids.extend(line.strip() for line in sys.stdin if line.strip())
        else:
            ids.append(item)
    if not ids:
        raise InvalidValue("no id given (ids read from stdin with - were empty)")
    return ids, len(given) > 1 or "-" in given


def for_each_id(given: Sequence[str], json_mode: bool, act: Callable[[str], Done]) -> None:
    with reporting(json_mode):
        ids, many = read_ids(given)
    if not many:
        with reporting(json_mode):
            done = act(ids[0])
        output.print_json(done.document) if json_mode else done.show()
        return
    documents, worst = [], 0
    for ident in ids:
        try:
            done = act(ident)
        except Exception as exc:
            error = as_user_error(exc)
            if error is None:
                raise
            worst = max(worst, error.exit_code)
            if json_mode:
                documents.append({"id": ident, "error": {"code": error.code,
                                                         "message": error.message}})
            else:
                report(error.code, f"{ident}: {error.message}", False)
            continue
        documents.append(done.document)
        if not json_mode:
            done.show()
    if json_mode:
        output.print_json(documents)
    if worst:
        raise exit_with(worst)


def show_with_outcomes(show: Callable[[], None], happened) -> Callable[[], None]:
    """Human output of an operation, then what it led to (from its events)."""
    def render() -> None:
        from idolq.cli.events_views import outcome_lines

        show()
        for line in outcome_lines(happened):
            output.print_line(f"-> {line}")
    return render
