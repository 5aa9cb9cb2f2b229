"""`python -m benchmarks [--size tiny|full]`: prints every figure as Markdown tables."""

from __future__ import annotations

import argparse
import time

from benchmarks import (
    agents,
    common,
    completion,
    concurrency,
    lanes,
    scale,
    startup,
    throughput,
    transfer,
    wal,
)

SIZES = {
    "tiny": {"startup_runs": 3, "tasks": 20, "scale": [1_000, 5_000], "scale_runs": 5,
             "processes": [1, 2], "per_process": 10, "whole_tasks": 2, "memory": [1_000, 5_000],
             "wal_history": 500, "wal_samples": 3, "claimers": [1, 2], "claims": 10,
             "prime": (30, 15), "completion": [1_000], "transfer": [1_000, 5_000], "lanes": 3},
    "full": {"startup_runs": 21, "tasks": 300, "scale": [1_000, 100_000, 1_000_000],
             "scale_runs": 21, "processes": [1, 2, 4, 8, 16], "per_process": 100,
             "whole_tasks": 10, "memory": [1_000, 100_000, 1_000_000],
             "wal_history": 2_000, "wal_samples": 20, "claimers": [1, 4, 8], "claims": 100,
             "prime": (500, 100),
             "completion": [1_000, 100_000], "transfer": [1_000, 100_000], "lanes": 20},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=SIZES, default="full")
    parser.add_argument("--only", nargs="*", choices=["startup", "throughput", "scale",
                                                      "wal", "memory", "concurrency",
                                                      "claims", "prime", "completion",
                                                      "transfer", "lanes"])
    options = parser.parse_args()
    size = SIZES[options.size]
    wanted = set(options.only or ["startup", "throughput", "wal", "scale", "memory",
                                  "concurrency", "claims", "prime", "completion",
                                  "transfer", "lanes"])
    print(f"# idolq benchmarks ({options.size})\n\nMachine: {common.machine_description()}")
    print(f"Run at {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    if "startup" in wanted:
        startup.run(size["startup_runs"])
    if "throughput" in wanted:
        throughput.run(size["tasks"])
    if "wal" in wanted:
        wal.run(size["wal_history"], size["wal_samples"])
    if "scale" in wanted:
        scale.run(size["scale"], size["scale_runs"])
    if "memory" in wanted:
        scale.peak_memory(size["memory"])
    if "concurrency" in wanted:
        concurrency.run(size["processes"], size["per_process"], size["whole_tasks"])
    if "claims" in wanted:
        agents.run_claims(size["claimers"], size["claims"])
    if "prime" in wanted:
        agents.run_prime(*size["prime"])
    if "completion" in wanted:
        completion.run(size["completion"], size["startup_runs"])
    if "transfer" in wanted:
        transfer.run(size["transfer"])
    if "lanes" in wanted:
        lanes.run(size["lanes"])


if __name__ == "__main__":
    main()
