"""N agents driving full workflows against one database, measured two ways.

- in-process: each agent is one Python process calling the service layer (benchmarks/worker.py):
  what `idolq batch`, `idolq shell` or an MCP server would see, one transaction per transition.
- whole processes: each agent runs one `idolq` process per command
  (benchmarks/process_worker.py), as agents and shell scripts call idolq: each command alone
  in its process, then the same with an `idolq serve` running (IDOLQ_SERVER), beside the
  floor of any Python command-line tool.
"""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from benchmarks.common import (
    collect_reports,
    idolq_command,
    percentile,
    print_table,
    start_workers,
)
from idolq.services.setup import init_database


def run(process_counts: list[int], tasks_per_process: int, whole_tasks: int = 0) -> dict:
    results = {"in_process": _run_in_process(process_counts, tasks_per_process)}
    if whole_tasks:
        results["whole_process"] = run_whole_processes(process_counts, whole_tasks)
    return results


def run_whole_processes(process_counts: list[int], tasks_per_agent: int) -> dict:
    """N agents, each calling `idolq` as one process per command, in three lanes run one after
    the other for each N: each command alone in its process; the same commands with an
    `idolq serve` running and IDOLQ_SERVER set (the process hands the command to the warm
    server); and the floor, N agents each starting as many bare Python processes that commit
    one row durably (benchmarks/process_worker.py --floor). The ratios are what idolq reaches
    of what any Python command-line tool could reach on this machine."""
    rows, results = [], {}
    for count in process_counts:
        alone = _whole_run(count, tasks_per_agent, floor=False)
        served = _whole_run(count, tasks_per_agent, floor=False, serve=True)
        floor_run = _whole_run(count, tasks_per_agent, floor=True)
        results[count] = {"tps": alone["tps"], "errors": alone["errors"],
                          "served_tps": served["tps"], "served_errors": served["errors"],
                          "floor_tps": floor_run["tps"], "floor_errors": floor_run["errors"]}
        for lane, run in (("alone", alone), ("served", served)):
            latency = "; ".join(f"{name} {percentile(s, 0.5) * 1000:.0f}/"
                                f"{percentile(s, 0.99) * 1000:.0f}"
                                for name, s in run["latencies"].items())
            rows.append([count, lane, run["transitions"], run["tps"], run["errors"],
                         floor_run["tps"], run["tps"] / floor_run["tps"], latency])
    print_table(f"Concurrency, whole processes: N agents each running {tasks_per_agent} "
                "workflows, one `idolq` process per command, alone or with `idolq serve` "
                "(target: >= 35 transitions/s from 2 agents up, no errors); floor: the same "
                "processes as bare Python durable writes, run alternately with idolq",
                ["agents", "lane", "transitions", "transitions/s", "errors",
                 "floor transitions/s", "x floor", "per command: p50/p99 ms"], rows)
    return results


@contextmanager
def _server(folder: Path) -> Iterator[dict]:
    """An `idolq serve` for the run: the environment its agents get."""
    socket_path = Path(tempfile.mkdtemp(prefix="iq", dir="/tmp")) / "s.sock"
    server = subprocess.Popen([*idolq_command("serve", str(socket_path), "--json")],
                              stdout=subprocess.PIPE, text=True, cwd=folder)
    try:
        if not server.stdout.readline():
            raise RuntimeError("idolq serve did not start")
        yield {"IDOLQ_SERVER": str(socket_path)}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        shutil.rmtree(socket_path.parent, ignore_errors=True)


def _whole_run(count: int, tasks_per_agent: int, floor: bool, serve: bool = False) -> dict:
    db = Path(tempfile.mkdtemp(prefix="idolq-bench-whole-")) / "q.db"
    if floor:
        connection = sqlite3.connect(db)
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("CREATE TABLE floor (id INTEGER PRIMARY KEY, worker TEXT, payload TEXT)")
        connection.close()
    else:
        init_database(db)
    with _server(db.parent) if serve else nullcontext({"IDOLQ_SERVER": ""}) as env:
        started = time.perf_counter()
        agents = start_workers([["benchmarks.process_worker", str(db), f"{n + 1:02d}",
                                 str(tasks_per_agent), *(["--floor"] if floor else [])]
                                for n in range(count)], env)
        reports = collect_reports(agents, {"transitions": 0, "latencies": {}})
        wall = time.perf_counter() - started
    transitions = sum(r["transitions"] for r in reports)
    errors = [e for r in reports for e in r["errors"]]
    if errors:
        lane = " (floor)" if floor else " (served)" if serve else ""
        print(f"  errors with {count} agents{lane}, first: {errors[0]}")
    by_command: dict[str, list[float]] = {}
    for report in reports:
        for name, samples in report["latencies"].items():
            by_command.setdefault(name, []).extend(samples)
    return {"transitions": transitions, "tps": transitions / wall, "errors": len(errors),
            "latencies": by_command}


def _run_in_process(process_counts: list[int], tasks_per_process: int) -> dict:
    rows, results = [], {}
    for count in process_counts:
        db = Path(tempfile.mkdtemp(prefix="idolq-bench-conc-")) / "q.db"
        init_database(db)
        started = time.perf_counter()
        workers = start_workers([["benchmarks.worker", str(db), f"{n:02d}",
                                  str(tasks_per_process)] for n in range(count)])
        command_latencies = _sample_command_latency(db, workers)
        reports = collect_reports(workers, {"transitions": 0, "latencies": []})
        wall = time.perf_counter() - started
        transitions = sum(r["transitions"] for r in reports)
        errors = [e for r in reports for e in r["errors"]]
        latencies = [x for r in reports for x in r["latencies"]]
        results[count] = {"tps": transitions / wall, "errors": len(errors),
                          "p99_ms": percentile(latencies, 0.99) * 1000}
        rows.append([count, transitions, transitions / wall, len(errors),
                     percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000,
                     percentile(command_latencies, 0.99) * 1000 if command_latencies else "-"])
        if errors:
            print(f"  errors with {count} processes, first: {errors[0]}")
    print_table(f"Concurrency, in-process: N processes calling the service layer, "
                f"{tasks_per_process} workflows each (target: no errors)",
                ["processes", "transitions", "transitions/s", "errors", "p50 ms", "p99 ms",
                 "p99 ms `idolq task ready` process under load"], rows)
    return results


def _sample_command_latency(db: Path, workers: list[subprocess.Popen]) -> list[float]:
    """Time whole `idolq task ready` processes while the workers run."""
    samples = []
    while any(w.poll() is None for w in workers) and len(samples) < 200:
        start = time.perf_counter()
        subprocess.run(idolq_command("task", "ready", "--limit", "20", "--json", "--db", str(db)),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        samples.append(time.perf_counter() - start)
    return samples
