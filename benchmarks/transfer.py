"""Backup and restore on databases of growing history: peak memory stays flat.

`idolq export` walks cursors and writes each line as it goes; `idolq import` inserts in
chunks. Each runs as its own process, and its peak resident memory is read from the
kernel's accounting of that child (getrusage), so the figures are the command's own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import idolq_command, print_table
from benchmarks.scale import build
from idolq.services.setup import init_database

TARGET_RATIO = 1.5

# Runs a command with stdin/stdout redirected and prints its own peak RSS (KiB on Linux).
# Linux counts a parent's resident memory at fork in the child's peak: a small Python (no
# site, nothing imported but subprocess) starts the command.
MEASURE = """
import os, subprocess, sys
source = open(sys.argv[1], "rb") if sys.argv[1] != "-" else None
target = open(sys.argv[2], "wb")
child = subprocess.Popen(sys.argv[3:], stdin=source, stdout=target)
_, status, usage = os.wait4(child.pid, 0)
print(usage.ru_maxrss)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def measure(command: list[str], stdin: str = "-", stdout: str = os.devnull) -> tuple[float, float]:
    """(peak MB, seconds) of one run of `command` in a process of its own."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-S", "-c", MEASURE, stdin, stdout, *command],
                            capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr[-500:]}")
    return int(result.stdout.split()[-1]) / 1024, seconds


def run(sizes: list[int]) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="idolq-bench-transfer-"))
    figures: dict[int, dict[str, float]] = {}
    try:
        for size in sizes:
            source, backup, target = (folder / f"{size}.db", folder / f"{size}.jsonl",
                                      folder / f"{size}-restored.db")
            build(source, size)
            init_database(target)
            export_mb, export_s = measure(idolq_command("export", "--db", str(source)),
                                          stdout=str(backup))
            import_mb, import_s = measure(idolq_command("import", "-", "--db", str(target)),
                                          stdin=str(backup))
            figures[size] = {"export_mb": export_mb, "export_s": export_s,
                             "import_mb": import_mb, "import_s": import_s,
                             "backup_mb": backup.stat().st_size / 1e6}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    smallest, largest = min(sizes), max(sizes)
    rows = []
    for key, label in (("export_mb", "export: peak memory (MB)"),
                       ("import_mb", "import: peak memory (MB)")):
        ratio = figures[largest][key] / figures[smallest][key]
        rows.append([label, *(figures[s][key] for s in sizes), ratio,
                     "yes" if ratio <= TARGET_RATIO else "NO"])
    for key, label in (("export_s", "export: seconds"), ("import_s", "import: seconds"),
                       ("backup_mb", "backup size (MB)")):
        rows.append([label, *(figures[s][key] for s in sizes), "", ""])
    print_table(f"Transfer: export and import as processes (target: peak memory at {largest:,} "
                f"tasks within {TARGET_RATIO}x of {smallest:,})",
                ["figure", *(f"{s:,} tasks" for s in sizes), "ratio", "target met"], rows)
    return figures
