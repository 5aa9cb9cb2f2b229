"""idolq batch: one transaction, all or nothing, the failing line named."""

from __future__ import annotations

import json
import subprocess
import sys

from idolq.contract_core import TaskDoc
from idolq.store.connection import open_database

from conftest import run_idolq, table_snapshot

SCRIPT = """\
# a release, all or nothing
task create "Chapter 1" --type content --content-type chapter --tier 3
task create "Promo thread" --type content --content-type thread --depends-on 1
task start 1
task complete 1 --output ch1.md
review approve 1 --notes "Ship it"
"""


def counts(path) -> tuple[int, int, int]:
    conn = open_database(path)
    try:
        return tuple(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                     for table in ("tasks", "reviews", "event_log"))
    finally:
        conn.close()


def test_a_batch_runs_every_line_and_prints_each_result(cli, db_path):
    run = cli("batch", "-", "--json", input=SCRIPT)
    assert run.exit_code == 0, run.stderr
    document = run.json
    assert document["ok"] is True and len(document["results"]) == 5
    TaskDoc.model_validate(document["results"][0])
    assert document["results"][4]["status"] == "approved"
    assert cli.json("task", "show", "2")["status"] == "pending"  # unblocked in the batch
    assert counts(db_path)[0] == 2


def test_a_failing_line_keeps_nothing_and_is_named(cli, db_path):
    cli.json("task", "create", "existing", "--type", "lore")
    before, rows = table_snapshot(db_path), counts(db_path)
    script = SCRIPT.replace('review approve 1 --notes "Ship it"', "review approve 7")
    run = cli("batch", "-", "--json", input=script)
    assert run.exit_code == 1  # the failing command's exit status
    assert run.stdout == ""
    error = json.loads(run.stderr)["error"]
    assert error["code"] == "not_found"
    assert error["message"] == "line 6 (review approve 7): no review 7; nothing was changed"
    assert counts(db_path) == rows  # no task, review or event of lines 2-5 was kept
    assert table_snapshot(db_path) == before


def test_bad_usage_in_a_line_exits_2_and_keeps_nothing(cli, db_path):
    before = table_snapshot(db_path)
    run = cli("batch", "-", input='task create "x" --type lore\ntask create y --type lroe\n')
    assert run.exit_code == 2
    assert run.stderr.startswith("idolq: error: line 2 (task create y --type lroe): unknown "
                                 "task type 'lroe': did you mean lore?")
    assert table_snapshot(db_path) == before


def test_a_batch_from_a_file_with_human_output(cli, tmp_path):
    script = tmp_path / "release.idolq"
    script.write_text('task create "x" --type lore\nidolq task start 1\n')
    run = cli("batch", str(script))
    assert run.exit_code == 0
    assert "LORE-001" in run.stdout and run.stdout.rstrip().endswith("all applied.")
    assert cli.json("task", "show", "1")["status"] == "in_progress"


def test_commands_that_cannot_be_in_a_transaction_are_refused(cli):
    for line in ("daemon --once", "init", "events tail --follow", "batch -"):
        run = cli("batch", "-", input=line + "\n")
        assert run.exit_code == 2 and "cannot run in a batch" in run.stderr
    assert cli("batch", "missing.txt").exit_code == 2


def test_a_batch_is_one_transaction_for_concurrent_readers(db_path):
    """A real process: twenty tasks created, then a failure; not one of them stays."""
    script = "".join(f'task create "t{n}" --type lore\n' for n in range(20)) + "task start 99\n"
    process = subprocess.run([sys.executable, "-m", "idolq", "batch", "--db", str(db_path)],
                             input=script, capture_output=True, text=True, timeout=60)
    assert process.returncode == 1 and "line 21" in process.stderr
    assert counts(db_path) == (0, 0, 0)
    ok = run_idolq("task", "create", "after", "--type", "lore", "--db", db_path, "--json")
    assert json.loads(ok.stdout)["code"] == "LORE-001"  # no code was used up


def test_the_batch_actor_applies_to_each_line_that_names_none(cli):
    run = cli("batch", "-", "--actor", "agent:07", "--json",
              input="task create a --type lore\ntask create b --type lore --actor agent:01\n")
    assert run.exit_code == 0, run.stderr
    actors = [cli.json("task", "show", n)["history"][0]["actor"] for n in ("1", "2")]
    assert actors == ["agent:07", "agent:01"]


def test_sla_check_in_a_batch_sends_nothing_before_the_batch_commits(cli, monkeypatch):
    from idolq.services import notify

    sent = []
    monkeypatch.setattr(notify, "send", lambda row, event: sent.append(event.type))
    cli.json("notify", "add", "--on", "*", "--webhook", "http://127.0.0.1:9/hook")
    run = cli("batch", "-", "--json",
              input="task create x --type lore -p P0 --deadline 2000-01-01\nsla check\n")
    assert run.exit_code == 0, run.stderr
    assert run.json["results"][1]["task_violations"] == 1
    assert sent == []
    assert cli.json("notify", "list", "--status", "pending")
