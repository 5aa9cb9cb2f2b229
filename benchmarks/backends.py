"""SQLite beside PostgreSQL on the same machine, every figure measured for both in one run:

- transitions/s with N concurrent processes, each one Python process calling the service
  layer (benchmarks/worker.py);
- claims/s with N concurrent claimer processes (benchmarks/claim_worker.py);
- `idolq sla check` and `idolq status` as whole processes on databases of 100k and 1M tasks
  (benchmarks/scale.py's history, copied into PostgreSQL row for row);
- the startup of one `idolq status` process on a new database.

Usage: python -m benchmarks.backends --pg postgresql://user@host:port/db
           [--processes 1 4 8 16] [--per-process 25] [--claims 100]
           [--sizes 100000 1000000] [--runs 5]
Each PostgreSQL run gets a fresh schema in that database (dropped afterwards).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks import scale
from benchmarks.common import (
    collect_reports,
    idolq_command,
    machine_description,
    print_table,
    start_workers,
)
from idolq.services.setup import init_database
from idolq.services.tasks import NewTask, create_task
from idolq.services.team import AgentChanges, edit_agent
from idolq.store import pg_schema, transfer
from idolq.store.connection import open_database

LEAD = "human:bench"
BACKENDS = ["sqlite", "postgresql"]


def fresh_database(backend: str, pg: str, label: str) -> tuple[str, callable]:
    """A new idolq database and how to remove it."""
    if backend == "sqlite":
        return str(Path(tempfile.mkdtemp(prefix="idolq-bench-")) / "q.db"), lambda: None
    import psycopg

    schema = f"bench_{label}_{int(time.time() * 1000)}"
    with psycopg.connect(pg, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")

    def drop() -> None:
        with psycopg.connect(pg, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")

    joiner = "&" if "?" in pg else "?"
    return f"{pg}{joiner}options=-csearch_path%3D{schema}", drop


def transitions_per_second(db: str, processes: int, per_process: int) -> tuple[float, int]:
    started = time.perf_counter()
    workers = start_workers([["benchmarks.worker", db, f"{n:02d}", str(per_process)]
                             for n in range(processes)])
    reports = collect_reports(workers, {"transitions": 0})
    return (sum(r["transitions"] for r in reports) / (time.perf_counter() - started),
            sum(len(r["errors"]) for r in reports))


def command_ms(db: str, runs: int, *args: str) -> float:
    """Median wall time of one whole `idolq ARGS --json` process, after one untimed run
    (`sla check` exits 3 when it finds breaches: that is a result, not a failure)."""
    samples = []
    for n in range(runs + 1):
        start = time.perf_counter()
        done = subprocess.run(idolq_command(*args, "--json", "--db", db),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode not in (0, 3):
            raise RuntimeError(f"idolq {' '.join(args)}: exit {done.returncode}: {done.stderr}")
        if n:
            samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def startup_ms(db: str, runs: int) -> float:
    return command_ms(db, runs, "status")


def claims_per_second(db: str, processes: int, per_process: int) -> tuple[float, int, int]:
    """(claims/s from the first claim to the last, errors, tasks claimed twice)."""
    conn = open_database(db)
    edit_agent(conn, 2, AgentChanges(max_concurrent_tasks=processes * per_process + 1), LEAD)
    for n in range(processes * per_process):
        create_task(conn, NewTask(f"claimable {n}", "content", priority=n % 4), LEAD)
    conn.close()
    workers = start_workers([["benchmarks.claim_worker", db]] * processes)
    reports = collect_reports(workers, {"codes": [], "began": time.time(), "ended": 0})
    wall = max(r["ended"] for r in reports) - min(r["began"] for r in reports)
    codes = [c for r in reports for c in r["codes"]]
    return (len(codes) / wall if wall > 0 else float("nan"),
            sum(len(r["errors"]) for r in reports), len(codes) - len(set(codes)))


def copy_into_postgresql(source: Path, url: str) -> None:
    """Every row of an SQLite idolq database into a new PostgreSQL one (COPY, then the
    identity sequences moved past the highest id, then ANALYZE). The copy is checked by
    SQLite's own foreign keys: PostgreSQL's are not enforced while it runs (replica
    role), so the benchmark's URL must be a superuser's."""
    import psycopg

    init_database(url)
    lite = sqlite3.connect(source)
    names = transfer.tables(lite)
    with psycopg.connect(url) as pg:
        pg.execute("SET session_replication_role = replica")
        pg.execute("TRUNCATE " + ", ".join(f'"{name}"' for name in names) + " CASCADE")
        for name in names:
            columns = transfer.columns(lite, name)
            quoted = ", ".join(f'"{column}"' for column in columns)
            with pg.cursor().copy(f'COPY "{name}" ({quoted}) FROM STDIN') as copy:
                for row in lite.execute(f'SELECT {quoted} FROM "{name}"'):
                    copy.write_row(row)
            if "id" in columns:
                pg.execute(f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                           f'(SELECT COALESCE(MAX(id), 0) + 1 FROM "{name}"), false)')
        pg_schema.recount_status(pg)  # its triggers were off during the copy
    lite.close()
    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute("ANALYZE")


def at_scale(backends: list[str], pg: str, sizes: list[int], runs: int) -> list[list]:
    """`sla check` and `status` medians (ms) per backend and size; a row per command."""
    figures: dict[tuple[str, str, int], float] = {}
    for size in sizes:
        built = Path(tempfile.mkdtemp(prefix="idolq-bench-scale-")) / "q.db"
        scale.build(built, size)
        for backend in backends:
            if backend == "sqlite":
                db, drop = str(built), lambda: None
            else:
                db, drop = fresh_database(backend, pg, f"s{size}")
                copy_into_postgresql(built, db)
            for command in ("sla check", "status"):
                figures[(command, backend, size)] = command_ms(db, runs, *command.split())
            drop()
    return [[command, backend, *(f"{figures[(command, backend, size)]:.0f}" for size in sizes)]
            for command in ("sla check", "status") for backend in backends]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", required=True, help="a PostgreSQL URL the benchmark may use")
    parser.add_argument("--processes", type=int, nargs="*", default=[1, 4, 8, 16])
    parser.add_argument("--per-process", type=int, default=25)
    parser.add_argument("--claims", type=int, default=100, help="tasks per claimer process")
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    print(f"# SQLite and PostgreSQL\n\nMachine: {machine_description()}")
    transitions, claims, startup_rows = [], [], []
    for backend in BACKENDS:
        row, claim_row = [backend], [backend]
        for count in options.processes:
            db, drop = fresh_database(backend, options.pg, f"p{count}")
            init_database(db)
            tps, errors = transitions_per_second(db, count, options.per_process)
            row.append(f"{tps:.0f}" + (f" ({errors} errors)" if errors else ""))
            drop()
            db, drop = fresh_database(backend, options.pg, f"c{count}")
            init_database(db)
            cps, errors, doubles = claims_per_second(db, count, options.claims)
            claim_row.append(f"{cps:.0f}" + (f" ({errors} errors)" if errors else "")
                             + (f" ({doubles} claimed twice)" if doubles else ""))
            drop()
        transitions.append(row)
        claims.append(claim_row)
        db, drop = fresh_database(backend, options.pg, "startup")
        init_database(db)
        startup_rows.append([backend, startup_ms(db, options.runs)])
        drop()
    counts = [f"{n} processes" for n in options.processes]
    print_table(f"Transitions/s, N processes each running {options.per_process} tier-3 "
                "workflows through the service layer", ["backend", *counts], transitions)
    print_table(f"Claims/s, N claimer processes each with {options.claims} tasks to claim "
                "(first claim to last)", ["backend", *counts], claims)
    print_table("Startup: one `idolq status --json` process on a new database, median ms",
                ["backend", "ms"], startup_rows)
    if options.sizes:
        print_table(f"Whole `idolq ... --json` processes at scale, median ms of {options.runs}",
                    ["command", "backend", *(f"{n:,} tasks" for n in options.sizes)],
                    at_scale(BACKENDS, options.pg, options.sizes, options.runs))


if __name__ == "__main__":
    main()
