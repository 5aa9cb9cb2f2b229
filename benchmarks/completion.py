"""Completion runs on every Tab: `idolq __complete` on databases of growing history.

Target: a task code completes in under 150 ms on a 100k-task database (a real process, as
the shell runs it).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from benchmarks.common import idolq_command, median_seconds, print_table, run_process
from benchmarks.scale import build

TARGET_MS = 150
CASES = {
    "task codes (CONTENT-00)": ["task", "show", "CONTENT-00"],
    "open tasks (empty word)": ["task", "start", ""],
    "pending reviews": ["review", "approve", ""],
    "task types": ["task", "create", "x", "--type", ""],
    "subcommands (no database)": ["task", "s"],
}


def run(sizes: list[int], runs: int) -> None:
    bare = [sys.executable, "-c", "pass"]
    rows = [["-", "bare Python start (the floor)", 0,
             median_seconds(lambda: run_process(bare), runs) * 1000, "-"]]
    with tempfile.TemporaryDirectory(prefix="idolq-bench-complete-") as scratch:
        for size in sizes:
            path = Path(scratch) / f"complete-{size}.db"
            build(path, size)
            for label, words in CASES.items():
                command = idolq_command("__complete", "--db", str(path), *words)
                result = run_process(command)
                assert result.returncode == 0, result.stderr
                seconds = median_seconds(lambda c=command: run_process(c), runs)
                rows.append([size, label, len(result.stdout.splitlines()), seconds * 1000,
                             "yes" if seconds * 1000 < TARGET_MS else "NO"])
    print_table(f"Completion (a real process per Tab; target under {TARGET_MS} ms)",
                ["tasks", "completing", "candidates", "median ms", "under target"], rows)
