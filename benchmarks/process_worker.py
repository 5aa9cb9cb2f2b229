"""A benchmark agent that calls idolq as agents do: one whole process per command.

Usage: python -m benchmarks.process_worker DB WORKER_ID TASKS [--floor]
Runs TASKS tier-3 workflows (create, start, complete, review list, approve), each command
its own `idolq` process, and prints one JSON line: transitions, errors, per-command latencies.

With --floor, each of those five commands is instead one bare Python process that imports
sqlite3 and json and commits one row durably (WAL, synchronous=FULL) into DB: the least any
Python command-line tool can do per command on this machine, with the same number of
processes per workflow. The floor counts the same four transitions per workflow.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from benchmarks.common import idolq_command

# One durable write by a fresh Python process: what the floor's "commands" run.
FLOOR_CODE = """import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=60)
conn.execute("PRAGMA synchronous = FULL")
conn.execute("BEGIN IMMEDIATE")
cursor = conn.execute("INSERT INTO floor (worker, payload) VALUES (?, ?)",
                      (sys.argv[2], json.dumps({"argv": sys.argv[2:]})))
conn.execute("COMMIT")
print(json.dumps({"id": cursor.lastrowid}))
"""
FLOOR_COMMANDS = ("task create", "task start", "task complete", "review list", "review approve")


def floor(db: str, worker: str, tasks: int) -> None:
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []
    transitions = 0
    started = time.perf_counter()
    for _ in range(tasks):
        try:
            for name in FLOOR_COMMANDS:
                start = time.perf_counter()
                result = subprocess.run([sys.executable, "-c", FLOOR_CODE, db, worker, name],
                                        capture_output=True, text=True)
                latencies.setdefault(name, []).append(time.perf_counter() - start)
                if result.returncode != 0:
                    raise RuntimeError(f"{name}: exit {result.returncode}: {result.stderr}")
                json.loads(result.stdout)
            transitions += 4
        except Exception as error:  # counted and reported, never hidden
            errors.append(f"{type(error).__name__}: {error}")
    print(json.dumps({"transitions": transitions, "errors": errors, "latencies": latencies,
                      "seconds": time.perf_counter() - started}))


def main(db: str, worker: str, tasks: int) -> None:
    actor = f"human:bench{worker}"  # workers outnumber agents: a person acts for agent 2
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []
    transitions = 0

    def idolq(name: str, *args: str, as_actor: str = actor):
        start = time.perf_counter()
        result = subprocess.run(idolq_command(*args, "--db", db, "--actor", as_actor, "--json")
                                if name != "review list" else
                                idolq_command(*args, "--db", db, "--json"),
                                capture_output=True, text=True)
        latencies.setdefault(name, []).append(time.perf_counter() - start)
        if result.returncode != 0:
            raise RuntimeError(f"{name}: exit {result.returncode}: {result.stderr.strip()}")
        return json.loads(result.stdout)

    started = time.perf_counter()
    for n in range(tasks):
        try:
            task = idolq("task create", "task", "create", f"{actor} {n}", "--type", "content",
                         "--tier", "3")
            idolq("task start", "task", "start", task["code"])
            idolq("task complete", "task", "complete", task["code"])
            transitions += 3
            review = idolq("review list", "review", "list", "--task", task["code"], "--status",
                           "pending")[0]
            idolq("review approve", "review", "approve", str(review["id"]), as_actor="agent:00")
            transitions += 1
        except Exception as error:  # counted and reported, never hidden
            errors.append(f"{type(error).__name__}: {error}")
    print(json.dumps({"transitions": transitions, "errors": errors, "latencies": latencies,
                      "seconds": time.perf_counter() - started}))


if __name__ == "__main__":
    (floor if "--floor" in sys.argv[4:] else main)(sys.argv[1], sys.argv[2], int(sys.argv[3]))
