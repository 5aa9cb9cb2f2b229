"""Whole-process wall time of common commands, as a ratio to `python -c "import typer"`."""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import idolq_command, print_table

# Each round acts on its own task or review: {pending}, {started} are task ids, {review} and
# {other_review} pending review ids, all prepared for the round.
COMMANDS = {
    "task create ... --json": ["task", "create", "Benchmark task", "--type", "lore", "--json"],
    "task start --json": ["task", "start", "{pending}", "--json"],
    "task complete --json": ["task", "complete", "{started}", "--json"],
    "task show --json": ["task", "show", "1", "--json"],
    "task ready --json": ["task", "ready", "--limit", "20", "--json"],
    "task list --json": ["task", "list", "--limit", "50", "--json"],
    "review approve --json": ["review", "approve", "{review}", "--json"],
    "review reject --json": ["review", "reject", "{other_review}", "--notes", "again", "--json"],
    "review list --json": ["review", "list", "--status", "pending", "--json"],
    "status --json": ["status", "--json"],
    "sla check --json": ["sla", "check", "--json"],
    "events tail --json": ["events", "tail", "--json"],
    "task show 1 --json": ["task", "show", "1", "--json"],
    "task edit 1 ... --json": ["task", "edit", "1", "--priority", "P1", "--json"],
    "task comment 1 ... --json": ["task", "comment", "1", "A note", "--json"],
}
TARGET_RATIO = 1.0
REFERENCE = {"python -c pass": [sys.executable, "-c", "pass"]}


def prepare(db: str, rounds: int) -> list[dict[str, int]]:
    """Per round: a pending task, a started task and two pending reviews."""
    from idolq.services import queries
    from idolq.services.setup import init_database
    from idolq.services.tasks import NewTask, complete_task, create_task, start_task
    from idolq.store.connection import open_database

    init_database(db)
    conn = open_database(db)

    actor = "human:bench"  # many tasks in progress for agent 1: past its capacity

    def task(state: str) -> int:
        made = create_task(conn, NewTask("Benchmark task", "lore", review_tier=3), actor)
        if state != "pending":
            start_task(conn, made.id, actor)
        if state == "review":
            complete_task(conn, made.id, actor)
            return queries.list_reviews(conn, status="pending", task_ref=made.id)[0].id
        return made.id

    prepared = [{"pending": task("pending"), "started": task("started"),
                 "review": task("review"), "other_review": task("review")}
                for _ in range(rounds)]
    conn.close()
    return prepared


def run(runs: int) -> dict:
    _compile_like_pip_install()
    folder = Path(tempfile.mkdtemp(prefix="idolq-bench-startup-"))
    db = str(folder / "q.db")
    prepared = prepare(db, runs + 1)
    floor_command = [sys.executable, "-c", "import typer"]
    commands = {label: idolq_command(*args, "--db", db) for label, args in COMMANDS.items()}
    samples = _interleaved(floor_command, {**REFERENCE, **commands}, runs, prepared)
    floor = statistics.median(samples.pop(None))
    rows, ratios = [], {}
    for label, times in samples.items():
        seconds = statistics.median(times)
        if label in REFERENCE:
            rows.append([label, seconds * 1000, seconds / floor, ""])
            continue
        ratios[label] = seconds / floor
        rows.append([label, seconds * 1000, seconds / floor,
                     "yes" if seconds / floor <= TARGET_RATIO else "NO"])
    rows.insert(0, ['python -c "import typer" (floor)', floor * 1000, 1.0, ""])
    print_table(f"Startup: whole processes, median of {runs} interleaved runs "
                f"(target <= {TARGET_RATIO}x the floor)",
                ["command", "ms", "x floor", "target met"], rows)
    slowest = max(ratios, key=ratios.get)
    _print_importtime(COMMANDS[slowest], db, slowest, prepared[0])
    return {"floor_ms": floor * 1000, "ratios": ratios}


def _interleaved(floor: list[str], commands: dict[str, list[str]], runs: int,
                 prepared: list[dict[str, int]]) -> dict[str | None, list[float]]:
    """Round-robin timings (floor first in each round), so that a busy moment of the machine
    weighs on the floor and on the commands alike."""
    samples: dict[str | None, list[float]] = {None: [], **{label: [] for label in commands}}
    for round_ in range(runs + 1):
        for label, command in [(None, floor), *commands.items()]:
            argv = [part.format(**prepared[round_]) for part in command]
            start = time.perf_counter()
            _quiet(argv, ok=(0, 3))
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


def _print_importtime(args: list[str], db: str, label: str, ids: dict[str, int]) -> None:
    argv = [part.format(**ids) for part in args]
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "idolq", *argv,
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
