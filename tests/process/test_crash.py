"""SIGKILL at random moments: the database stays whole and the log matches the state."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from idolq.store.connection import open_database
from invariants import check_invariants

from helpers import create

WORKER = Path(__file__).with_name("crash_worker.py")
KILLS = 12


def test_killing_idolq_at_random_moments_loses_nothing_that_was_committed(db_path, backend):
    rng = random.Random(20261124)
    # A PostgreSQL client spends its first ~0.3 s importing psycopg and connecting.
    startup = 0.4 if backend == "postgresql" else 0.0
    for kill in range(KILLS):
        worker = subprocess.Popen([sys.executable, str(WORKER), str(db_path), str(kill), "100000"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(startup + rng.uniform(0.3, 0.9))
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        assert worker.returncode == -signal.SIGKILL, worker.stderr.read().decode()[-500:]
        check_invariants(db_path)
    operations = open_database(db_path).execute("SELECT COUNT(*) FROM event_log").fetchone()[0]
    assert operations > 300, "the workers did hundreds of operations before being killed"
    resumed = subprocess.run([sys.executable, str(WORKER), str(db_path), "999", "200"],
                             capture_output=True, text=True, timeout=120)
    assert (resumed.returncode, resumed.stdout.strip()) == (0, "done"), resumed.stderr[-500:]
    check_invariants(db_path)


def test_the_invariant_checks_catch_a_state_change_without_its_event(db_path, conn):
    create(conn)
    check_invariants(db_path)
    conn.execute("UPDATE tasks SET status = 'in_progress', started_at = 'x'")
    with pytest.raises(AssertionError):
        check_invariants(db_path)
