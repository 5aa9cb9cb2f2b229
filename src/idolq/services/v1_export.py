"""`idolq export v1`: the queue in V1's Markdown layout, which `import v1` reads back.

A section per agent with V1's seven columns (every task, complete ones too, so that
nothing V1 cannot say elsewhere is lost), then the archive table of complete work.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime

from idolq import clock
from idolq.adapters.v1_markdown import table
from idolq.domain import v1
from idolq.domain.model import Task, TaskStatus
from idolq.services.queries import snapshot
from idolq.store import agents as agent_store
from idolq.store import tasks as task_store
from idolq.store import v1 as v1_store

QUEUE_HEADERS = ("ID", "Priority", "Task", "Status", "Created", "Due", "Notes")
ARCHIVE_HEADERS = ("ID", "Task", "Completed", "By", "Notes")


def export_v1(conn: sqlite3.Connection, write: Callable[[str], object]) -> int:
    """Write the V1 file, section by section from the cursor; returns the tasks written."""
    today = clock.now().astimezone().date().isoformat()
    write("\n".join(["# Agent Task Queue", "", f"> **Last Updated**: {today}",
                     "> **Exported by**: idolq (`idolq export v1`)", "", "---", "", ""]))
    count = 0
    with snapshot(conn):
        names = {agent.number: agent.name for agent in agent_store.list_agents(conn)}
        for number in v1_store.assigned_agents(conn):
            heading = (f"## {names.get(number, 'Agent')} Queue (Agent {number:02d})"
                       if number is not None else "## Unassigned Queue")
            write(f"{heading}\n\n")
            rows = map(_queue_row, v1_store.tasks_of_agent(conn, number))
            count += _write_table(write, QUEUE_HEADERS, rows)
            write("\n---\n\n")
        write("## Completed Tasks Archive\n\n")
        archive = task_store.list_tasks(conn, statuses=[TaskStatus.COMPLETE])
        _write_table(write, ARCHIVE_HEADERS, map(_archive_row, archive))
    return count


def _write_table(write: Callable[[str], object], headers: tuple[str, ...],
                 rows: Iterable[list[str]]) -> int:
    """Write a table line by line; returns its number of rows."""
    lines = 0
    for line in table(headers, rows):
        write(line + "\n")
        lines += 1
    return lines - 2


def _notes(task: Task) -> tuple[str, str | None]:
    """V1's Notes (with a `Depends on:` line for what the notes do not name) and Due text."""
    notes, due_text = v1.split_description(task.description)
    missing = [code for code in task.depends_on if code not in v1.dependencies_in(notes)]
    if missing:
        notes = "\n".join(filter(None, [notes, v1.DEPENDS_LINE + ", ".join(missing)]))
    return notes, due_text


def _queue_row(task: Task) -> list[str]:
    notes, due_text = _notes(task)
    due = _time(task.deadline) if task.deadline else (due_text or "")
    return [task.code, f"P{task.priority}", task.title, v1.EXPORT_STATUSES[task.status],
            _time(task.created_at), due, notes]


def _archive_row(task: Task) -> list[str]:
    by = f"Agent {task.assigned_agent:02d}" if task.assigned_agent is not None else ""
    return [task.code, task.title, _time(task.completed_at) if task.completed_at else "", by,
            _notes(task)[0]]


def _time(stamp: str) -> str:
    """A date when the time is midnight where the reader is (how V1 wrote times), else ISO."""
    local = datetime.fromisoformat(stamp).astimezone()
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        return local.date().isoformat()
    return stamp
