"""SQLite beside PostgreSQL on the same machine: transitions/s with N concurrent processes
(each one Python process calling the service layer, benchmarks/worker.py), and the startup
of one `idolq status` process.

Usage: python -m benchmarks.backends --pg postgresql://user@host:port/db
           [--processes 1 4 8 16] [--per-process 25] [--runs 5]
Each PostgreSQL run gets a fresh schema in that database (dropped afterwards).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, idolq_command, machine_description, print_table
from idolq.services.setup import init_database


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
    workers = [subprocess.Popen([sys.executable, "-m", "benchmarks.worker", db, f"{n:02d}",
                                 str(per_process)], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for n in range(processes)]
    transitions, errors = 0, 0
    for worker in workers:
        out, err = worker.communicate()
        report = json.loads(out) if worker.returncode == 0 else {"transitions": 0,
                                                                  "errors": [err]}
        transitions += report["transitions"]
        errors += len(report["errors"])
    return transitions / (time.perf_counter() - started), errors


def startup_ms(db: str, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(idolq_command("status", "--json", "--db", db), check=True,
                       stdout=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", required=True, help="a PostgreSQL URL the benchmark may use")
    parser.add_argument("--processes", type=int, nargs="*", default=[1, 4, 8, 16])
    parser.add_argument("--per-process", type=int, default=25)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    print(f"# SQLite and PostgreSQL\n\nMachine: {machine_description()}")
    rows, startup_rows = [], []
    for backend in ("sqlite", "postgresql"):
        row = [backend]
        for count in options.processes:
            db, drop = fresh_database(backend, options.pg, f"p{count}")
            init_database(db)
            tps, errors = transitions_per_second(db, count, options.per_process)
            row.append(f"{tps:.0f}" + (f" ({errors} errors)" if errors else ""))
            drop()
        rows.append(row)
        db, drop = fresh_database(backend, options.pg, "startup")
        init_database(db)
        startup_rows.append([backend, startup_ms(db, options.runs)])
        drop()
    print_table(f"Transitions/s, N processes each running {options.per_process} tier-3 "
                "workflows through the service layer",
                ["backend", *(f"{n} processes" for n in options.processes)], rows)
    print_table("Startup: one `idolq status --json` process, median ms",
                ["backend", "ms"], startup_rows)


if __name__ == "__main__":
    main()
