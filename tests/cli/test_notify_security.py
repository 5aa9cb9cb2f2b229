"""`idolq notify` as users see it: who may run a command, broken targets, hidden secrets."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

from idolq.store.connection import open_database

from conftest import run_idolq

LATE = "2099-01-01T00:00:00+00:00"


def _recorder(tmp_path, name: str = "ran") -> tuple[str, object]:
    out = tmp_path / f"{name}.json"
    script = f"import sys, pathlib; pathlib.Path({str(out)!r}).write_text(sys.stdin.read())"
    return shlex.join([sys.executable, "-c", script]), out


def _other_user(tmp_path) -> dict:
    return {"XDG_CONFIG_HOME": str(tmp_path / "someone-else")}


def _sql(db_path, statement: str, *params) -> None:
    conn = open_database(db_path)  # autocommit: the statement is committed at once
    conn.execute(statement, params)
    conn.close()


def test_a_command_added_by_one_user_waits_for_another_until_they_allow_it(cli, tmp_path):
    command, out = _recorder(tmp_path)
    added = cli.json("notify", "add", "--on", "task.escalated", "--command", command)
    assert added["status"] == "ok" and added["problem"] is None
    assert "allowed" in cli("notify", "targets").stdout
    other = _other_user(tmp_path)
    (shown,) = cli.json("notify", "targets", env=other)
    assert shown["status"] == "not_allowed_here"
    assert "not allowed here" in cli("notify", "targets", env=other).stdout

    cli.json("task", "create", "fire", "--type", "lore", "--priority", "P0")
    assert cli("sla", "check", "--at", LATE, env=other).exit_code == 3
    assert not out.exists()
    assert "pending (not allowed here)" in cli("notify", "list", env=other).stdout
    warned = cli("notify", "send", env=other)
    assert warned.exit_code == 0
    assert warned.stderr == ("idolq: warning: 1 notification(s) wait for a command you have"
                             " not allowed (see `idolq notify targets`)\n")
    (waiting,) = cli.json("notify", "list", env=other)
    assert (waiting["status"], waiting["target_status"]) == ("pending", "not_allowed_here")

    assert cli.json("notify", "allow", "1", env=other)["status"] == "ok"
    assert cli.json("notify", "send", env=other)["sent"] == 1
    assert json.loads(out.read_text())["type"] == "task.escalated"


def test_disallow_stops_a_command_for_this_user_only(cli, tmp_path):
    command, _ = _recorder(tmp_path)
    cli.json("notify", "add", "--on", "task.created", "--command", command)
    disallowed = cli.json("notify", "disallow", "1")
    assert disallowed["status"] == "not_allowed_here"
    assert "notify allow 1" in disallowed["problem"]
    assert cli.json("notify", "allow", "1")["status"] == "ok"


def test_allowing_under_a_configuration_others_may_write_is_refused(cli, tmp_path):
    command, _ = _recorder(tmp_path)
    folder = tmp_path / "config" / "idolq"
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    run = cli("notify", "add", "--on", "task.created", "--command", command, "--json")
    assert run.exit_code == 1 and run.stdout == ""
    error = json.loads(run.stderr)["error"]
    assert error["code"] == "unsafe_configuration" and "chmod go-w" in error["message"]
    assert cli.json("notify", "targets") == []


def test_broken_targets_are_listed_as_broken_and_never_change_sla_checks_outcome(
        cli, tmp_path, db_path):
    command, out = _recorder(tmp_path)
    cli.json("notify", "add", "--on", "task.escalated", "--command", command)
    for stored in ("{not json", "[1, 2]"):
        _sql(db_path, "INSERT INTO webhook_triggers (trigger_event, action_type, action_config)"
             " VALUES ('task.escalated', 'webhook', ?)", stored)
    cli.json("task", "create", "fire", "--type", "lore", "--priority", "P0")
    run = cli("sla", "check", "--at", LATE, "--json")
    assert (run.exit_code, run.stderr) == (3, "")
    assert out.exists()  # the good target was delivered

    good, invalid, array = cli.json("notify", "targets")
    assert [t["status"] for t in (good, invalid, array)] == ["ok", "broken", "broken"]
    assert invalid["problem"].startswith("action_config is not valid JSON")
    assert array["problem"] == "action_config is a JSON array, not a JSON object"
    human = cli("notify", "targets")
    assert human.exit_code == 0 and "broken: action_config is not valid JSON" in human.stdout
    listed = cli("notify", "list")
    assert listed.exit_code == 0 and "target 2 is broken" in listed.stdout
    assert {row["target_status"] for row in cli.json("notify", "list")} == {"ok", "broken"}


def test_webhook_credentials_are_never_printed(cli):
    url = "http://bot:s3cret@127.0.0.1:9/services/T0/B0/AbCdEfGhIjKlMnOpQrStUvWx?token=s3cret"
    added = cli("notify", "add", "--on", "task.created", "--webhook", url)
    cli.json("task", "create", "fire", "--type", "lore")
    cli("notify", "send")
    outputs = [added, cli("notify", "targets"), cli("notify", "targets", "--json"),
               cli("notify", "list"), cli("notify", "list", "--json")]
    for run in outputs:
        assert run.exit_code == 0, run.stderr
        for secret in ("s3cret", "bot", "AbCdEfGhIjKlMnOpQrStUvWx"):
            assert secret not in run.stdout + run.stderr
    assert "http://***@127.0.0.1:9/services/T0/B0/***?***" in outputs[1].stdout


def test_a_command_row_written_with_sql_does_not_run_from_a_real_process(db_path, tmp_path):
    command, out = _recorder(tmp_path)
    _sql(db_path, "INSERT INTO webhook_triggers (trigger_event, action_type, action_config)"
         " VALUES ('task.created', 'command', ?)",
         json.dumps({"command": shlex.split(command)}))
    assert run_idolq("task", "create", "x", "--type", "lore", "--db", db_path).returncode == 0
    sent = run_idolq("notify", "send", "--json", "--db", db_path)
    assert sent.returncode == 0 and json.loads(sent.stdout)["sent"] == 0
    assert not out.exists()


PROBE = """
import atexit, json, os, sys
atexit.register(lambda: open(os.environ["MODULES_OUT"], "w").write(json.dumps(list(sys.modules))))
sys.argv = ["idolq", *sys.argv[1:]]
from idolq.cli.app import main
main()
"""


def test_sla_check_with_nothing_due_reads_no_target_and_loads_no_validation(cli, db_path,
                                                                            tmp_path):
    command, _ = _recorder(tmp_path)
    cli.json("notify", "add", "--on", "task.escalated", "--command", command)
    out = tmp_path / "modules.json"
    result = subprocess.run([sys.executable, "-c", PROBE, "sla", "check", "--json", "--db",
                             str(db_path)], env={**os.environ, "MODULES_OUT": str(out)},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    modules = set(json.loads(out.read_text()))
    assert "idolq.services.notify" in modules
    assert not {"pydantic", "idolq.adapters.user_config", "idolq.contract",
                "idolq.contract_targets"} & modules
