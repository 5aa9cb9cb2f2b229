"""`idolq demo`: a tier-1 task through the whole workflow, step by step."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from idolq.services import queries
from idolq.services.reviews import approve_review, reject_review
from idolq.services.tasks import NewTask, complete_task, create_task, start_task

WRITER = "agent:07"
CANON, CULTURAL, COORDINATOR = "agent:08", "agent:09", "agent:00"


def refuse_database_with_work(path: str) -> None:
    """The demo writes its own tasks: it never goes into a database that holds real work."""
    from pathlib import Path

    from idolq.domain.errors import Conflict
    from idolq.store.connection import database_name, database_url

    if database_url(path) is not None:
        held = _tasks_held(path)
    elif not Path(path).expanduser().exists():
        return
    else:
        held = _sqlite_tasks_held(path)
    if held:
        raise Conflict(f"{database_name(path)} already holds {held} task(s); the demo needs a"
                       " new or empty database")


def _tasks_held(url: str) -> int:
    from idolq.domain.errors import IdolqError
    from idolq.store.connection import open_database

    try:
        conn = open_database(url)
    except (IdolqError, sqlite3.Error):
        return 0  # not an idolq database: init says so
    try:
        return conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0]
    finally:
        conn.close()


def _sqlite_tasks_held(path: str) -> int:
    from pathlib import Path

    try:
        conn = sqlite3.connect(f"file:{Path(path).expanduser()}?mode=ro", uri=True)
        try:
            held = conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        held = 0  # not an idolq database: init says so
    return held


@dataclass
class Step:
    actor: str
    action: str
    outcome: str


def walk_through(conn: sqlite3.Connection) -> Iterator[Step]:
    chapter = create_task(conn, NewTask("Chapter 1: the first stage", "content", "chapter",
                                        priority=1, review_tier=1), "human:demo")
    yield Step("human:demo", f"task create {chapter.code} (tier 1, novel)",
               f"{chapter.status}, routed to agent {chapter.assigned_agent}")
    promo = create_task(conn, NewTask("Thread announcing chapter 1", "content", "thread",
                                      review_tier=3, depends_on=[chapter.id]), "human:demo")
    yield Step("human:demo", f"task create {promo.code} --depends-on {chapter.code}",
               f"{promo.status} by {', '.join(promo.blocked_by)}")
    for round_ in (1, 2):
        task = start_task(conn, chapter.id, WRITER) if round_ == 1 else None
        if task:
            yield Step(WRITER, f"task start {chapter.code}", task.status)
        task = complete_task(conn, chapter.id, WRITER, output_file=f"chapter-1-v{round_}.md")
        pending = _pending(conn, chapter.id)
        yield Step(WRITER, f"task complete {chapter.code}",
                   f"{task.status}, round {task.review_round}: requested "
                   + " + ".join(f"{r.review_type} (#{r.id})" for r in pending))
        if round_ == 1:
            yield from _reject_first_round(conn, chapter.code, pending)
    yield from _approve_second_round(conn, chapter.id)
    final = queries.show_task(conn, promo.id).task
    yield Step("workflow", f"dependency {chapter.code} resolved",
               f"{final.code} is {final.status}")


def _pending(conn: sqlite3.Connection, task_id: int):
    return queries.list_reviews(conn, status="pending", task_ref=task_id)


def _reject_first_round(conn: sqlite3.Connection, code: str, pending) -> Iterator[Step]:
    canon, cultural = (next(r for r in pending if r.review_type == t)
                       for t in ("canon", "cultural"))
    approve_review(conn, canon.id, CANON, notes="Consistent with canon")
    yield Step(CANON, f"review approve {canon.id} (canon)", "approved")
    reject_review(conn, cultural.id, CULTURAL, notes="The idol slang reads as dated; rework it",
                  ds_rating=1.5)
    task = queries.show_task(conn, code).task
    yield Step(CULTURAL, f"review reject {cultural.id} (cultural)",
               f"{code} back to {task.status}")


def _approve_second_round(conn: sqlite3.Connection, task_id: int) -> Iterator[Step]:
    for reviewer in (CANON, CULTURAL):
        review = next(r for r in _pending(conn, task_id)
                      if r.review_type == ("canon" if reviewer == CANON else "cultural"))
        rating = 3.5 if review.review_type == "cultural" else None
        approve_review(conn, review.id, reviewer, notes="Looks good", ds_rating=rating)
        after = _pending(conn, task_id)
        yield Step(reviewer, f"review approve {review.id} ({review.review_type})",
                   "approved" + "".join(f"; requested {r.review_type} (#{r.id})"
                                        for r in after if r.review_type == "coordinator"))
    coordinator = _pending(conn, task_id)[0]
    approve_review(conn, coordinator.id, COORDINATOR, notes="Ship it")
    task = queries.show_task(conn, task_id).task
    yield Step(COORDINATOR, f"review approve {coordinator.id} (coordinator)",
               f"{task.code} is {task.status}")
