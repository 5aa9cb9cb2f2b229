"""Reading and writing V1's Markdown task queue (markdown-it-py, with its table support)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from idolq.domain import v1
from idolq.domain.v1 import Row

BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


class NotATaskQueue(ValueError):
    """The text holds no V1 queue or archive table."""


def read_rows(text: str, file: str) -> list[Row]:
    """Every row of the queue and archive tables, with its line number and queue agent.

    Other tables (legends, schedules) are not tasks and are not returned.
    """
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    rows: list[Row] = []
    found_table = False
    heading = ""
    for table_heading, header, body in _tables(tokens):
        heading = table_heading or heading
        columns = tuple(cell.strip().lower() for cell in header)
        if columns not in (v1.QUEUE_COLUMNS, v1.ARCHIVE_COLUMNS):
            continue
        found_table = True
        archive = columns == v1.ARCHIVE_COLUMNS
        agent = None if archive else v1.parse_agent(heading)
        for line, cells in body:
            padded = [*cells, *[""] * (len(columns) - len(cells))]
            values = {key: BREAK.sub("\n", text).strip()
                      for key, text in zip(columns, padded, strict=False)}
            rows.append(Row(file, line, values, archive=archive, agent=agent))
    if not found_table:
        raise NotATaskQueue(f"{file} is not a V1 task queue: it has no table with the columns "
                            "ID | Priority | Task | Status | Created | Due | Notes")
    return rows


def _tables(tokens: list) -> Iterator[tuple[str, list[str], list[tuple[int, list[str]]]]]:
    """(heading above it, header cells, [(line, cells)]) for each table."""
    heading = ""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            heading = tokens[index + 1].content
        elif token.type == "table_open":
            header: list[str] = []
            body: list[tuple[int, list[str]]] = []
            index += 1
            while tokens[index].type != "table_close":
                if tokens[index].type == "tr_open":
                    line = tokens[index].map[0] + 1
                    cells, index = _cells(tokens, index + 1)
                    if header:
                        body.append((line, cells))
                    else:
                        header = cells
                index += 1
            yield heading, header, body
        index += 1


def _cells(tokens: list, index: int) -> tuple[list[str], int]:
    cells = []
    while tokens[index].type != "tr_close":
        if tokens[index].type == "inline":
            cells.append(tokens[index].content)
        index += 1
    return cells, index


def cell(text: str | None) -> str:
    """A value made safe for a table cell: pipes escaped, line breaks as <br>."""
    value = (text or "").replace("|", "\\|")
    return value.replace("\r\n", "\n").replace("\n", "<br>")


def table(headers: Iterable[str], rows: Iterable[Iterable[str]]) -> Iterator[str]:
    """A Markdown table, line by line (rows are read as they are needed)."""
    headers = list(headers)
    yield "| " + " | ".join(headers) + " |"
    yield "|" + "|".join("----" for _ in headers) + "|"
    for row in rows:
        yield "| " + " | ".join(cell(value) for value in row) + " |"


class NotACalendar(ValueError):
    """The text holds no V1 content-calendar schedule table."""


def read_calendar_rows(text: str, file: str) -> list[tuple[int, dict[str, str]]]:
    """Every row of the schedule tables (first column Day or Date, a Time column), with
    its line number; a blank Day cell continues the day of the row above."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    rows: list[tuple[int, dict[str, str]]] = []
    found = False
    for _, header, body in _tables(tokens):
        columns = [cell.strip().lower() for cell in header]
        if not columns or columns[0] not in ("day", "date") or not any(
                name.startswith("time") for name in columns):
            continue
        found = True
        day = ""
        for line, cells in body:
            padded = [*cells, *[""] * (len(columns) - len(cells))]
            values = {key: BREAK.sub(" ", value).strip()
                      for key, value in zip(columns, padded, strict=False)}
            day = values[columns[0]] or day
            values["day"] = day
            rows.append((line, values))
    if not found:
        raise NotACalendar(f"{file} is not a V1 content calendar: it has no table with the "
                           "columns Day (or Date) and Time")
    return rows
