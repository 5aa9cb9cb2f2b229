"""The first version's task queue, as data: how its ids, statuses and notes map to tasks.

V1 kept the queue in a Markdown file: one table per agent (ID, Priority, Task, Status,
Created, Due, Notes) and an archive table of completed work (ID, Task, Completed, By,
Notes). Reading the Markdown is an adapter's work; this module holds the rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

QUEUE_COLUMNS = ("id", "priority", "task", "status", "created", "due", "notes")
ARCHIVE_COLUMNS = ("id", "task", "completed", "by", "notes")

# V1 ids: COORD-001, COORD-VIB-001B, GUARDIAN-VIB-003.
V1_ID = re.compile(r"^[A-Z][A-Z0-9_]{0,23}(?:-[A-Z0-9_]{1,24}){0,3}-\d+[A-Z]?$")
_ID_IN_TEXT = r"[A-Z][A-Z0-9_]*(?:-[A-Z0-9_]+)*-\d+[A-Z]?\b"
# "Waiting: LORE-001", "After GUARDIAN-001", and the line export writes: "Depends on: A, B".
DEPENDENCY = re.compile(
    rf"\b(?:Waiting(?: on)?:?|After|Depends on:)\s+((?:{_ID_IN_TEXT})(?:\s*(?:,|and)\s*"
    rf"{_ID_IN_TEXT})*)")
DS_RATING = re.compile(r"\bDS[- ]?(\d(?:\.\d+)?)\b")
AGENT_NUMBER = re.compile(r"\bAgent\s+(\d{1,3})\b", re.IGNORECASE)

STATUSES = {
    "PENDING": "pending", "IN_PROGRESS": "in_progress", "BLOCKED": "blocked",
    "REVIEW": "review", "COMPLETE": "complete", "DEFERRED": "deferred",
    "CANCELLED": "cancelled",
}
EXPORT_STATUSES = {value: key for key, value in STATUSES.items()}

# V1 id prefixes with a V2 equivalent: (task_type, content_type). Any other prefix becomes
# its own task type (lower case), routed to the agent of the queue it stood in.
TYPES: dict[str, tuple[str, str | None]] = {
    "COORD": ("coordination", None),
    "CONTENT": ("content", None),
    "LORE": ("lore", None),
    "ANALYTICS": ("analytics", None),
    "ASSET": ("asset", None),
    "COMM": ("content", "community"),
    "GACHA": ("content", "gacha"),
    "NOVEL": ("content", "novel"),
}

DUE_LINE = "Due: "  # a Due that is not a date (TBD, Daily, Fri...) is kept in the description
DEPENDS_LINE = "Depends on: "
NOTES_BREAK = "<br>"


@dataclass
class Row:
    """One table row of a V1 file, as read (cells stripped, unescaped)."""

    file: str
    line: int
    cells: dict[str, str]
    archive: bool = False
    agent: int | None = None  # the queue's agent, from its heading "(Agent 02)"


@dataclass
class V1Task:
    """What one V1 id says about its task, merged from its queue row and archive row."""

    code: str
    line: int
    title: str
    status: str
    priority: int | None = None
    agent: int | None = None
    created: str | None = None  # the cell text; parsed by the service
    due: str | None = None
    completed: str | None = None
    notes: list[str] = field(default_factory=list)


class Unreadable(ValueError):
    """A row that cannot be read: reported with its file and line, never guessed."""


def is_group_label(cells: dict[str, str]) -> bool:
    """`| **VIBING OVERHAUL PROJECT** | | | ...` or the archive's `| *None yet* | | ...`."""
    first = cells.get("id", "")
    rest = [value for key, value in cells.items() if key not in ("id", "notes")]
    emphasised = first.startswith("*") and first.endswith("*") and len(first) > 2
    return emphasised and not any(rest)


def task_type_for(code: str) -> tuple[str, str | None]:
    prefix = code.split("-", 1)[0]
    return TYPES.get(prefix, (prefix.lower(), None))


def parse_status(text: str) -> str:
    value = text.strip().strip("`*").strip().upper().replace(" ", "_")
    if value not in STATUSES:
        raise Unreadable(f"unknown V1 status {text.strip()!r}")
    return STATUSES[value]


def parse_priority(text: str) -> int:
    value = text.strip().strip("`*").strip().upper()
    if value not in ("P0", "P1", "P2", "P3"):
        raise Unreadable(f"unknown V1 priority {text.strip()!r}")
    return int(value[1])


def parse_code(text: str) -> str:
    value = text.strip().strip("`*").strip()
    if not value:
        raise Unreadable("no V1 id")
    if not V1_ID.match(value):
        raise Unreadable(f"not a V1 id: {value!r}")
    return value


def parse_agent(text: str) -> int | None:
    match = AGENT_NUMBER.search(text)
    return int(match.group(1)) if match else None


def dependencies_in(text: str) -> list[str]:
    """Task codes named as blockers ("Waiting: X", "After X", "Depends on: X, Y")."""
    found: list[str] = []
    for match in DEPENDENCY.finditer(text or ""):
        found.extend(re.findall(_ID_IN_TEXT, match.group(1)))
    return list(dict.fromkeys(found))


def ds_rating_in(text: str) -> float | None:
    """The first DS rating ("DS-2.5") in a text, if it is within 0..4."""
    for match in DS_RATING.finditer(text or ""):
        value = float(match.group(1))
        if 0 <= value <= 4:
            return value
    return None


def merge(task: V1Task, row: Row, fields: dict) -> V1Task:
    """An archive row and a queue row of one id are one task: the archive says it is complete
    (and when), the queue row keeps its priority, dates and title."""
    if row.archive:
        task.status = "complete"
        task.completed = fields.get("completed") or task.completed
        task.agent = task.agent if task.agent is not None else fields.get("agent")
    else:
        task.title = fields["title"]
        task.line = row.line
        for key in ("priority", "created", "due"):
            setattr(task, key, fields.get(key))
        if fields.get("agent") is not None:
            task.agent = fields["agent"]
        if task.status != "complete":
            task.status = fields["status"]
    for note in fields.get("notes", []):
        if note and note not in task.notes:
            task.notes.append(note)
    return task


def description(notes: list[str], due: str | None) -> str | None:
    """V1's notes, then a Due that could not be a time, one per line."""
    lines = [note for note in notes if note]
    if due:
        lines.append(DUE_LINE + due)
    return "\n".join(lines) or None


def split_description(text: str | None) -> tuple[str, str | None]:
    """The reverse of `description`: (notes, due text or None)."""
    lines = (text or "").split("\n")
    due = None
    if lines and lines[-1].startswith(DUE_LINE):
        due = lines.pop()[len(DUE_LINE):]
    return "\n".join(lines), due


def notes_without_export_lines(text: str) -> str:
    """Notes as written by V1: without the `Depends on:` line that export adds."""
    lines = text.split("\n")
    if lines and lines[-1].startswith(DEPENDS_LINE):
        lines.pop()
    return "\n".join(lines)


def read_row(row: Row) -> tuple[str, dict]:
    """A row's id and fields; raises Unreadable for a row that cannot be read."""
    cells = row.cells
    code = parse_code(cells.get("id", ""))
    title = cells.get("task", "").strip()
    if not title:
        raise Unreadable(f"{code} has no task title")
    notes = [cells.get("notes", "").strip()]
    if row.archive:
        return code, {"title": title, "status": "complete", "notes": notes,
                      "completed": cells.get("completed", "").strip() or None,
                      "agent": parse_agent(cells.get("by", ""))}
    return code, {"title": title, "status": parse_status(cells.get("status", "")),
                  "priority": parse_priority(cells.get("priority", "")), "notes": notes,
                  "created": cells.get("created", "").strip() or None,
                  "due": cells.get("due", "").strip() or None, "agent": row.agent}


def collect(rows: list[Row]) -> tuple[dict[str, V1Task], list[dict]]:
    """The tasks a file names (an id in a queue and in the archive is one task), and the
    rows that could not be read, as {"file", "line", "reason"}."""
    tasks: dict[str, V1Task] = {}
    seen: dict[tuple[str, bool], int] = {}
    skipped: list[dict] = []
    for row in rows:
        if is_group_label(row.cells):
            continue
        try:
            code, fields = read_row(row)
            if (code, row.archive) in seen:
                raise Unreadable(f"{code} appears again (first at line {seen[code, row.archive]})")
        except Unreadable as error:
            skipped.append({"file": row.file, "line": row.line, "reason": str(error)})
            continue
        seen[code, row.archive] = row.line
        task = tasks.get(code) or V1Task(code=code, line=row.line, title=fields["title"],
                                         status=fields["status"])
        tasks[code] = merge(task, row, fields)
    return tasks, skipped
