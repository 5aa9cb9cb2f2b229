"""A worker for the crash test: random workflow operations until killed.

Usage: python crash_worker.py DB SEED OPERATIONS
"""

from __future__ import annotations

import random
import sys

from idolq.domain.errors import IdolqError
from idolq.services import queries
from idolq.services.reviews import approve_review, reject_review
from idolq.services.tasks import (
    NewTask,
    add_dependency,
    cancel_task,
    complete_task,
    create_task,
    start_task,
)
from idolq.store.connection import open_database


def step(conn, rng: random.Random) -> None:
    tasks = queries.list_tasks(conn)
    pending_reviews = queries.list_reviews(conn, status="pending")
    roll = rng.random()
    if roll < 0.25 or not tasks:
        deps = rng.sample([t.id for t in tasks], k=min(len(tasks), rng.choice((0, 0, 1))))
        create_task(conn, NewTask("crash test", rng.choice(("content", "lore")),
                                  review_tier=rng.choice((None, 1, 2, 3)), depends_on=deps),
                    "human:crash")
    elif roll < 0.75 and pending_reviews:
        review = rng.choice(pending_reviews)
        actor = f"agent:{review.reviewer_agent:02d}" if rng.random() < 0.7 else "human:crash"
        if rng.random() < 0.8:
            approve_review(conn, review.id, actor)
        else:
            reject_review(conn, review.id, actor, notes="again")
    else:
        task = rng.choice(tasks)
        action = {"pending": start_task, "in_progress": complete_task}.get(task.status)
        if action is None and rng.random() < 0.05:
            action = cancel_task
        if action is None and rng.random() < 0.1:
            other = rng.choice(tasks)
            add_dependency(conn, task.id, "human:crash", on_ref=other.id)
            return
        if action is not None:
            action(conn, task.id, f"agent:{task.assigned_agent:02d}")


def main(db: str, seed: int, operations: int) -> None:
    conn = open_database(db)
    rng = random.Random(seed)
    for _ in range(operations):
        try:
            step(conn, rng)
        except IdolqError:
            pass  # a refused operation (a cycle, say) changes nothing
    print("done")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
