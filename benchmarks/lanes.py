"""The long-lived lanes: transitions/s through one `idolq batch` process and one
`idolq mcp` server, next to one `idolq` process per transition (whole processes, wall time)."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.common import idolq_command, print_table, run_process

CREATE = "task create t{n} --type content --tier 3 --actor agent:02"
WORK = ("task start {n} --actor agent:02", "task complete {n} --actor agent:02",
        "review approve {n} --actor agent:00")  # a fresh database: review n is task n's


def _fresh_db(tasks: int) -> Path:
    """A database holding `tasks` pending tier-3 tasks (created untimed)."""
    db = Path(tempfile.mkdtemp(prefix="idolq-bench-lanes-")) / "q.db"
    run_process(idolq_command("init", "--db", str(db)))
    _batch(db, [CREATE.format(n=n) for n in range(1, tasks + 1)])
    return db


def _batch(db: Path, lines: list[str]) -> None:
    result = subprocess.run(idolq_command("batch", "-", "--db", str(db)), input="\n".join(lines),
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-500:])


def per_process(tasks: int) -> float:
    db = _fresh_db(tasks)
    start = time.perf_counter()
    for n in range(1, tasks + 1):
        for line in WORK:
            result = run_process(idolq_command(*line.format(n=n).split(), "--db", str(db)))
            if result.returncode != 0:
                raise RuntimeError(result.stderr[-500:])
    return tasks * len(WORK) / (time.perf_counter() - start)


def batch(tasks: int) -> float:
    db = _fresh_db(tasks)
    lines = [line.format(n=n) for n in range(1, tasks + 1) for line in WORK]
    start = time.perf_counter()
    _batch(db, lines)
    return len(lines) / (time.perf_counter() - start)


class _McpServer:
    """`idolq mcp` driven by raw JSON-RPC lines over stdio."""

    def __init__(self, db: Path, actor: str) -> None:
        self.process = subprocess.Popen(idolq_command("mcp", "--db", str(db)),
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True,
                                        env={**os.environ, "IDOLQ_ACTOR": actor})
        self.next_id = 0
        self.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                    "clientInfo": {"name": "bench", "version": "0"}})
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def send(self, message: dict) -> None:
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()

    def request(self, method: str, params: dict) -> dict:
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            reply = json.loads(self.process.stdout.readline())
            if reply.get("id") == self.next_id:
                return reply

    def call(self, tool: str, **arguments) -> None:
        result = self.request("tools/call", {"name": tool, "arguments": arguments})["result"]
        if result.get("isError"):
            raise RuntimeError(result["content"][0]["text"])

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def mcp(tasks: int) -> float:
    """Two servers (the worker agent:02 and the reviewer agent:00), started untimed."""
    db = _fresh_db(tasks)
    worker, reviewer = _McpServer(db, "agent:02"), _McpServer(db, "agent:00")
    try:
        start = time.perf_counter()
        for n in range(1, tasks + 1):
            worker.call("task_start", task=str(n))
            worker.call("task_complete", task=str(n))
            reviewer.call("review_approve", review=n)
        return tasks * len(WORK) / (time.perf_counter() - start)
    finally:
        worker.close()
        reviewer.close()


def run(tasks: int) -> dict:
    figures = {"per process": per_process(tasks), "batch": batch(tasks), "mcp": mcp(tasks)}
    floor = figures["per process"]
    print_table(f"Lanes: {tasks} tasks x start, complete, approve (whole processes, wall time)",
                ["lane", "transitions/s", "x per process"],
                [["one `idolq` process per transition", floor, 1.0],
                 ["one `idolq batch` process, all lines", figures["batch"],
                  figures["batch"] / floor],
                 ["one `idolq mcp` server per agent (raw JSON-RPC)", figures["mcp"],
                  figures["mcp"] / floor]])
    return figures
