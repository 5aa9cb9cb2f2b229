"""Whole-process wall time of common commands, as a ratio to `python -c "import typer"`."""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import idolq_command, print_table, run_process

COMMANDS = {
    "task create ... --json": ["task", "create", "Benchmark task", "--type", "lore", "--json"],
    "task list --json": ["task", "list", "--limit", "50", "--json"],
    "status --json": ["status", "--json"],
    "sla check --json": ["sla", "check", "--json"],
    "task show 1 --json": ["task", "show", "1", "--json"],
    "task edit 1 ... --json": ["task", "edit", "1", "--priority", "P1", "--json"],
    "task comment 1 ... --json": ["task", "comment", "1", "A note", "--json"],
    "task list (piped, human)": ["task", "list", "--limit", "50"],
}
TARGET_RATIO = 1.3


def run(runs: int) -> dict:
    _compile_like_pip_install()
    folder = Path(tempfile.mkdtemp(prefix="idolq-bench-startup-"))
    db = str(folder / "q.db")
    assert run_process(idolq_command("init", "--db", db)).returncode == 0
    for n in range(20):
        run_process(idolq_command("task", "create", f"seed {n}", "--type", "content", "--db", db))
    floor_command = [sys.executable, "-c", "import typer"]
    commands = {label: idolq_command(*args, "--db", db) for label, args in COMMANDS.items()}
    samples = _interleaved(floor_command, commands, runs)
    floor = statistics.median(samples.pop(None))
    rows, ratios = [], {}
    for label, times in samples.items():
        seconds = statistics.median(times)
        ratios[label] = seconds / floor
        rows.append([label, seconds * 1000, seconds / floor,
                     "yes" if seconds / floor <= TARGET_RATIO else "NO"])
    rows.insert(0, ['python -c "import typer" (floor)', floor * 1000, 1.0, ""])
    print_table(f"Startup: median of {runs} runs (target <= {TARGET_RATIO}x the floor)",
                ["command", "ms", "x floor", "target met"], rows)
    slowest = max(ratios, key=ratios.get)
    _print_importtime(COMMANDS[slowest], db, slowest)
    return {"floor_ms": floor * 1000, "ratios": ratios}


def _interleaved(floor: list[str], commands: dict[str, list[str]],
                 runs: int) -> dict[str | None, list[float]]:
    """Round-robin timings (floor first in each round), so that a busy moment of the machine
    weighs on the floor and on the commands alike."""
    samples: dict[str | None, list[float]] = {None: [], **{label: [] for label in commands}}
    for round_ in range(runs + 1):
        for label, command in [(None, floor), *commands.items()]:
            start = time.perf_counter()
            _quiet(command, ok=(0, 3))
            if round_:  # the first round warms the caches
                samples[label].append(time.perf_counter() - start)
    return samples


def _compile_like_pip_install() -> None:
    """`pip install` writes bytecode for the package; an editable checkout may not have it
    (for instance under PYTHONDONTWRITEBYTECODE), and compiling on every run is not what
    users measure."""
    import idolq

    compileall.compile_dir(Path(idolq.__file__).parent, quiet=1)


def _quiet(command: list[str], ok: tuple[int, ...] = (0,)) -> None:
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if result.returncode not in ok:
        raise RuntimeError(f"{command} failed: {result.stderr.decode()}")


def _print_importtime(args: list[str], db: str, label: str) -> None:
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "idolq", *args,
                             "--db", db], capture_output=True, text=True)
    rows = []
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    top = sorted(rows, reverse=True)[:12]
    print(f"\n`python -X importtime` for the slowest command ({label}), top cumulative imports:\n")
    print("```")
    for cumulative, name in top:
        print(f"{cumulative / 1000:8.1f} ms  {name}")
    print("```")
