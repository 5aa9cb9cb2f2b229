"""A benchmark agent process: full tier-3 workflows through the service layer.

Usage: python -m benchmarks.worker DB WORKER_ID TASKS
Prints one JSON line with the transition count, errors and per-transition latencies.
"""

from __future__ import annotations

import json
import sys
import time

from idolq.services import queries
from idolq.services.reviews import approve_review
from idolq.services.tasks import NewTask, complete_task, create_task, start_task
from idolq.store.connection import open_database


def main(db: str, worker: str, tasks: int) -> None:
    conn = open_database(db)
    actor = f"human:bench{worker}"  # many workers share agent 2: a person overrides its capacity
    latencies, errors = [], []

    def timed(action, *args, **kwargs):
        start = time.perf_counter()
        result = action(*args, **kwargs)
        latencies.append(time.perf_counter() - start)
        return result

    started = time.perf_counter()
    for n in range(tasks):
        try:
            task = timed(create_task, conn, NewTask(f"{actor} {n}", "content", review_tier=3),
                         actor)
            timed(start_task, conn, task.id, actor)
            timed(complete_task, conn, task.id, actor)
            review = queries.list_reviews(conn, status="pending", task_ref=task.id)[0]
            timed(approve_review, conn, review.id, "agent:00")
        except Exception as error:  # counted and reported, never hidden
            errors.append(f"{type(error).__name__}: {error}")
    print(json.dumps({"transitions": len(latencies), "errors": errors,
                      "seconds": time.perf_counter() - started, "latencies": latencies}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
