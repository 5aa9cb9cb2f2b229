"""One agent process for the concurrency tests: full tier-3 workflows through the services.

Usage: python concurrency_worker.py DB WORKER_ID COUNT
Prints one JSON line: {"codes": [...], "errors": [...]}.
"""

from __future__ import annotations

import json
import sys

from idolq.services import queries
from idolq.services.reviews import approve_review
from idolq.services.tasks import NewTask, complete_task, create_task, start_task
from idolq.store.connection import open_database


def main(db: str, worker: str, count: int) -> None:
    conn = open_database(db)
    actor = f"agent:{worker}"  # each worker is one agent, working on its own tasks
    approver = "human:lead" if int(worker) == 0 else "agent:00"  # never its own review
    codes, errors = [], []
    for n in range(count):
        try:
            task = create_task(conn, NewTask(f"{actor} task {n}", "content", review_tier=3,
                                                agent=int(worker)),
                               actor)
            codes.append(task.code)
            start_task(conn, task.id, actor)
            complete_task(conn, task.id, actor)
            review = queries.list_reviews(conn, status="pending", task_ref=task.id)[0]
            approve_review(conn, review.id, approver)
        except Exception as error:  # recorded for the test to report
            errors.append(f"{type(error).__name__}: {error}")
    print(json.dumps({"codes": codes, "errors": errors}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
