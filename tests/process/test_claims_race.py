"""Many real processes claiming at once never get the same task."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

CLAIMERS, TASKS = 16, 5


def test_sixteen_claimers_and_five_tasks_make_exactly_five_winners(cli):
    cli.json("agent", "edit", "2", "--max", str(CLAIMERS))  # capacity is not what is tested
    for n in range(TASKS):
        cli.json("task", "create", f"t{n}", "--type", "content")
    procs = [subprocess.Popen([sys.executable, "-m", "idolq", "task", "claim", "--db",
                               str(cli.db_path), "--json", "--actor", "agent:02"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(CLAIMERS)]
    outcomes = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]
    assert Counter(code for code, _, _ in outcomes) == {0: TASKS, 4: CLAIMERS - TASKS}, outcomes
    assert all(err == "" for _, _, err in outcomes)
    losers = [out for code, out, _ in outcomes if code == 4]
    assert all(json.loads(out) is None for out in losers)
    won = [json.loads(out)["code"] for code, out, _ in outcomes if code == 0]
    assert sorted(won) == [f"CONTENT-{n:03d}" for n in range(1, TASKS + 1)]
    history = [e["type"] for n in range(1, TASKS + 1)
               for e in cli.json("task", "show", str(n))["history"]]
    assert history.count("task.claimed") == TASKS
    assert all(t["claimed_by"] == "agent:02" for t in cli.json("task", "list"))
