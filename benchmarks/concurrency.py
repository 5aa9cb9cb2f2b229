"""1, 2, 4 and 8 processes driving full workflows against one database."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, idolq_command, percentile, print_table
from idolq.services.setup import init_database


def run(process_counts: list[int], tasks_per_process: int) -> dict:
    rows, results = [], {}
    for count in process_counts:
        db = Path(tempfile.mkdtemp(prefix="idolq-bench-conc-")) / "q.db"
        init_database(db)
        started = time.perf_counter()
        workers = [subprocess.Popen([sys.executable, "-m", "benchmarks.worker", str(db),
                                     f"{n:02d}", str(tasks_per_process)], cwd=ROOT,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for n in range(count)]
        command_latencies = _sample_command_latency(db, workers)
        reports = []
        for worker in workers:
            out, err = worker.communicate()
            reports.append(json.loads(out) if worker.returncode == 0 else
                           {"transitions": 0, "errors": [err.strip()[-200:]], "latencies": []})
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
    print_table(f"Concurrency: full workflows, {tasks_per_process} tasks per process "
                "(target: no errors)",
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
