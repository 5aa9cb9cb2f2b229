"""`idolq export v1`: the queue in V1's Markdown layout, which `import v1` reads back.

A section per agent with V1's seven columns (every task, complete ones too, so that
nothing V1 cannot say elsewhere is lost), then the archive table of complete work.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from idolq import clock
from idolq.adapters.v1_markdown import table
from idolq.domain import v1
from idolq.domain.model import Task, TaskStatus
from idolq.services.queries import snapshot
from idolq.store import agents as agent_store
from idolq.store import tasks as task_store

QUEUE_HEADERS = ("ID", "Priority", "Task", "Status", "Created", "Due", "Notes")
ARCHIVE_HEADERS = ("ID", "Task", "Completed", "By", "Notes")


def export_v1(conn: sqlite3.Connection, write: Callable[[str], object]) -> int:
    """Write the V1 file; returns the number of tasks written."""
    with snapshot(conn):
        agents = {agent.number: agent.name for agent in agent_store.list_agents(conn)}
        tasks = task_store.list_tasks(conn)
    today = clock.now().astimezone().date().isoformat()
    lines = ["# Agent Task Queue", "", f"> **Last Updated**: {today}",
             "> **Exported by**: idolq (`idolq export v1`)", "", "---", ""]
    by_agent: dict[int | None, list[Task]] = {}
    for task in tasks:
        by_agent.setdefault(task.assigned_agent, []).append(task)
    for number in sorted(by_agent, key=lambda n: (n is None, n or 0)):
        heading = (f"## {agents.get(number, 'Agent')} Queue (Agent {number:02d})"
                   if number is not None else "## Unassigned Queue")
        lines += [heading, "", *table(QUEUE_HEADERS, map(_queue_row, by_agent[number])),
                  "", "---", ""]
    archive = [task for task in tasks if task.status == TaskStatus.COMPLETE]
    lines += ["## Completed Tasks Archive", "",
              *table(ARCHIVE_HEADERS, map(_archive_row, archive)), ""]
    write("\n".join(lines))
    return len(tasks)


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
