"""`idolq import v1`: the first version's Markdown task queues, one transaction per file."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from idolq.domain import events, v1
from idolq.domain.errors import IdolqError, InvalidValue
from idolq.domain.model import Task, TaskStatus
from idolq.domain.policy import REVIEWER_AGENTS, first_stage
from idolq.domain.v1 import Row, Unreadable, V1Task
from idolq.domain.values import format_time, parse_time
from idolq.services.uow import UnitOfWork
from idolq.services.workflow import request_reviews, review_policy
from idolq.store import reviews as review_store
from idolq.store import tasks as task_store
from idolq.store import v1 as v1_store

SOURCE = "v1-import"
# What an import compares and sets: a task's columns, then its V1 DS rating.
COLUMNS = ("title", "description", "task_type", "content_type", "status", "priority",
           "assigned_agent", "deadline", "created_at", "completed_at")
TYPE_COLUMNS = ("task_type", "content_type")  # set when an import creates the task only


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[dict] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    _named: set[str] = field(default_factory=set, repr=False)

    def name(self, code: str) -> None:
        """List a code once, however many files name it."""
        if code not in self._named:
            self._named.add(code)
            self.codes.append(code)

    def document(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "skipped": self.skipped, "codes": self.codes}


class _DryRun(Exception):
    """Raised at the end of a dry run, so that the unit of work rolls everything back."""


def read_v1_file(path: str) -> list[Row]:
    """Every row of a V1 queue file; bad usage (exit 2) if it cannot be read or is not one."""
    from idolq.adapters.v1_markdown import NotATaskQueue, read_rows

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise InvalidValue(f"cannot read {path}: {reason}") from None
    try:
        return read_rows(text, path)
    except NotATaskQueue as error:
        raise InvalidValue(str(error)) from None


def import_v1(conn: sqlite3.Connection, paths: Sequence[str], actor: str, dry_run: bool = False,
              advance: Callable[..., None] | None = None) -> ImportReport:
    """Every file is read before anything changes; then each file is one transaction."""
    files = [(path, read_v1_file(path)) for path in paths]
    report = ImportReport()
    if dry_run:  # every file in one transaction, rolled back: later files see earlier ones
        try:
            with UnitOfWork(conn, actor, source=SOURCE) as uow:
                for path, rows in files:
                    _import_file(uow, path, rows, report)
                raise _DryRun
        except _DryRun:
            return report
    advance = advance or (lambda *_, **__: None)
    total = sum(len(rows) for _, rows in files)
    for path, rows in files:
        with UnitOfWork(conn, actor, source=SOURCE) as uow:
            done = _import_file(uow, path, rows, report, lambda: advance(1, total=total))
        advance(len(rows) - done, total=total)  # rows that were not tasks
    return report


def _import_file(uow: UnitOfWork, path: str, rows: list[Row], report: ImportReport,
                 step: Callable[[], None] = lambda: None) -> int:
    """Import one file's rows; returns how many tasks it named."""
    tasks, skipped = v1.collect(rows)
    report.skipped.extend(skipped)
    wanted: dict[str, tuple[V1Task, dict]] = {}
    for code, item in tasks.items():
        try:
            wanted[code] = (item, _columns(uow, item))
        except (Unreadable, IdolqError) as error:
            reason = error.message if isinstance(error, IdolqError) else str(error)
            report.skipped.append({"file": path, "line": item.line, "reason": reason})
    before = {code: task_store.find_task(uow.conn, code) for code in wanted}
    ids = {code: _insert_if_new(uow, before[code], code, columns)
           for code, (_, columns) in wanted.items()}
    depends_on = {}
    for code, (item, columns) in wanted.items():
        depends_on[code], blockers = _sync_dependencies(uow, ids[code], item, wanted)
        columns["status"] = _settle_status(columns["status"], blockers)
    for code, (item, columns) in wanted.items():
        outcome = _apply(uow, path, before[code], ids[code], code, item, columns,
                         depends_on[code])
        setattr(report, outcome, getattr(report, outcome) + 1)
        report.name(code)
        step()
    return len(wanted)


def _settle_status(status: str, open_blockers: list[str]) -> str:
    """Blocked means waiting on a task here: a V1 task waiting on something idolq cannot
    name ("Wait for Phase 1 completion") is put aside (deferred) where idolq has that
    status, else it is pending; one waiting on an unfinished task is blocked."""
    if status not in (TaskStatus.PENDING, TaskStatus.BLOCKED):
        return status
    if open_blockers:
        return TaskStatus.BLOCKED
    if status == TaskStatus.BLOCKED and "deferred" in TaskStatus._value2member_map_:
        return "deferred"
    return TaskStatus.PENDING


def _columns(uow: UnitOfWork, item: V1Task) -> dict:
    """The task's columns as V1 describes it (pending/blocked settled once dependencies are)."""
    if item.status not in TaskStatus._value2member_map_:
        raise Unreadable(f"{item.code}: V1 status {item.status.upper()} has no equivalent here")
    if item.agent is not None and item.agent not in _agents(uow):
        raise Unreadable(f"{item.code}: no agent {item.agent} (see `idolq agent list`)")
    task_type, content_type = v1.task_type_for(item.code)
    deadline, due_text = _time_or_text(item.due)
    completed = _time(item.completed, f"{item.code}: Completed")
    created = _time(item.created, f"{item.code}: Created") or completed
    if created is None:
        raise Unreadable(f"{item.code}: no Created date")
    _ensure_routed(uow, item, task_type)  # last: a row skipped adds no rule
    notes = [v1.notes_without_export_lines(note) for note in item.notes]
    return {
        "title": item.title, "description": v1.description(notes, due_text),
        "task_type": task_type, "content_type": content_type, "status": item.status,
        "priority": 2 if item.priority is None else item.priority,
        "assigned_agent": item.agent, "deadline": deadline, "created_at": created,
        "completed_at": completed,
    }


def _agents(uow: UnitOfWork) -> set[int]:
    if "agents" not in uow.memo:
        uow.memo["agents"] = v1_store.agent_numbers(uow.conn)
    return uow.memo["agents"]


def _ensure_routed(uow: UnitOfWork, item: V1Task, task_type: str) -> None:
    """A V1 type with no V2 equivalent becomes a task type, routed to its queue's agent."""
    if task_type in v1_store.routed_task_types(uow.conn):
        return
    if item.agent is None:
        raise Unreadable(f"{item.code}: unknown task type {task_type!r} and no queue agent "
                         f"to route it to (add it with `idolq route set {task_type} --agent N`)")
    v1_store.add_routing_rule(uow.conn, task_type, item.agent)
    uow.publish(events.TeamChanged("route", {"task_type": task_type, "content_type": None},
                                   {"agent": [None, item.agent]}))


def _time(text: str | None, what: str) -> str | None:
    if not text:
        return None
    try:
        return format_time(parse_time(text))
    except InvalidValue:
        raise Unreadable(f"{what} {text!r} is not a date") from None


def _time_or_text(text: str | None) -> tuple[str | None, str | None]:
    """A Due that is a time becomes the deadline; any other (TBD, Daily...) stays text."""
    try:
        return _time(text, "Due"), None
    except Unreadable:
        return None, text


def _insert_if_new(uow: UnitOfWork, existing: Task | None, code: str, columns: dict) -> int:
    v1_store.reserve_code(uow.conn, code)
    if existing is not None:
        return existing.id
    return task_store.insert_task(uow.conn, {
        **columns, "task_code": code, "created_by": uow.actor, "updated_at": uow.now})


def _sync_dependencies(uow: UnitOfWork, task_id: int, item: V1Task,
                       wanted: dict[str, tuple[V1Task, dict]]) -> tuple[list[str], list[str]]:
    """The file's "Waiting: X" / "After X" become exactly the task's dependencies;
    returns them and the unresolved ones. A code idolq does not know stays in the notes only."""
    current = v1_store.dependency_codes(uow.conn, task_id)
    named = v1.dependencies_in("\n".join(item.notes))
    kept, open_ = [], []
    for code in named:
        blocker = task_store.find_task(uow.conn, code)
        if blocker is None or blocker.id == task_id:
            continue
        status = wanted[code][1]["status"] if code in wanted else blocker.status
        resolved = status == TaskStatus.COMPLETE
        if code not in current:
            if task_store.depends_transitively(uow.conn, blocker.id, task_id):
                continue  # would close a cycle: kept in the notes only
            task_store.add_dependency(uow.conn, task_id, blocker.id, resolved, uow.now)
        elif current[code][1] != resolved:
            v1_store.set_dependency_resolved(uow.conn, task_id, blocker.id, resolved, uow.now)
        kept.append(code)
        if not resolved:
            open_.append(code)
    for code, (on_id, _) in current.items():
        if code not in kept:
            task_store.delete_dependency(uow.conn, task_id, on_id)
    return sorted(kept), open_


def _apply(uow: UnitOfWork, path: str, existing: Task | None, task_id: int, code: str,
           item: V1Task, columns: dict, depends_on: list[str]) -> str:
    """Bring the task to what the file says; returns created, updated or unchanged."""
    rating = v1.ds_rating_in("\n".join(reversed(item.notes)))
    if columns["status"] != TaskStatus.COMPLETE:
        rating = None
    old = _current(uow, existing, task_id)
    if existing is not None:  # V1 has no type column: a task keeps the types it was given
        columns = {k: v for k, v in columns.items() if k not in TYPE_COLUMNS}
    new = {**columns, "ds_rating": rating, "depends_on": depends_on}
    changes = {key: [old.get(key), new[key]] for key in new if old.get(key) != new[key]}
    if existing is not None and not changes:
        return "unchanged"
    released = {}
    if "status" in changes and existing is not None and existing.claimed_by:
        released = {"claimed_by": None, "lease_expires_at": None}  # the file moved it on
    task_store.update_task(uow.conn, task_id, **columns, **released, updated_at=uow.now)
    if "ds_rating" in changes:
        at = columns["completed_at"] or columns["created_at"]
        reviewer = review_policy(uow).reviewers.get("cultural", REVIEWER_AGENTS["cultural"])
        v1_store.set_v1_rating(uow.conn, task_id, rating, reviewer, at,
                               uow.actor)
    if existing is None or "status" in changes:
        task_store.add_history(uow.conn, task_id, old.get("status"), columns["status"],
                               uow.actor, uow.now, f"imported from {path} line {item.line}")
    if existing is None:
        uow.publish(events.TaskImported(
            task_id, code, new["title"], new["task_type"], new["priority"],
            new["assigned_agent"], None, new["status"], path, item.line))
    else:
        uow.publish(events.TaskUpdated(task_id, code, changes, path, item.line))
    _settle_reviews(uow, task_id, code, old.get("status"), columns["status"])
    if existing is not None and changes.get("status", [None, None])[1] == TaskStatus.COMPLETE:
        _resolve_dependents(uow, task_id)
    return "created" if existing is None else "updated"


def _settle_reviews(uow: UnitOfWork, task_id: int, code: str, old_status: str | None,
                    new_status: str) -> None:
    """A task V1 says is in review can be reviewed here: it gets its tier's first stage
    (tier 3, the coordinator, unless it has a tier); one that leaves review has its pending
    reviews cancelled."""
    if new_status == TaskStatus.REVIEW:
        if next(review_store.list_reviews(uow.conn, status="pending", task_id=task_id), None):
            return
        task = task_store.find_task(uow.conn, task_id)
        tier = 3 if task.review_tier is None else task.review_tier
        round_ = task.review_round + 1
        stages = review_policy(uow).stages
        if tier not in stages:
            return  # the team has no such tier any more: reviewed by hand
        task_store.update_task(uow.conn, task_id, review_tier=tier, review_round=round_)
        request_reviews(uow, task_id, code, round_, first_stage(tier, stages))
    elif old_status == TaskStatus.REVIEW:
        review_store.cancel_pending_reviews(uow.conn, task_id, uow.now)


def _current(uow: UnitOfWork, existing: Task | None, task_id: int) -> dict:
    if existing is None:
        return {}
    values = {key: getattr(existing, key) for key in COLUMNS if key != "status"}
    return {**values, "status": existing.status, "depends_on": sorted(existing.depends_on),
            "ds_rating": v1_store.v1_rating(uow.conn, task_id)}


def _resolve_dependents(uow: UnitOfWork, task_id: int) -> None:
    """Work that waited on a task the file now says is complete is no longer blocked by it."""
    dependents = task_store.resolve_dependencies_on(uow.conn, task_id, uow.now)
    for unblocked in task_store.unblock_ready(uow.conn, dependents, uow.now):
        task_store.add_history(uow.conn, unblocked, TaskStatus.BLOCKED, TaskStatus.PENDING,
                               uow.actor, uow.now, "a V1 import completed its blocker")
