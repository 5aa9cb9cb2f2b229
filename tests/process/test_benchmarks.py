"""The benchmarks still run (at a tiny size); their timings are never asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_benchmarks_run_at_a_tiny_size_and_print_every_table():
    result = subprocess.run([sys.executable, "-m", "benchmarks", "--size", "tiny"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    for title in ("## Startup", "## Throughput", "## WAL frames", "## Scale", "## Memory",
                  "## Concurrency, in-process", "## Concurrency, whole processes", "## Claims",
                  "## Prime", "## Completion", "## Transfer", "## Lanes"):
        assert title in result.stdout
    scale = result.stdout.split("## Scale", 1)[1].split("## Concurrency", 1)[0]
    assert "| metrics (30 days)" in scale and "| report --html (30 days)" in scale
    in_process, whole = result.stdout.split("## Concurrency, ")[1:3]
    rows = [line for line in in_process.splitlines() if line.startswith("| ") and
            line.split("|")[1].strip().isdigit()]
    assert rows and all(row.split("|")[4].strip() == "0" for row in rows), "no errors"
    rows = [line.split("|") for line in whole.split("\n## ", 1)[0].splitlines()
            if line.startswith("| ") and line.split("|")[1].strip().isdigit()]
    assert {row[2].strip() for row in rows} == {"alone", "served"}
    assert all(row[5].strip() == "0" for row in rows), "no errors, alone or served"

    claims = result.stdout.split("## Claims", 1)[1].split("## Prime", 1)[0]
    rows = [line.split("|") for line in claims.splitlines() if line.startswith("| ") and
            line.split("|")[1].strip().isdigit()]
    assert rows and all(row[4].strip() == row[5].strip() == "0" for row in rows), "no doubles"
    assert all(int(row[2]) == 10 * int(row[1]) for row in rows), "every task claimed once"
