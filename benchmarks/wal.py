"""Which pages each transition writes: WAL frames per commit, by table and index.

Reads the WAL itself (each frame names its page) and maps pages to their b-trees with
SQLite's `dbstat` table, on a database with history, so the pages are those of a real queue.
"""

from __future__ import annotations

import struct
import tempfile
from collections import Counter
from pathlib import Path

from benchmarks.common import print_table
from idolq.services import queries
from idolq.services.reviews import approve_review
from idolq.services.tasks import NewTask, complete_task, create_task, start_task
from idolq.store.connection import open_database

WAL_HEADER, FRAME_HEADER = 32, 24


def _frames(wal: Path, page_size: int, start: int) -> list[int]:
    """Page numbers of the frames written after byte `start` of the WAL."""
    data = wal.read_bytes()[start:]
    step = FRAME_HEADER + page_size
    return [struct.unpack(">I", data[i:i + 4])[0] for i in range(0, len(data) - step + 1, step)]


def run(history: int = 2_000, samples: int = 20) -> dict:
    from benchmarks.scale import build

    db = Path(tempfile.mkdtemp(prefix="idolq-bench-wal-")) / "q.db"
    build(db, history)
    conn = open_database(db)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    wal = db.with_name(db.name + "-wal")
    owners = {page: name for name, page in conn.execute("SELECT name, pageno FROM dbstat")}
    per_kind: dict[str, list[Counter]] = {}

    def measure(kind: str, action, *args):
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = wal.stat().st_size if wal.exists() else 0
        result = action(conn, *args)
        pages = _frames(wal, page_size, max(before, WAL_HEADER))
        fresh = {name: page for name, page in conn.execute("SELECT name, pageno FROM dbstat")}
        owners.update({page: name for name, page in fresh.items()})
        per_kind.setdefault(kind, []).append(Counter(owners.get(p, "new page") for p in pages))
        return result

    for n in range(samples):
        task = measure("create", create_task, NewTask(f"w{n}", "content", review_tier=3),
                       "agent:02")
        measure("start", start_task, task.id, "human:bench")  # the history fills agent 2
        measure("complete", complete_task, task.id, "agent:02")
        review = queries.list_reviews(conn, status="pending", task_ref=task.id)[0]
        measure("approve", approve_review, review.id, "agent:00")
    rows, summary = [], {}
    for kind, counts in per_kind.items():
        total = sum(sum(c.values()) for c in counts) / len(counts)
        summary[kind] = total
        merged = Counter()
        for c in counts:
            merged.update(c)
        where = ", ".join(f"{name} {n / len(counts):.1f}" for name, n in merged.most_common())
        rows.append([kind, total, where])
    conn.close()
    print_table(f"WAL frames per commit (mean of {samples}, on {history:,} tasks of history)",
                ["transition", "frames", "pages written, by b-tree"], rows)
    return summary


if __name__ == "__main__":
    run()
