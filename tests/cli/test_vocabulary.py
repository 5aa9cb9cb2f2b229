"""Routing rules as data and vocabulary; options, help and mistakes at the command line."""

from __future__ import annotations

import json

import pytest

from idolq.contract_core import RouteDoc

from conftest import run_idolq, table_snapshot


def test_route_list_is_the_contracts_default_routing_without_a_catch_all(cli):
    rules = cli.json("route", "list")
    for rule in rules:
        RouteDoc.model_validate(rule)
    assert {"task_type": "content", "content_type": "tweet", "agent": 2} in rules
    assert {"task_type": "content", "content_type": None, "agent": 2} in rules
    assert {"task_type": "coordination", "content_type": None, "agent": 0} in rules
    assert all(rule["task_type"] for rule in rules)
    assert len(rules) == 16


def test_an_unknown_task_type_is_refused_with_the_nearest_name(cli, db_path):
    before = table_snapshot(db_path)
    run = cli("task", "create", "x", "--type", "contnet")
    assert run.exit_code == 2
    assert "did you mean content" in run.stderr
    assert table_snapshot(db_path) == before
    assert cli("task", "create", "x", "--type", "research").exit_code == 2


def test_route_set_adds_a_type_and_route_remove_takes_it_away(cli):
    rules = cli.json("route", "set", "research", "--agent", "5")
    assert {"task_type": "research", "content_type": None, "agent": 5} in rules
    assert cli.json("task", "create", "x", "--type", "research")["assigned_agent"] == 5
    cli.json("route", "set", "content", "--content-type", "meme", "--agent", "3")
    assert cli.json("task", "create", "m", "--type", "content", "--content-type", "meme"
                    )["assigned_agent"] == 3
    cli.json("route", "set", "research", "--agent", "1")  # changes the agent, no duplicate
    assert [r["agent"] for r in cli.json("route", "list") if r["task_type"] == "research"] == [1]
    cli.json("route", "remove", "research")
    assert cli("task", "create", "y", "--type", "research").exit_code == 2
    lines = cli("events", "tail", "--type", "team.changed", "--json").stdout.splitlines()
    changes = [json.loads(line)["payload"] for line in lines]
    assert [(c["what"], c["task_type"], c["changes"]) for c in changes] == [
        ("route", "research", {"agent": [None, 5]}), ("route", "content", {"agent": [None, 3]}),
        ("route", "research", {"agent": [5, 1]}), ("route", "research", {"agent": [1, None]})]


def test_route_mistakes_are_refused(cli):
    assert cli("route", "remove", "research").exit_code == 1
    assert cli("route", "set", "research", "--agent", "77").exit_code == 2
    assert cli("route", "set", "no spaces!", "--agent", "1").exit_code == 2


def test_mistyped_commands_get_did_you_mean(cli):
    run = cli("tsk", "list", db=False)
    assert run.exit_code == 2 and "did you mean task" in run.stderr
    run = cli("task", "lst", db=False)
    assert run.exit_code == 2 and "did you mean list" in run.stderr


def test_db_actor_and_json_are_accepted_before_the_command(cli, db_path):
    run = cli("--db", db_path, "--actor", "agent:07", "--json", "task", "create", "x",
              "--type", "lore", db=False)
    assert run.exit_code == 0, run.stderr
    assert run.json["code"] == "LORE-001"
    history = cli.json("task", "show", "1")["history"]
    assert history[0]["actor"] == "agent:07"
    assert cli(f"--db={db_path}", "task", "list", db=False).stdout.startswith("CODE\t")


def test_dash_h_is_help(cli):
    run = cli("task", "create", "-h", db=False)
    assert run.exit_code == 0 and "Example:" in run.stdout


def _all_commands():
    from idolq.cli.complete_tree import TREE

    return [path for path, node in TREE.items() if path and not node["commands"]]


@pytest.mark.parametrize("path", _all_commands())
def test_every_command_has_an_example_and_no_python_type_names_in_help(cli, path):
    run = cli(*path.split(), "--help", db=False)
    assert run.exit_code == 0
    assert "Example: idolq " in run.stdout
    for python_name in ("<bool>", "<str>", "<int>", "<float>", "list[", "<list"):
        assert python_name not in run.stdout


def test_root_help_lists_the_exit_statuses(cli):
    text = " ".join(cli("--help", db=False).stdout.split())
    for status in ("0 done", "1 refused", "2 bad usage", "3 open SLA breach",
                   "4 nothing to do"):
        assert status in text


def test_init_below_an_existing_database_warns_that_it_will_shadow_it(tmp_path):
    assert run_idolq("init", cwd=tmp_path).returncode == 0
    below = tmp_path / "project" / "sub"
    below.mkdir(parents=True)
    result = run_idolq("init", cwd=below)
    assert result.returncode == 0
    assert "idolq: warning:" in result.stderr and "shadow" in result.stderr


def test_demo_refuses_a_database_that_already_holds_work(cli, db_path):
    cli.json("task", "create", "real work", "--type", "lore")
    before = table_snapshot(db_path)
    run = cli("demo", "--db", db_path, db=False)
    assert run.exit_code == 1 and "already holds 1 task" in run.stderr
    assert table_snapshot(db_path) == before


def test_events_tail_n_zero_prints_nothing_and_all_prints_everything(cli):
    for title in ("a", "b"):
        cli.json("task", "create", title, "--type", "lore")
    assert cli("events", "tail", "-n", "0", "--json").stdout == ""
    assert len(cli("events", "tail", "-n", "1", "--all", "--json").stdout.splitlines()) == 2


def test_routing_is_changed_by_people_not_agents(cli, db_path):
    before = table_snapshot(db_path)
    run = cli("route", "set", "research", "--agent", "5", "--actor", "agent:05")
    assert run.exit_code == 1 and "only a human may" in run.stderr
    assert table_snapshot(db_path) == before


def test_an_agent_edits_and_defers_only_its_own_tasks(cli):
    cli.json("task", "create", "x", "--type", "lore")  # agent 1's
    assert cli("task", "edit", "1", "--title", "y", "--actor", "agent:02").exit_code == 1
    assert cli("task", "defer", "1", "--actor", "agent:02").exit_code == 1
    assert cli.json("task", "edit", "1", "--title", "y", "--actor", "agent:01")["title"] == "y"
    assert cli.json("task", "comment", "1", "Looks fine", "--actor", "agent:02")
