"""Output in one place: JSON for machines, Rich tables on a terminal, tab-separated text otherwise.

On a terminal, tables fit its width: ids and codes are never cut (titles are shortened
instead), times are compact, statuses are coloured (NO_COLOR removes the colour and nothing
else). Piped, every table is tab-separated with a header row and full values (ISO times),
for `cut -f` and `awk -F'\\t'`.

User text is never obeyed by the terminal: control characters and escape sequences are shown
escaped (`\\x1b`), Rich markup is printed literally, and a table Rich cannot draw is printed
plain: rendering never changes the outcome of a command that has committed.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from itertools import chain
from typing import Any

Columns = Sequence[tuple[str, str]]  # (key, header)

# How a column behaves on a terminal, by key.
ID_KEYS = frozenset({"id", "code", "task_code", "number", "review", "task", "item", "rule"})
WIDE_KEYS = frozenset({"title", "subject", "name", "role", "notes", "text", "detail"})
CHART_KEYS = frozenset({"chart"})  # drawn, not read: cut short first, without a marker
CODE_LIST_KEYS = frozenset({"blocked_by", "depends_on"})  # wrap between codes, never inside
# Left out on a terminal when no row has a value, to leave titles room (kept when piped).
OPTIONAL_KEYS = frozenset({"deadline", "blocked_by", "depends_on", "notes", "review_tier"})
TIME_KEYS = frozenset({"deadline", "requested_at", "created_at", "started_at", "completed_at",
                       "escalated_at", "timestamp", "deferred_until", "due_at"})
STATUS_STYLES = {
    "pending": "yellow", "in_progress": "blue", "blocked": "red", "review": "magenta",
    "complete": "green", "approved": "green", "rejected": "red", "cancelled": "dim",
    "deferred": "cyan", "breach": "bold red", "warning": "yellow",
}


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


def _write_json(document: Any, end: str = "") -> None:
    """One JSON text; where stdout's encoding cannot hold a character (`LANG=C`), it is
    written as a JSON escape instead, so the output is always valid JSON."""
    try:
        sys.stdout.write(json.dumps(document, ensure_ascii=False) + end)
    except UnicodeEncodeError:
        sys.stdout.write(json.dumps(document) + end)


def print_json(document: Any) -> None:
    _write_json(document, "\n")


def print_json_array(items: Iterable[Any]) -> None:
    """A JSON array written as its items come (`[`, items separated by `,`, `]`): one
    document on stdout, however many items, without holding them all."""
    write = sys.stdout.write
    separator = "["
    for item in items:
        write(separator)
        _write_json(item)
        separator = ","
    write("[]\n" if separator == "[" else "]\n")


def print_json_line(document: Any) -> None:
    _write_json(document, "\n")
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
    """Rich on a terminal (without colour when NO_COLOR is set); plain text when piped."""
    return sys.stdout.isatty()


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


def compact_time(value: str, now: datetime | None = None) -> str:
    """`14:05` today, `Jan 09 14:05` this year, `2025-01-09` before (UTC, like the data)."""
    try:
        moment = datetime.fromisoformat(value).astimezone(UTC)
    except (TypeError, ValueError):
        return cell(value)
    now = now or datetime.now(UTC)
    if moment.date() == now.date():
        return moment.strftime("%H:%M")
    if moment.year == now.year:
        return moment.strftime("%b %d %H:%M")
    return moment.strftime("%Y-%m-%d")


def tsv_cell(value: Any) -> str:
    """One field of a tab-separated line: tabs and line breaks inside are shown escaped."""
    return cell(value).replace("\t", "\\t").replace("\n", "\\n")


def print_table(rows: Iterable[dict], columns: Columns, title: str | None = None,
                empty: str = "Nothing to show.") -> None:
    """A table of rows as they come: on a terminal drawn by Rich (all rows at once), else
    tab-separated lines with a header row, written row by row. No row: `empty`, one line."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        print_line(empty)
        return
    rows = chain([first], rows)
    if use_rich():
        rows = list(rows)
        try:
            _rich_table(rows, columns, title)
            return
        except Exception:  # noqa: BLE001 - never let drawing change the outcome
            pass
    _write("\t".join(header.upper().replace(" ", "_") or key.upper()
                     for key, header in columns) + "\n")
    for row in rows:
        _write("\t".join(tsv_cell(row.get(key)) for key, _ in columns) + "\n")


def _print_rich(renderable: Any) -> None:
    """Draw first, then write: a failure while drawing leaves nothing half printed."""
    from rich.console import Console

    console = Console(highlight=False)
    with console.capture() as capture:
        console.print(renderable)
    _write(capture.get())


def styled(key: str, value: Any):
    """A Rich Text for one cell: never read as markup, times compact, statuses coloured."""
    from rich.text import Text

    if key in TIME_KEYS and value is not None:
        return Text(visible(compact_time(value)))
    text = cell(value, " ")
    if key == "over":  # an SLA breach, or one coming
        return Text(text, style="yellow" if text.startswith("due in") else "bold red")
    return Text(text, style=STATUS_STYLES.get(text, "") if key in ("status", "state") else "")


def _rich_table(rows: list[dict], columns: Columns, title: str | None) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(visible(title)) if title else None, header_style="bold",
                  box=box.SIMPLE_HEAD, show_edge=False,
                  pad_edge=False, padding=(0, 1), collapse_padding=True, title_justify="left")
    columns = [(key, header) for key, header in columns
               if key not in OPTIONAL_KEYS or any(row.get(key) for row in rows)]
    charted = any(key in CHART_KEYS for key, _ in columns)  # the chart gives way first
    for key, header in columns:
        widest = max((len(cell(row.get(key))) for row in rows), default=0)
        if key in CHART_KEYS:
            table.add_column(header, no_wrap=True, overflow="crop", min_width=1)
        elif key in ID_KEYS or (charted and key not in WIDE_KEYS):  # whole: the chart gives way
            table.add_column(header, no_wrap=True, min_width=max(widest, len(header)))
        elif key in CODE_LIST_KEYS:
            longest = max((len(code) for row in rows for code in row.get(key) or ()), default=1)
            table.add_column(header, min_width=max(longest, 2), overflow="fold")
        elif key in WIDE_KEYS:  # the column that gives way: its cells are shortened
            table.add_column(header, min_width=min(max(widest, len(header)), 10))
        else:
            table.add_column(header, no_wrap=True)
    for row in rows:
        table.add_row(*(_shortened(styled(key, row.get(key))) if key in WIDE_KEYS
                        else styled(key, row.get(key)) for key, _ in columns))
    _print_rich(table)


def _shortened(text):
    text.no_wrap, text.overflow = True, "ellipsis"
    return text


def print_record(record: dict, fields: Columns, title: str | None = None) -> None:
    """One object as `field: value` lines (piped: `field<TAB>value`)."""
    title = visible(title) if title is not None else None
    if use_rich():
        try:
            _rich_record(record, fields, title)
            return
        except Exception:  # noqa: BLE001 - never let drawing change the outcome
            pass
    lines = [f"{label}\t{tsv_cell(record.get(key))}" for key, label in fields]
    _write("\n".join(([title] if title else []) + lines) + "\n")


def _rich_record(record: dict, fields: Columns, title: str | None) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title) if title else None, show_header=False, box=None,
                  pad_edge=False, title_justify="left", title_style="bold")
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for key, label in fields:
        table.add_row(Text(label), styled(key, record.get(key)))
    _print_rich(table)


def print_line(text: str) -> None:
    """A line of human output (user text in it is shown escaped)."""
    _write(visible(text) + "\n")
    sys.stdout.flush()


def print_log(text: str) -> None:
    """A line of a log (the daemon's): on stderr, user text shown escaped."""
    sys.stderr.write(visible(text) + "\n")
    sys.stderr.flush()


def print_warning(text: str) -> None:
    """A line on stderr that is not an error: `idolq: warning: ...`."""
    sys.stderr.write(f"idolq: warning: {text}\n")
    sys.stderr.flush()
