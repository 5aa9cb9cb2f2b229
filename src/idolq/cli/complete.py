"""`idolq __complete WORD... CURRENT`: completion candidates, one per line, fast.

It runs on every Tab, so it imports neither Typer nor Rich: the command tree is read from
the generated `complete_tree.py`, live values (task codes, review ids, agents, types) from
the database with one indexed query on a read-only connection.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Sequence

FILES = "__files__"  # tells the shell script to complete file names
LIMIT = 200
TASK_STATUSES = ("pending", "in_progress", "blocked", "review", "complete", "cancelled",
                 "deferred")
REVIEW_STATUSES = ("pending", "approved", "rejected", "cancelled")


def main(words: Sequence[str]) -> int:
    try:
        for candidate in candidates(list(words)):
            sys.stdout.write(candidate + "\n")
    except Exception:  # completion must never print a traceback into the prompt
        return 1
    return 0


def candidates(words: list[str]) -> list[str]:
    """What may come in place of the last word, given the words before it."""
    from idolq.cli.complete_tree import TREE

    *before, current = words or [""]
    path, positional, db, expecting = [], 0, None, None
    for word in before:
        node = TREE[" ".join(path)]
        if expecting is not None:
            db = word if expecting == "--db" else db
            expecting = None
        elif word.startswith("-"):
            name = word.partition("=")[0]
            if node["options"].get(name) is not None and "=" not in word:
                expecting = name
        elif not positional and word in node["commands"]:
            path.append(word)
        else:
            positional += 1
    node = TREE[" ".join(path)]
    if expecting is not None:
        return values(node["options"][expecting], current, db)
    if current.startswith("-"):
        return [name for name in node["options"] if name.startswith(current)]
    if node["commands"] and not positional:
        return [name for name in node["commands"] if name.startswith(current)]
    args = node["args"]
    if not args:
        return []
    kind = args[min(positional, len(args) - 1)]
    return values(kind, current, db)


def values(kind: str, current: str, db: str | None) -> list[str]:
    if kind == "file":
        return [FILES]
    if kind == "task_status":
        return [s for s in TASK_STATUSES if s.startswith(current)]
    if kind == "review_status":
        return [s for s in REVIEW_STATUSES if s.startswith(current)]
    if kind == "event_type":
        from idolq.domain.events import ALL

        return [t for t in ALL if t.startswith(current)]
    query = QUERIES.get(kind)
    if query is None:
        return []
    conn = _connect(db)
    if conn is None:
        return []
    try:
        return [str(row[0]) for row in query(conn, current)]
    finally:
        conn.close()


def _tasks(conn: sqlite3.Connection, prefix: str):
    if not prefix:  # the work still open, newest first
        return conn.execute("SELECT task_code FROM tasks WHERE status NOT IN"
                            " ('complete', 'cancelled') ORDER BY id DESC LIMIT ?", (LIMIT,))
    start = prefix.upper()
    return conn.execute("SELECT task_code FROM tasks WHERE task_code >= ? AND task_code < ?"
                        " ORDER BY task_code LIMIT ?", (start, start + "\uffff", LIMIT))


def _reviews(conn: sqlite3.Connection, prefix: str):
    rows = conn.execute("SELECT id FROM reviews WHERE status = 'pending' ORDER BY id LIMIT ?",
                        (LIMIT * 5,))
    return [row for row in rows if str(row[0]).startswith(prefix)]


def _agents(conn: sqlite3.Connection, prefix: str):
    rows = conn.execute("SELECT agent_number FROM agents ORDER BY agent_number")
    return [row for row in rows if str(row[0]).startswith(prefix)]


def _task_types(conn: sqlite3.Connection, prefix: str):
    return conn.execute("SELECT DISTINCT task_type FROM routing_rules WHERE task_type"
                        " LIKE ? || '%' ORDER BY 1", (prefix,))


def _content_types(conn: sqlite3.Connection, prefix: str):
    return conn.execute("SELECT DISTINCT content_type FROM routing_rules WHERE content_type"
                        " LIKE ? || '%' ORDER BY 1", (prefix,))


QUERIES = {"task": _tasks, "review": _reviews, "agent": _agents, "task_type": _task_types,
           "content_type": _content_types}


def _connect(db: str | None) -> sqlite3.Connection | None:
    """The database a command would use, read-only; None when there is none."""
    from idolq.domain.errors import IdolqError
    from idolq.store.connection import database_url, locate

    try:
        url = database_url(db)
        if url is not None:
            from idolq.store.pg import connect

            return connect(url)
        path = locate(os.path.expanduser(db) if db else None)
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.5)
        conn.execute("PRAGMA query_only = ON")
        return conn
    except (IdolqError, sqlite3.Error, OSError, ImportError):
        return None
