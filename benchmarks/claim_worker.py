"""A benchmark claimer: claims agent 2's ready tasks through the service layer until none.

Usage: python -m benchmarks.claim_worker DB
Prints one JSON line with the codes it won, errors and per-claim latencies.
"""

from __future__ import annotations

import json
import sys
import time

from idolq.services.claims import claim_task
from idolq.store.connection import open_database


def main(db: str) -> None:
    conn = open_database(db)
    codes, errors, latencies = [], [], []
    began = time.time()
    while True:
        start = time.perf_counter()
        try:
            task = claim_task(conn, "agent:02")
        except Exception as error:  # counted and reported, never hidden
            errors.append(f"{type(error).__name__}: {error}")
            break
        latencies.append(time.perf_counter() - start)
        if task is None:
            break
        codes.append(task.code)
    print(json.dumps({"codes": codes, "errors": errors, "latencies": latencies,
                      "began": began, "ended": time.time()}))


if __name__ == "__main__":
    main(sys.argv[1])
