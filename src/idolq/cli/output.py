"""Output in one place: JSON for machines, Rich tables on a terminal, plain text otherwise."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any

Columns = Sequence[tuple[str, str]]  # (key, header)


def print_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")


def print_json_line(document: Any) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def use_rich() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value) or "-"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def print_table(rows: Iterable[dict], columns: Columns, title: str | None = None) -> None:
    rows = list(rows)
    cells = [[cell(row.get(key)) for key, _ in columns] for row in rows]
    if use_rich():
        _rich_table(cells, columns, title)
        return
    headers = [header.upper() for _, header in columns]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h)
              for i, h in enumerate(headers)]
    lines = [_plain_row(headers, widths)] + [_plain_row(r, widths) for r in cells]
    if title:
        lines.insert(0, title)
    sys.stdout.write("\n".join(lines) + "\n")


def _plain_row(values: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()


def _rich_table(cells: list[list[str]], columns: Columns, title: str | None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, header_style="bold cyan")
    for _, header in columns:
        table.add_column(header)
    for row in cells:
        table.add_row(*row)
    Console().print(table)


def print_record(record: dict, fields: Columns, title: str | None = None) -> None:
    """One object as `field: value` lines."""
    if use_rich():
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, show_header=False, box=None, pad_edge=False)
        table.add_column(style="bold")
        table.add_column()
        for key, label in fields:
            table.add_row(label, cell(record.get(key)))
        Console().print(table)
        return
    width = max(len(label) for _, label in fields)
    lines = [f"{label.ljust(width)}  {cell(record.get(key))}" for key, label in fields]
    sys.stdout.write("\n".join(([title] if title else []) + lines) + "\n")


def print_line(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
