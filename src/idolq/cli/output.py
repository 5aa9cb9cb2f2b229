"""Output in one place: JSON for machines, Rich tables on a terminal, plain text otherwise.

User text is never obeyed by the terminal: control characters and escape sequences are shown
escaped (`\\x1b`), Rich markup is printed literally, and a table Rich cannot draw is printed
plain: rendering never changes the outcome of a command that has committed.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from itertools import chain, islice
from typing import Any

Columns = Sequence[tuple[str, str]]  # (key, header)
WHOLE_KEYS = frozenset({"id", "code", "task_code", "number", "rule"})

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides that
# make text read differently from what it holds.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Text safe to show on a terminal: control characters written as escapes."""
    return _UNSAFE.sub(_escaped, text)


def _write(text: str) -> None:
    """Write to stdout; characters its encoding cannot hold are written as escapes."""
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:
        encoding = sys.stdout.encoding or "ascii"
        sys.stdout.write(text.encode(encoding, "backslashreplace").decode(encoding))


def print_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")


def print_json_array(items: Iterable[Any]) -> None:
    """A JSON array written as its items come (`[`, items separated by `,`, `]`): one
    document on stdout, however many items, without holding them all."""
    write = sys.stdout.write
    separator = "["
    for item in items:
        write(separator)
        write(json.dumps(item, ensure_ascii=False))
        separator = ","
    write("[]\n" if separator == "[" else "]\n")


def print_json_line(document: Any) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def emit(document: Any, json_mode: bool, render: Callable[[Any], None]) -> None:
    """Every command's result goes out here: the document as JSON, or `render(document)`."""
    if json_mode:
        print_json(document)
    else:
        render(document)


def emit_rows(documents: Iterable[Any], json_mode: bool,
              render: Callable[[Iterable[Any]], None]) -> None:
    """A listing's documents as they come: a JSON array written item by item, or
    `render(documents)`; neither holds them all."""
    if json_mode:
        print_json_array(documents)
    else:
        render(documents)


def emit_line(document: Any, json_mode: bool, render: Callable[[Any], str]) -> None:
    """One document of a stream (`events tail`, `daemon`): a JSON line, or one line of text."""
    if json_mode:
        print_json_line(document)
    else:
        print_line(render(document))


def use_rich() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def is_terminal() -> bool:
    """A person is reading (stdout is a terminal), as opposed to a pipe or a file."""
    return sys.stdout.isatty()


def print_note(text: str) -> None:
    """A remark for the person reading, on stderr: stdout keeps only the listing."""
    sys.stderr.write(visible(text) + "\n")


def cell(value: Any, separator: str = ",") -> str:
    """A value as the text of a table cell, safe to show."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return visible(separator.join(str(v) for v in value)) or "-"
    if isinstance(value, float):
        return f"{value:g}"
    return visible(str(value))


PLAIN_CHUNK = 1000  # rows whose widths set the columns of plain output


def print_table(rows: Iterable[dict], columns: Columns, title: str | None = None) -> None:
    """A table of rows as they come: on a terminal drawn by Rich (all rows at once), else
    plain text written row by row, with the column widths of the first PLAIN_CHUNK rows."""
    title = visible(title) if title is not None else None
    if use_rich():
        rows = list(rows)
        try:  # lists of codes wrap between codes, never inside one
            _rich_table([[cell(row.get(key), ", ") for key, _ in columns] for row in rows],
                        columns, title)
            return
        except Exception:  # noqa: BLE001 - never let drawing change the outcome
            pass
    cells = ([cell(row.get(key)) for key, _ in columns] for row in rows)
    headers = [header.upper() for _, header in columns]
    first = list(islice(cells, PLAIN_CHUNK))
    widths = [max(len(h), *(len(r[i]) for r in first)) if first else len(h)
              for i, h in enumerate(headers)]
    if title:
        _write(title + "\n")
    _write(_plain_row(headers, widths) + "\n")
    for row in chain(first, cells):  # later rows stream with the first chunk's widths
        _write(_plain_row(row, widths) + "\n")


def _plain_row(values: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()


def _rich_table(cells: list[list[str]], columns: Columns, title: str | None) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title) if title else None, header_style="bold cyan")
    for index, (key, header) in enumerate(columns):
        if key in WHOLE_KEYS:  # ids and codes are shown whole; other columns give way
            width = max((len(row[index]) for row in cells), default=0)
            table.add_column(Text(visible(header)), min_width=width, no_wrap=True)
        else:
            table.add_column(Text(visible(header)), overflow="fold")
    for row in cells:
        table.add_row(*(Text(value) for value in row))  # Text: markup is not parsed
    _print_rich(table)


def _print_rich(renderable: Any) -> None:
    """Draw first, then write: a failure while drawing leaves nothing half printed."""
    from rich.console import Console

    console = Console()
    with console.capture() as capture:
        console.print(renderable)
    _write(capture.get())


def print_record(record: dict, fields: Columns, title: str | None = None) -> None:
    """One object as `field: value` lines."""
    title = visible(title) if title is not None else None
    if use_rich():
        try:
            _rich_record(record, fields, title)
            return
        except Exception:  # noqa: BLE001 - never let drawing change the outcome
            pass
    width = max(len(label) for _, label in fields)
    lines = [f"{label.ljust(width)}  {cell(record.get(key))}" for key, label in fields]
    _write("\n".join(([title] if title else []) + lines) + "\n")


def _rich_record(record: dict, fields: Columns, title: str | None) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title) if title else None, show_header=False, box=None,
                  pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    for key, label in fields:
        table.add_row(Text(label), Text(cell(record.get(key))))
    _print_rich(table)


def print_line(text: str) -> None:
    """A line of human output (user text in it is shown escaped)."""
    _write(visible(text) + "\n")
    sys.stdout.flush()
