"""Real commands through CliRunner: exit codes, parsed JSON, stderr, unchanged data."""

from __future__ import annotations

import json

import pytest

from idolq.cli.app import app
from idolq.store.schema_version import SCHEMA_VERSION

from conftest import Cli, table_snapshot

TASK_KEYS = {"id", "code", "title", "description", "task_type", "content_type", "status",
             "priority", "assigned_agent", "assigned_agent_name", "review_tier", "review_round",
             "created_at", "started_at", "completed_at", "deadline", "output_file",
             "depends_on", "blocked_by"}
REVIEW_KEYS = {"id", "task_id", "task_code", "review_type", "reviewer_agent", "round", "status",
               "requested_at", "completed_at", "review_time_minutes", "notes", "ds_rating"}
AGENT_KEYS = {"number", "name", "role", "max_concurrent_tasks", "active_tasks",
              "pending_reviews", "available", "is_active"}


def test_init_prints_the_database_version_and_agents(tmp_path):
    cli = Cli(None)
    document = cli.json("init", "--db", tmp_path / "fresh.db")
    assert document == {"db": str(tmp_path / "fresh.db"), "schema_version": SCHEMA_VERSION,
                        "agents": 10}


def test_init_without_a_path_creates_dot_idolq_in_the_current_directory(tmp_path):
    document = Cli(None).json("init")
    assert document["db"] == str(tmp_path / ".idolq" / "idolq.db")
    assert Cli(None).json("task", "list") == []


def test_task_create_prints_the_task_with_every_contract_key(cli):
    task = cli.json("task", "create", "Write a launch thread", "--type", "content",
                    "--content-type", "thread", "--priority", "P1", "--tier", "2",
                    "--deadline", "2026-01-10T12:00:00+09:00", "--description", "For launch",
                    "--estimate", "1.5", "--actor", "agent:00")
    assert TASK_KEYS <= set(task)
    assert task["code"] == "CONTENT-001"
    assert (task["status"], task["priority"], task["assigned_agent"]) == ("pending", 1, 2)
    assert task["assigned_agent_name"] == "Content Strategist"
    assert task["deadline"] == "2026-01-10T03:00:00+00:00"
    assert task["created_at"].endswith("+00:00")
    assert (task["depends_on"], task["blocked_by"], task["estimated_hours"]) == ([], [], 1.5)


def test_content_defaults_to_tier_two_and_other_types_to_no_review(cli):
    assert cli.json("task", "create", "t", "--type", "content")["review_tier"] == 2
    assert cli.json("task", "create", "t", "--type", "lore")["review_tier"] is None
    assert cli.json("task", "create", "t", "--type", "content", "--tier", "none")[
        "review_tier"] is None


def test_a_full_tier_one_round_trip_through_the_cli(cli):
    first = cli.json("task", "create", "Chapter", "--type", "content", "--content-type",
                     "chapter", "--tier", "1")
    second = cli.json("task", "create", "Promo", "--type", "content", "--depends-on",
                      first["code"].lower())
    assert (second["status"], second["blocked_by"]) == ("blocked", [first["code"]])
    assert cli.json("task", "start", first["code"])["status"] == "in_progress"
    done = cli.json("task", "complete", str(first["id"]), "--output", "ch1.md")
    assert (done["status"], done["review_round"], done["output_file"]) == ("review", 1, "ch1.md")
    reviews = cli.json("review", "list", "--status", "pending", "--task", first["code"])
    assert {r["review_type"] for r in reviews} == {"canon", "cultural"}
    assert REVIEW_KEYS <= set(reviews[0])
    for review in reviews:
        rating = ["--ds-rating", "3"] if review["review_type"] == "cultural" else []
        decided = cli.json("review", "approve", str(review["id"]), "--notes", "ok", *rating)
        assert decided["status"] == "approved"
    coordinator = cli.json("review", "list", "--agent", "0", "--status", "pending")
    assert [r["review_type"] for r in coordinator] == ["coordinator"]
    cli.json("review", "approve", str(coordinator[0]["id"]))
    assert cli.json("task", "show", first["code"])["status"] == "complete"
    assert cli.json("task", "show", second["code"])["status"] == "pending"


def test_task_show_includes_reviews_and_history(cli):
    cli.json("task", "create", "t", "--type", "content", "--tier", "3")
    cli.json("task", "start", "1")
    cli.json("task", "complete", "1")
    shown = cli.json("task", "show", "CONTENT-001")
    assert [r["review_type"] for r in shown["reviews"]] == ["coordinator"]
    history = shown["history"]
    assert [e["type"] for e in history] == ["task.created", "task.started", "task.completed",
                                            "review.requested"]
    assert set(history[0]) == {"id", "type", "payload", "source", "actor", "timestamp"}
    assert history[0]["actor"] == "human:tester"


def test_rejection_through_the_cli_reopens_the_task(cli):
    cli.json("task", "create", "t", "--type", "content", "--tier", "3")
    cli.json("task", "start", "1")
    cli.json("task", "complete", "1")
    run = cli("review", "reject", "1", "--json")
    assert run.exit_code == 2
    assert json.loads(run.stderr)["error"]["code"] == "invalid_value"
    rejected = cli.json("review", "reject", "1", "--notes", "Tone is off")
    assert (rejected["status"], rejected["notes"]) == ("rejected", "Tone is off")
    assert cli.json("task", "show", "1")["status"] == "in_progress"
    assert cli.json("task", "complete", "1")["review_round"] == 2


def test_task_list_filters_and_ready_orders(cli):
    cli.json("task", "create", "a", "--type", "lore", "--priority", "3")
    cli.json("task", "create", "b", "--type", "asset", "--priority", "0")
    cli.json("task", "create", "c", "--type", "lore", "--priority", "1")
    cli.json("task", "start", "LORE-002")
    assert [t["code"] for t in cli.json("task", "list", "--type", "lore")] == ["LORE-001",
                                                                               "LORE-002"]
    assert [t["code"] for t in cli.json("task", "list", "--status", "in_progress",
                                        "--status", "blocked")] == ["LORE-002"]
    assert [t["code"] for t in cli.json("task", "list", "--agent", "6")] == ["ASSET-001"]
    assert len(cli.json("task", "list", "--limit", "2")) == 2
    assert [t["code"] for t in cli.json("task", "ready")] == ["ASSET-001", "LORE-001"]
    assert [t["code"] for t in cli.json("task", "ready", "--agent", "1")] == ["LORE-001"]


def test_status_and_agent_list(cli):
    cli.json("task", "create", "a", "--type", "lore")
    status = cli.json("status")
    assert status["tasks"]["pending"] == 1 and set(status["reviews"]) == {
        "pending", "approved", "rejected", "cancelled"}
    agents = cli.json("agent", "list")
    assert [a["number"] for a in agents] == list(range(10))
    assert AGENT_KEYS <= set(agents[0])
    assert agents[8]["name"] == "Lore Guardian"


def test_task_depend_and_cancel(cli):
    cli.json("task", "create", "a", "--type", "lore")
    cli.json("task", "create", "b", "--type", "lore")
    assert cli.json("task", "depend", "2", "--on", "LORE-001")["blocked_by"] == ["LORE-001"]
    run = cli("task", "depend", "1", "--on", "2", "--json")
    assert run.exit_code == 1
    assert json.loads(run.stderr)["error"]["code"] == "dependency_cycle"
    cancelled = cli.json("task", "cancel", "1", "--reason", "not needed")
    assert cancelled["status"] == "cancelled"


def test_events_tail_prints_json_lines_oldest_first_with_filters(cli):
    for title in ("a", "b", "c"):
        cli.json("task", "create", title, "--type", "lore")
    cli.json("task", "start", "1")
    run = cli("events", "tail", "-n", "2", "--json")
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert [e["type"] for e in lines] == ["task.created", "task.started"]
    assert lines[0]["id"] < lines[1]["id"]
    created = [json.loads(x) for x in cli("events", "tail", "--type", "task.created",
                                          "--json").stdout.splitlines()]
    assert [e["payload"]["task_code"] for e in created] == ["LORE-001", "LORE-002", "LORE-003"]
    family = cli("events", "tail", "--type", "task.*", "--json").stdout.splitlines()
    assert len(family) == 4
    assert cli("events", "tail", "--since", "2999-01-01", "--json").stdout == ""


def test_human_output_is_plain_text_when_not_a_terminal(cli):
    cli.json("task", "create", "Write a thread", "--type", "content")
    run = cli("task", "list")
    assert run.exit_code == 0
    header, row = run.stdout.splitlines()
    assert header.split("\t") == ["CODE", "STATUS", "PRI", "AGENT", "TIER", "TITLE",
                                  "DEADLINE", "BLOCKED_BY"]
    assert row.split("\t")[:3] == ["CONTENT-001", "pending", "P2"]
    assert "\x1b[" not in run.stdout


def test_rich_tables_on_a_terminal_also_with_no_color(cli, monkeypatch):
    from idolq.cli import output

    monkeypatch.setattr(output.sys.stdout, "isatty", lambda: True, raising=False)
    assert output.use_rich()
    monkeypatch.setenv("NO_COLOR", "1")
    assert output.use_rich()  # the same tables: Rich drops only the colour


@pytest.mark.parametrize(("args", "code", "exit_code"), [
    (["task", "show", "99"], "not_found", 1),
    (["task", "show", "LORE-404"], "not_found", 1),
    (["task", "show", "not a task"], "invalid_value", 2),
    (["task", "start", "1"], "invalid_transition", 1),
    (["task", "create", "x", "--type", "lore", "--priority", "P7"], "invalid_value", 2),
    (["task", "create", "x", "--type", "lore", "--tier", "5"], "invalid_value", 2),
    (["task", "create", "x", "--type", "lore", "--deadline", "when pigs fly"], "invalid_value", 2),
    (["task", "create", "x", "--type", "contnet"], "invalid_value", 2),
    (["task", "create", "x", "--type", "content", "--content-type", "thred"], "invalid_value", 2),
    (["task", "create", "x", "--type", "lore", "--estimate", "-1"], "invalid_value", 2),
    (["task", "create", "x", "--type", "lore", "--agent", "11"], "invalid_value", 2),
    (["task", "create", "x", "--type", "lore", "--agent", "two"], "usage", 2),
    (["task", "create", "x", "--type", "no spaces!"], "invalid_value", 2),
    (["task", "create", "x"], "usage", 2),
    (["task", "create", "  ", "--type", "lore"], "invalid_value", 2),
    (["task", "list", "--status", "done"], "invalid_value", 2),
    (["task", "list", "--limit", "0"], "invalid_value", 2),
    (["review", "approve", "7"], "not_found", 1),
    (["review", "approve", "x"], "invalid_value", 2),
    (["review", "list", "--status", "maybe"], "invalid_value", 2),
    (["events", "tail", "--type", "task.create"], "invalid_value", 2),
    (["events", "tail", "--since", "the day before never"], "invalid_value", 2),
    (["task", "frobnicate"], "usage", 2),
])
def test_bad_input_gets_one_json_error_line_the_right_status_and_changes_nothing(
        cli, db_path, args, code, exit_code):
    cli.json("task", "create", "existing", "--type", "lore")
    cli.json("task", "start", "1")
    before = table_snapshot(db_path)
    run = cli(*args, "--json")
    assert run.exit_code == exit_code
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["error"]["code"] == code
    assert table_snapshot(db_path) == before
    plain = cli(*args)
    assert plain.exit_code == exit_code
    assert plain.stderr.startswith("idolq: error: ") and len(plain.stderr.splitlines()) == 1


def test_a_missing_database_names_idolq_init_and_creates_nothing(tmp_path):
    run = Cli(None)("task", "list")
    assert run.exit_code == 1
    assert "idolq init" in run.stderr
    assert list(tmp_path.iterdir()) == []


def test_actor_comes_from_the_flag_then_the_environment_then_user(cli):
    cli.json("task", "create", "a", "--type", "lore", "--actor", "agent:01")
    cli.json("task", "create", "b", "--type", "lore", env={"IDOLQ_ACTOR": "agent:05"})
    cli.json("task", "create", "c", "--type", "lore")
    actors = [json.loads(x)["actor"] for x in cli("events", "tail", "--json").stdout.splitlines()]
    assert actors == ["agent:01", "agent:05", "human:tester"]


def _commands(command=None, prefix=()):
    """Every runnable command path, found the way Click finds them (groups load lazily)."""
    from typer import Context
    from typer.main import get_command

    command = command or get_command(app)
    if not hasattr(command, "list_commands"):
        yield prefix
        return
    ctx = Context(command)
    for name in command.list_commands(ctx):
        yield from _commands(command.get_command(ctx, name), (*prefix, name))


def test_every_documented_command_exists():
    paths = {" ".join(p) for p in _commands()}
    assert {"init", "task create", "task start", "task complete", "task cancel", "task show",
            "task list", "task ready", "task depend", "task undepend", "review list",
            "review approve",
            "review reject", "events tail", "status", "agent list", "demo"} <= paths


@pytest.mark.parametrize("path", list(_commands()))
def test_every_command_has_help(path):
    run = Cli(None)(*path, "--help", db=False)
    assert run.exit_code == 0
    assert "Usage" in run.stdout
    if path not in {("version",), ("completion",), ("shell",)}:  # a script; a prompt
        assert "--json" in run.stdout or path in {("demo",), ("mcp",)}  # mcp speaks MCP
    assert "--install-completion" not in run.stdout  # completion is not installed this way


def test_the_demo_walks_the_whole_workflow():
    run = Cli(None)("demo", "--json", db=False)
    assert run.exit_code == 0, run.stderr
    outcomes = [step["outcome"] for step in run.json["steps"]]
    assert outcomes[1].startswith("blocked")
    assert any("back to in_progress" in o for o in outcomes)
    assert any("round 2" in o for o in outcomes)
    assert outcomes[-2].endswith("is complete")
    assert outcomes[-1].endswith("is pending")


def test_bare_idolq_and_bare_groups_print_help_and_nothing_on_stderr():
    for args in ([], ["task"], ["sla"], ["notify"]):
        run = Cli(None)(*args, db=False)
        assert "Usage" in run.stdout
        assert run.stderr == ""


def test_version_flag():
    from idolq import __version__

    run = Cli(None)("--version", db=False)
    assert (run.exit_code, run.stdout.strip()) == (0, f"idolq {__version__}")


def test_task_undepend_releases_a_task_waiting_on_cancelled_work(cli):
    cli.json("task", "create", "upstream", "--type", "lore")
    cli.json("task", "create", "waiting", "--type", "lore", "--depends-on", "LORE-001")
    cli.json("task", "cancel", "LORE-001")
    released = cli.json("task", "undepend", "LORE-002", "--on", "LORE-001")
    assert (released["status"], released["depends_on"]) == ("pending", [])
    again = cli("task", "undepend", "LORE-002", "--on", "LORE-001", "--json")
    assert again.exit_code == 1 and json.loads(again.stderr)["error"]["code"] == "not_found"
