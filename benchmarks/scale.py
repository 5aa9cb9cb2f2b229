"""Read commands on databases of growing history: 1k, 100k and 1M tasks.

A team's open work is bounded by what its agents can hold, while its history only grows.
So each database has the same open set (pending, in progress, blocked, in review, and some
overdue P0/P1 tasks and reviews), the same last 30 days of work (content written, reviewed,
scheduled and published, and items on the calendar for the coming weeks), and a growing
older history of completed and cancelled tasks, each with its review and four events, a
tenth of them with a published calendar item. A command that uses its indexes stays flat as
history grows; one that scans history does not.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path

from benchmarks.common import idolq_command, median_seconds, print_table
from idolq.cli.report_page import render_page
from idolq.cli.views import event_json, task_json
from idolq.services import queries
from idolq.services.metrics import measure
from idolq.services.report import gather
from idolq.services.setup import init_database
from idolq.services.sla import check_sla
from idolq.store.connection import open_database

OPEN_SET = {"pending": 80, "in_progress": 30, "blocked": 30, "review": 60}
TARGET_RATIO = 2.0
BATCH = 50_000


def build(path: Path, total_tasks: int, seed: int = 7) -> None:
    init_database(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    rng = random.Random(seed)
    open_statuses = [s for s, n in OPEN_SET.items() for _ in range(n)]
    history = max(0, total_tasks - len(open_statuses))
    statuses = ["complete" if rng.random() < 0.97 else "cancelled" for _ in range(history)]
    statuses += open_statuses
    conn.execute("BEGIN")
    for start in range(0, len(statuses), BATCH):
        _insert_batch(conn, statuses[start:start + BATCH], start, rng)
    _insert_recent(conn, len(statuses) + 1, rng)
    conn.execute("INSERT INTO task_code_counters VALUES ('CONTENT', ?)",
                 (len(statuses) + RECENT_TASKS,))
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


def _insert_batch(conn: sqlite3.Connection, statuses: list[str], offset: int,
                  rng: random.Random) -> None:
    base = 1_700_000_000
    tasks, reviews, events = [], [], []
    for i, status in enumerate(statuses, offset + 1):
        created = base + i * 30
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(created))
        done = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(created + 3600))
        finished = status in ("complete", "cancelled")
        priority = rng.choice((0, 1, 2, 2, 3))
        tasks.append((i, f"CONTENT-{i:03d}", f"Task {i}", "content", "tweet", status, priority,
                      rng.randrange(10), 3, 1 if status in ("review", "complete") else 0,
                      stamp, stamp, done if status == "complete" else None, stamp))
        review_status = {"complete": "approved", "review": "pending"}.get(status)
        if review_status:
            reviews.append((i, "coordinator", 0, 1, review_status, stamp,
                            done if review_status == "approved" else None,
                            60.0 if review_status == "approved" else None))
        payload = json.dumps({"task_id": i, "task_code": f"CONTENT-{i:03d}"})
        kinds = ("task.created", "task.started", "task.completed", "task.approved") \
            if finished else ("task.created",)
        events.extend((kind, payload, "bench", "agent:02", stamp, i) for kind in kinds)
    conn.executemany(
        "INSERT INTO tasks (id, task_code, title, task_type, content_type, status, priority,"
        " assigned_agent, review_tier, review_round, created_at, updated_at, completed_at,"
        " created_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(*t[:12], t[12], "bench") for t in tasks])
    conn.executemany(
        "INSERT INTO reviews (task_id, review_type, reviewer_agent, round, status, requested_at,"
        " completed_at, review_time_minutes) VALUES (?,?,?,?,?,?,?,?)", reviews)
    conn.executemany(
        "INSERT INTO event_log (event_type, payload, source, actor, timestamp, task_id)"
        " VALUES (?,?,?,?,?,?)", events)
    conn.executemany(
        "INSERT INTO calendar_items (content_id, task_id, scheduled_at, status, published_at,"
        " created_by, created_at, updated_at) VALUES (?, ?, ?, 'published', ?, 'bench', ?, ?)",
        [(t[1], t[0], t[12], t[12], t[10], t[10]) for t in tasks
         if t[5] == "complete" and t[0] % 10 == 0])


RECENT_TASKS = 300
RECENT_STEPS = (  # (event type, minutes after creation, payload extras)
    ("task.created", 0, {"assigned_agent": 2, "status": "pending"}),
    ("task.started", 30, {"assigned_agent": 2}),
    ("task.completed", 150, {"status": "review", "review_tier": 3, "review_round": 1}),
    ("review.approved", 240, {"review_type": "coordinator", "round": 1,
                              "review_time_minutes": 90.0}),
    ("task.approved", 240, {"round": 1, "status": "complete"}),
    ("content.scheduled", 250, {}),
    ("content.published", 600, {}),
)


def _insert_recent(conn: sqlite3.Connection, first_id: int, rng: random.Random) -> None:
    """The last 30 days, the same in every database: RECENT_TASKS pieces of content taken
    from creation to publication, and as many items scheduled for the coming weeks."""
    now = int(time.time())
    stamp = lambda seconds: time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(seconds))  # noqa: E731
    tasks, events, items = [], [], []
    for n in range(RECENT_TASKS):
        task_id, created = first_id + n, now - 29 * 86400 + n * 8000
        code = f"CONTENT-{task_id:03d}"
        tasks.append((task_id, code, stamp(created), stamp(created + 14400)))
        for kind, minutes, extra in RECENT_STEPS:
            payload = json.dumps({"task_id": task_id, "task_code": code, **extra})
            actor = "human:lead" if kind.startswith("content") else f"agent:0{rng.choice((0, 2))}"
            events.append((kind, payload, "bench", actor, stamp(created + minutes * 60), task_id))
        items.append((code, task_id, stamp(created + 36000), "published", stamp(created + 36000)))
        items.append((code, task_id, stamp(now + n * 6000), "scheduled", None))
    conn.executemany(
        "INSERT INTO tasks (id, task_code, title, task_type, content_type, status, priority,"
        " assigned_agent, review_tier, review_round, created_at, updated_at, completed_at,"
        " created_by) VALUES (?, ?, 'Recent post', 'content', 'tweet', 'complete', 2, 2, 3, 1,"
        " ?, ?, ?, 'bench')", [(i, c, made, done, done) for i, c, made, done in tasks])
    conn.executemany(
        "INSERT INTO event_log (event_type, payload, source, actor, timestamp, task_id)"
        " VALUES (?,?,?,?,?,?)", events)
    conn.executemany(
        "INSERT INTO calendar_items (content_id, task_id, scheduled_at, status, published_at,"
        " created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'bench', ?, ?)",
        [(*item, item[2], item[2]) for item in items])


def operations(conn: sqlite3.Connection) -> dict:
    ops = {
        "status": lambda: queries.status(conn),
        "task ready": lambda: [task_json(t) for t in queries.ready_tasks(conn)],
        "task list --status pending --limit 50": lambda: [
            task_json(t) for t in queries.list_tasks(conn, ["pending"], limit=50)],
        "events tail -n 20": lambda: [event_json(e) for e in queries.last_events(conn, 20)],
    }
    ops["sla check"] = lambda: check_sla(conn, "cron:bench")
    ops["metrics (30 days)"] = lambda: measure(conn, UTC)
    ops["report --html (30 days)"] = lambda: render_page(gather(conn))
    return ops


MEMORY_TARGET = 1.5
LISTINGS = {
    "task list --json": ["task", "list", "--json"],
    "task list (piped table)": ["task", "list"],
    "review list --json": ["review", "list", "--json"],
    "events tail -n 1000000 --json": ["events", "tail", "-n", "1000000", "--json"],
}


def peak_memory(sizes: list[int]) -> dict:
    """Peak RSS of whole `idolq` processes listing everything, as the history grows."""
    folder = Path(tempfile.mkdtemp(prefix="idolq-bench-memory-"))
    peaks: dict[int, dict[str, tuple[float, float]]] = {}
    for size in sizes:
        path = folder / f"tasks-{size}.db"
        build(path, size)
        peaks[size] = {name: _peak_of(idolq_command(*args, "--db", str(path)))
                       for name, args in LISTINGS.items()}
        path.unlink()
    smallest, largest = min(sizes), max(sizes)
    rows = []
    for name in LISTINGS:
        ratio = peaks[largest][name][0] / peaks[smallest][name][0]
        rows.append([name, *(f"{peaks[s][name][0]:.1f} MB, {peaks[s][name][1]:.2f} s"
                             for s in sizes), ratio,
                     "yes" if ratio <= MEMORY_TARGET else "NO"])
    print_table(f"Memory: peak RSS and wall time of one whole process listing every row "
                f"(target: at {largest:,} tasks within {MEMORY_TARGET}x of {smallest:,})",
                ["listing", *(f"{s:,} tasks" for s in sizes), "peak ratio", "target met"], rows)
    return {s: {k: v[0] for k, v in p.items()} for s, p in peaks.items()}


# Linux counts a parent's resident memory at fork in the child's peak; a small Python
# (no site, nothing imported) starts the command, so the figure is the command's own.
PEAK_PROBE = """
import os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss, time.perf_counter() - started)
"""


def _peak_of(command: list[str]) -> tuple[float, float]:
    """(peak resident memory in MB, wall seconds) of one whole process."""
    probe = subprocess.run([sys.executable, "-I", "-S", "-c", PEAK_PROBE, *command],
                           capture_output=True, text=True, check=True)
    status, peak_kb, seconds = probe.stdout.split()
    if status != "0":
        raise RuntimeError(f"{command} failed with exit status {status}")
    return int(peak_kb) / 1024, float(seconds)


def run(sizes: list[int], runs: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="idolq-bench-scale-"))
    timings: dict[int, dict[str, float]] = {}
    sizes_mb: dict[int, float] = {}
    for size in sizes:
        path = folder / f"tasks-{size}.db"
        started = time.perf_counter()
        build(path, size)
        built = time.perf_counter() - started
        sizes_mb[size] = os.path.getsize(path) / 1e6
        conn = open_database(path)
        timings[size] = {name: median_seconds(op, runs, warmup=2)
                         for name, op in operations(conn).items()}
        conn.close()
        print(f"built {size:,} tasks in {built:.1f}s ({sizes_mb[size]:.1f} MB)", flush=True)
    smallest, largest = min(sizes), max(sizes)
    rows = []
    for name in timings[smallest]:
        ratio = timings[largest][name] / timings[smallest][name]
        rows.append([name, *(timings[s][name] * 1000 for s in sizes), ratio,
                     "yes" if ratio <= TARGET_RATIO else "NO"])
    rows.append(["database size (MB)", *(sizes_mb[s] for s in sizes), "", ""])
    print_table(f"Scale: median ms of {runs} runs in one process (target: at {largest:,} tasks "
                f"within {TARGET_RATIO}x of {smallest:,})",
                ["operation", *(f"{s:,} tasks" for s in sizes), "ratio", "target met"], rows)
    for size in sizes:
        (folder / f"tasks-{size}.db").unlink(missing_ok=True)
    return {"timings_ms": {s: {k: v * 1000 for k, v in t.items()} for s, t in timings.items()},
            "size_mb": sizes_mb}
