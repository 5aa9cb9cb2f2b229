"""Timing and reporting helpers shared by the benchmarks."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_seconds(action: Callable[[], object], runs: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def percentile(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def run_process(args: Sequence[str], env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, check=False)


def idolq_command(*args: str) -> list[str]:
    """`idolq ...` as users type it: the installed console script, else `python -m idolq`.

    With BENCH_PYTHON_NO_SITE set, `python -S -m idolq`: Python without site-packages' .pth
    hooks, for machines where such hooks dominate start-up (put idolq's and its dependencies'
    folders in PYTHONPATH; see docs/performance.md)."""
    if os.environ.get("BENCH_PYTHON_NO_SITE"):
        return [sys.executable, "-S", "-m", "idolq", *args]
    script = Path(sys.executable).with_name("idolq")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-m", "idolq", *args]


def start_workers(commands: Sequence[Sequence[str]], env: dict | None = None
                  ) -> list[subprocess.Popen]:
    """Benchmark workers (`python -m benchmarks.X ...`), one process per command, all at once."""
    return [subprocess.Popen([sys.executable, "-m", *command], cwd=ROOT,
                             env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for command in commands]


def collect_reports(workers: Sequence[subprocess.Popen], failed: dict) -> list[dict]:
    """Each worker's one-line JSON report; a worker that failed reports as `failed` with the
    end of its stderr as its error (counted, never hidden)."""
    reports = []
    for worker in workers:
        out, err = worker.communicate()
        reports.append(json.loads(out) if worker.returncode == 0 else
                       {**failed, "errors": [err.strip()[-200:]]})
    return reports


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h)
              for i, h in enumerate(headers)]
    print(f"\n## {title}\n")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells:
        print("| " + " | ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) + " |")
    sys.stdout.flush()


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def machine_description() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"SQLite {__import__('sqlite3').sqlite_version}, {platform.system()} "
            f"{platform.release()}")
