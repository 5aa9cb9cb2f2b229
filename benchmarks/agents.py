"""Claims per second with concurrent claimer processes, and the size of a busy agent's prime."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.common import (
    collect_reports,
    idolq_command,
    percentile,
    print_table,
    run_process,
    start_workers,
)
from idolq.services.setup import init_database
from idolq.services.tasks import NewTask, create_task
from idolq.services.team import AgentChanges, edit_agent
from idolq.store.connection import open_database

LEAD = "human:bench"


def _database(tasks: int) -> Path:
    db = Path(tempfile.mkdtemp(prefix="idolq-bench-claims-")) / "q.db"
    init_database(db)
    conn = open_database(db)
    edit_agent(conn, 2, AgentChanges(max_concurrent_tasks=tasks + 1), LEAD)
    for n in range(tasks):
        create_task(conn, NewTask(f"claimable {n}", "content", priority=n % 4), LEAD)
    conn.close()
    return db


def run_claims(process_counts: list[int], tasks_per_process: int) -> dict:
    rows, results = [], {}
    for count in process_counts:
        total = count * tasks_per_process
        db = _database(total)
        workers = start_workers([["benchmarks.claim_worker", str(db)]] * count)
        reports = collect_reports(workers, {"codes": [], "latencies": []})
        wall = (max(r.get("ended", 0) for r in reports) -
                min(r.get("began", time.time()) for r in reports)) or float("nan")
        codes = [c for r in reports for c in r["codes"]]
        errors = [e for r in reports for e in r["errors"]]
        doubles = len(codes) - len(set(codes))
        latencies = [x for r in reports for x in r["latencies"]]
        results[count] = {"claims_per_second": len(codes) / wall, "errors": len(errors),
                          "doubles": doubles}
        rows.append([count, len(codes), len(codes) / wall, len(errors), doubles,
                     percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000])
        if errors:
            print(f"  errors with {count} claimers, first: {errors[0]}")
    print_table(f"Claims: concurrent claimer processes, {tasks_per_process} tasks each "
                "(from the first claim to the last, start-up excluded; target: no errors, no task "
                "twice)",
                ["claimers", "claims", "claims/s", "errors", "claimed twice", "p50 ms",
                 "p99 ms"], rows)
    return results


def run_prime(ready: int, reviews: int) -> dict:
    """A busy agent: work sent back with long notes, a full hand, a long queue, reviews."""
    db = _busy_agent(ready, reviews)
    markdown = run_process(idolq_command("prime", "--agent", "9", "--db", str(db))).stdout
    as_json = run_process(idolq_command("prime", "--agent", "9", "--json", "--db",
                                        str(db))).stdout
    sizes = {"markdown_chars": len(markdown), "markdown_tokens": len(markdown) // 4,
             "json_chars": len(as_json), "json_tokens": len(as_json) // 4}
    print_table(f"Prime: a busy agent's briefing ({ready} ready tasks, {reviews} reviews "
                "waiting; tokens = chars/4; target: Markdown under 2,000 tokens)",
                ["format", "chars", "tokens (chars/4)"],
                [["Markdown", sizes["markdown_chars"], sizes["markdown_tokens"]],
                 ["JSON", sizes["json_chars"], sizes["json_tokens"]]])
    return sizes


def _busy_agent(ready: int, reviews: int) -> Path:
    from idolq.services.claims import claim_task
    from idolq.services.reviews import reject_review
    from idolq.services.tasks import complete_task, start_task

    db = Path(tempfile.mkdtemp(prefix="idolq-bench-prime-")) / "q.db"
    init_database(db)
    conn = open_database(db)
    title = "Summer festival banner copy, all variants, for the gacha launch week " * 2
    sent_back = create_task(conn, NewTask("sent back", "content", agent=9, review_tier=3), LEAD)
    start_task(conn, sent_back.id, "agent:09")
    complete_task(conn, sent_back.id, "agent:09")
    review_id = conn.execute("SELECT id FROM reviews").fetchone()[0]
    reject_review(conn, review_id, LEAD, notes="Rewrite the hook and the call to action. " * 20)
    for n in range(ready + 2):
        create_task(conn, NewTask(f"{n} {title}", "content", agent=9, priority=n % 4,
                                  deadline="2030-01-01T00:00:00+00:00"), LEAD)
    for _ in range(2):
        claim_task(conn, "agent:09")
    for n in range(reviews):
        task = create_task(conn, NewTask(f"to review {n}", "content", agent=3,
                                         review_tier=2), LEAD)
        start_task(conn, task.id, LEAD)
        complete_task(conn, task.id, LEAD)
    conn.close()
    return db
