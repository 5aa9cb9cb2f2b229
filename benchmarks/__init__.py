"""idolq's benchmarks: `python -m benchmarks` prints the figures (never a pass/fail)."""
