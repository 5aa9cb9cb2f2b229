"""`idolq daemon`, `sla check` from the command line, and the scheduling examples."""

from __future__ import annotations

import configparser
import json
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from idolq.services.daemon import run_daemon
from idolq.services.setup import init_database
from idolq.store.connection import open_database

from conftest import Cli, run_idolq

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "scheduling"


def _overdue_review(db_path: Path) -> None:
    """A tier-3 task whose coordinator review was requested long ago."""
    assert run_idolq("task", "create", "t", "--type", "content", "--tier", "3", "--db",
                     db_path).returncode == 0
    run_idolq("task", "start", "1", "--db", db_path)
    run_idolq("task", "complete", "1", "--db", db_path)
    conn = open_database(db_path)  # autocommit: the update is committed at once
    conn.execute("UPDATE reviews SET requested_at = '2026-01-01T00:00:00+00:00'")
    conn.close()


def _escalation_events(db_path: Path) -> int:
    conn = open_database(db_path)
    try:
        return conn.execute("SELECT COUNT(*) FROM event_log WHERE event_type = 'sla.exceeded'"
                            ).fetchone()[0]
    finally:
        conn.close()


def test_sla_check_exits_0_without_breaches_and_3_with_them(cli):
    clean = cli("sla", "check", "--json")
    assert (clean.exit_code, clean.stderr) == (0, "")
    assert set(clean.json) >= {"checked_at", "review_violations", "task_violations",
                               "new_escalations", "reviews", "tasks"}
    cli.json("task", "create", "fire", "--type", "lore", "--priority", "P0")
    late = cli("sla", "check", "--at", "2099-01-01T00:00:00+00:00", "--json")
    assert late.exit_code == 3
    assert (late.json["task_violations"], late.json["new_escalations"]) == (1, 1)
    violation = late.json["tasks"][0]
    assert {"code", "threshold_hours", "hours_over", "escalate_to", "escalated_at"} <= set(
        violation)
    again = cli("sla", "check", "--at", "2099-01-01T00:15:00+00:00", "--json")
    assert (again.exit_code, again.json["new_escalations"]) == (3, 0)
    human = cli("sla", "check", "--at", "2099-01-01T00:30:00+00:00")
    assert human.exit_code == 3 and "LORE-001" in human.stdout
    assert cli("sla", "check", "--at", "whenever").exit_code == 2


def test_sla_policy_and_stats_from_the_command_line(cli):
    rules = cli.json("sla", "policy")
    assert {"rule": "task:P0", "limit_minutes": 1440.0} .items() <= next(
        r for r in rules if r["rule"] == "task:P0").items()
    changed = cli.json("sla", "policy", "set", "coordinator", "--tier", "3", "--limit", "20m")
    assert (changed["limit_minutes"], changed["escalate_to"]) == (20.0, "human")
    bad = cli("sla", "policy", "set", "canon", "--limit", "1h", "--json")
    assert bad.exit_code == 2 and json.loads(bad.stderr)["error"]["code"] == "invalid_value"
    assert cli.json("sla", "stats") == {"since": None, "review_types": []}


def test_daemon_once_escalates_and_logs_one_line(db_path):
    _overdue_review(db_path)
    result = run_idolq("daemon", "--once", "--db", db_path)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()  # a log: on stderr
    assert len(lines) == 1 and result.stdout == ""
    assert "1 open breach(es), 1 new escalation(s)" in lines[0]
    assert _escalation_events(db_path) == 1


def test_two_daemons_at_once_do_not_double_escalate(db_path):
    _overdue_review(db_path)
    procs = [subprocess.Popen([sys.executable, "-m", "idolq", "daemon", "--once", "--db",
                               str(db_path), "--json"], stdout=subprocess.PIPE, text=True)
             for _ in range(4)]
    cycles = [json.loads(p.communicate(timeout=60)[0]) for p in procs]
    assert all(c["ok"] for c in cycles)
    assert sum(c["new_escalations"] for c in cycles) == 1
    assert _escalation_events(db_path) == 1


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_daemon_stops_cleanly_within_a_second_of_a_signal(db_path, signum):
    daemon = subprocess.Popen([sys.executable, "-m", "idolq", "daemon", "--interval", "1h",
                               "--db", str(db_path)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    assert "sla:" in daemon.stderr.readline()
    sent = time.monotonic()
    daemon.send_signal(signum)
    out, err = daemon.communicate(timeout=10)
    assert time.monotonic() - sent < 1.0
    assert (daemon.returncode, out, err) == (0, "", "")


def test_the_daemon_survives_a_failing_cycle_and_tries_again(tmp_path):
    db = tmp_path / "later.db"
    stop, cycles = threading.Event(), []

    def log(cycle):
        cycles.append(cycle)
        if len(cycles) == 1:
            init_database(db)  # the database appears after the first cycle failed
        else:
            stop.set()

    assert run_daemon(str(db), "idolq:daemon", 0.01, once=False, log=log, stop=stop)
    assert [c.ok for c in cycles] == [False, True]
    assert "no idolq database" in cycles[0].line()
    assert "trying again next cycle" in cycles[0].line()


def test_the_daemon_refuses_to_start_without_a_database(tmp_path):
    result = run_idolq("daemon", "--once", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("idolq: error: no idolq database")
    assert len(result.stderr.splitlines()) == 1


def test_daemon_refuses_a_bad_interval(db_path):
    result = run_idolq("daemon", "--interval", "often", "--db", db_path, "--once")
    assert result.returncode == 2 and "invalid duration" in result.stderr


def test_the_crontab_example_runs_sla_check_every_15_minutes():
    entries = [line for line in (EXAMPLES / "crontab").read_text().splitlines()
               if line and not line.startswith("#") and not re.match(r"^\w+=", line)]
    assert len(entries) == 1
    fields = entries[0].split(None, 5)
    assert fields[:5] == ["*/15", "*", "*", "*", "*"]
    command = shlex.split(fields[5])
    assert command[:3] == ["idolq", "sla", "check"]
    assert "test $? -eq 3" in fields[5]


def test_the_systemd_units_pair_a_timer_with_a_oneshot_sla_check():
    service = configparser.ConfigParser(strict=False)
    service.read(EXAMPLES / "idolq-sla.service")
    assert service["Service"]["Type"] == "oneshot"
    assert shlex.split(service["Service"]["ExecStart"])[1:3] == ["sla", "check"]
    assert service["Service"]["SuccessExitStatus"] == "3"
    timer = configparser.ConfigParser(strict=False)
    timer.read(EXAMPLES / "idolq-sla.timer")
    assert timer["Timer"]["OnCalendar"] == "*:0/15"
    assert timer["Timer"]["Unit"] == "idolq-sla.service"
    daemon = configparser.ConfigParser(strict=False)
    daemon.read(EXAMPLES / "idolq-daemon.service")
    assert "daemon --interval 15m" in daemon["Service"]["ExecStart"]


def test_the_github_actions_workflow_runs_sla_check_every_15_minutes():
    workflow = yaml.safe_load((EXAMPLES / "github-actions-sla.yml").read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML reads `on` as True
    assert triggers["schedule"] == [{"cron": "*/15 * * * *"}]
    steps = workflow["jobs"]["sla"]["steps"]
    assert any("idolq sla check" in step.get("run", "") for step in steps)


def test_the_sla_commands_in_the_examples_parse(cli):
    assert cli("sla", "check", "--json", "--actor", "cron:sla").exit_code in (0, 3)
    assert Cli(None)("daemon", "--help", db=False).exit_code == 0


def test_a_delivery_problem_after_sla_check_keeps_its_report_and_exit_status(cli, monkeypatch):
    from idolq.domain.errors import DatabaseUnavailable
    from idolq.services import notify

    def locked(conn, **kwargs):
        raise DatabaseUnavailable("the database stayed locked by another process; try again")

    monkeypatch.setattr(notify, "deliver_due", locked)
    cli.json("task", "create", "fire", "--type", "lore", "--priority", "P0")
    run = cli("sla", "check", "--at", "2099-01-01T00:00:00+00:00", "--json")
    assert (run.exit_code, run.stderr) == (3, "")
    assert run.json["task_violations"] == 1
    human = cli("sla", "check", "--at", "2099-01-01T00:00:00+00:00")
    assert human.exit_code == 3
    assert human.stderr.startswith("idolq: warning: notifications stay queued")
