"""Workflow transitions per second through the service layer, against raw sqlite3."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import print_table
from idolq.services import queries
from idolq.services.reviews import approve_review
from idolq.services.setup import init_database
from idolq.services.tasks import NewTask, complete_task, create_task, start_task
from idolq.store.connection import connect, open_database

TARGET = 0.65


def service_transitions_per_second(tasks: int) -> float:
    """create -> start -> complete -> approve (tier 3), each its own transaction: what one
    long-lived process (`idolq shell`, `idolq mcp`, an agent using the library) gets."""
    db = Path(tempfile.mkdtemp(prefix="idolq-bench-tp-")) / "q.db"
    init_database(db)
    conn = open_database(db)
    return tasks * 4 / _workflows(conn, tasks)


def batch_transitions_per_second(tasks: int, per_batch: int = 25) -> float:
    """The same workflows, `per_batch` tasks per transaction: what `idolq batch` does (one
    transaction for all its lines; each operation a savepoint of it)."""
    from idolq.store.transaction import transaction

    db = Path(tempfile.mkdtemp(prefix="idolq-bench-batch-")) / "q.db"
    init_database(db)
    conn = open_database(db)
    start = time.perf_counter()
    for first in range(0, tasks, per_batch):
        with transaction(conn):  # wall time, commits and review look-ups included
            _workflows(conn, min(per_batch, tasks - first))
    return tasks * 4 / (time.perf_counter() - start)


def _workflows(conn, tasks: int) -> float:
    """Seconds spent in the transitions of `tasks` workflows (the review look-up excluded)."""
    spent = 0.0
    for n in range(tasks):
        start = time.perf_counter()
        task = create_task(conn, NewTask(f"t{n}", "content", review_tier=3), "agent:02")
        start_task(conn, task.id, "agent:02")
        complete_task(conn, task.id, "agent:02")
        spent += time.perf_counter() - start
        review = queries.list_reviews(conn, status="pending", task_ref=task.id)[0]
        start = time.perf_counter()
        approve_review(conn, review.id, "agent:00")
        spent += time.perf_counter() - start
    return spent


def raw_sqlite_transactions_per_second(transactions: int) -> float:
    """The floor: a row plus an event row per committed transaction, same durability."""
    db = Path(tempfile.mkdtemp(prefix="idolq-bench-raw-")) / "raw.db"
    conn = connect(db)  # same pragmas as idolq: busy timeout, synchronous FULL
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, title TEXT, status TEXT, at TEXT)")
    conn.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, type TEXT, payload TEXT, at TEXT)")
    start = time.perf_counter()
    for n in range(transactions):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO items (title, status, at) VALUES (?, 'pending', ?)",
                     (f"t{n}", "2026-01-01T00:00:00+00:00"))
        conn.execute("INSERT INTO events (type, payload, at) VALUES ('x', ?, ?)",
                     (json.dumps({"n": n}), "2026-01-01T00:00:00+00:00"))
        conn.execute("COMMIT")
    return transactions / (time.perf_counter() - start)


def run(tasks: int, rounds: int = 5) -> dict:
    """Alternate floor and service rounds, so drift in the disk hits both alike."""
    service_runs, raw_runs, batch_runs = [], [], []
    for _ in range(rounds):
        raw_runs.append(raw_sqlite_transactions_per_second(tasks * 4))
        service_runs.append(service_transitions_per_second(tasks))
        batch_runs.append(batch_transitions_per_second(tasks))
    ratio = statistics.median(s / r for s, r in zip(service_runs, raw_runs, strict=True))
    batch_ratio = statistics.median(b / r for b, r in zip(batch_runs, raw_runs, strict=True))
    service, raw = statistics.median(service_runs), statistics.median(raw_runs)
    batch = statistics.median(batch_runs)
    print_table(f"Throughput in one process: {tasks} tasks x 4 transitions, median of {rounds} "
                f"alternating rounds (target >= {TARGET:.0%} of the floor)",
                ["what", "transitions/s", "ratio", "target met"],
                [["raw sqlite3: row + event per commit (floor)", raw, 1.0, ""],
                 ["idolq services, one transaction per transition (shell, mcp)", service,
                  ratio, "yes" if ratio >= TARGET else "NO"],
                 ["idolq services, 25 workflows per transaction (batch)", batch, batch_ratio,
                  ""]])
    return {"service_tps": service, "raw_tps": raw, "ratio": ratio, "batch_tps": batch}
