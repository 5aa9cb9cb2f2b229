"""Claims, authority and the team from the command line: exit codes, JSON and stderr."""

from __future__ import annotations

import json

from conftest import table_snapshot


def test_claim_prints_the_task_and_exit_4_with_null_when_nothing_is_ready(cli):
    cli.json("task", "create", "t", "--type", "content")
    claimed = cli.json("task", "claim", "--actor", "agent:02", "--lease", "90m")
    assert (claimed["code"], claimed["status"], claimed["claimed_by"]) == (
        "CONTENT-001", "in_progress", "agent:02")
    assert claimed["lease_expires_at"] is not None
    nothing = cli("task", "claim", "--actor", "agent:02", "--json")
    assert (nothing.exit_code, nothing.stdout, nothing.stderr) == (4, "null\n", "")
    plain = cli("task", "claim", "--actor", "agent:02")
    assert (plain.exit_code, plain.stderr) == (4, "")


def test_claim_agent_defaults_to_the_actors_number_and_a_person_must_give_it(cli):
    run = cli("task", "claim", "--json", env={"IDOLQ_ACTOR": "human:lead"})
    assert run.exit_code == 2 and json.loads(run.stderr)["error"]["code"] == "invalid_value"
    cli.json("task", "create", "t", "--type", "lore")
    assert cli.json("task", "claim", "--agent", "1", "--actor", "human:lead")["code"] == \
        "LORE-001"


def test_a_refusal_exits_1_names_who_may_act_and_changes_nothing(cli, db_path):
    cli.json("task", "create", "t", "--type", "content")
    before = table_snapshot(db_path)
    run = cli("task", "start", "1", "--actor", "agent:05", "--json")
    assert (run.exit_code, run.stdout) == (1, "")
    error = json.loads(run.stderr)["error"]
    assert error["code"] == "forbidden" and "assigned to agent:02" in error["message"]
    assert table_snapshot(db_path) == before


def test_heartbeat_and_release_from_the_command_line(cli):
    cli.json("task", "create", "t", "--type", "content")
    cli.json("task", "claim", "--actor", "agent:02")
    beat = cli.json("task", "heartbeat", "CONTENT-001", "--lease", "4h", "--actor", "agent:02")
    assert beat["lease_expires_at"] is not None
    released = cli.json("task", "release", "1", "--actor", "agent:02")
    assert (released["status"], released["claimed_by"]) == ("pending", None)
    bad = cli("task", "heartbeat", "1", "--lease", "soon", "--actor", "agent:02")
    assert bad.exit_code == 2 and "invalid duration" in bad.stderr


def test_agent_add_edit_show(cli):
    added = cli.json("agent", "add", "10", "Legal Eagle", "--role", "Law", "--max", "2")
    assert (added["number"], added["name"], added["role"]) == (10, "Legal Eagle", "Law")
    edited = cli.json("agent", "edit", "10", "--inactive", "--name", "Eagle")
    assert (edited["name"], edited["is_active"], edited["available"]) == ("Eagle", False, False)
    assert cli.json("agent", "show", "10") == edited
    assert cli("agent", "show", "99").exit_code == 1
    refused = cli("agent", "edit", "2", "--max", "9", "--actor", "agent:02")
    assert refused.exit_code == 1 and "only a human may" in refused.stderr


def test_review_policy_commands_add_tier_zero_express(cli):
    policy = cli.json("review", "policy", "set", "0", "--stages", "cultural")
    assert {"tier": 0, "stages": [["cultural"]]} in policy["tiers"]
    assert cli.json("review", "policy") == policy
    created = cli.json("task", "create", "t", "--type", "content", "--tier", "0")
    assert created["review_tier"] == 0
    cli.json("task", "start", "1", "--actor", "agent:02")
    assert cli.json("task", "complete", "1", "--actor", "agent:02")["status"] == "review"
    assert [r["review_type"] for r in cli.json("review", "list", "--task", "1")] == ["cultural"]
    reviewer = cli.json("review", "policy", "reviewer", "cultural", "--agent", "3")
    assert {"review_type": "cultural", "reviewer_agent": 3} in reviewer["reviewers"]
    assert cli("review", "policy", "set", "5", "--stages", "nope").exit_code == 2
    assert cli("task", "create", "t", "--type", "content", "--tier", "7").exit_code == 2


def _busy_agent(cli) -> None:
    """Agent 9 with a full hand: work sent back, ready work, reviews waiting, 3 in progress."""
    long = "A very long title about the summer festival banner and its many variants " * 3
    cli.json("task", "create", "returned", "--type", "content", "--agent", "9")
    cli.json("task", "start", "1", "--actor", "agent:09")
    cli.json("task", "complete", "1", "--actor", "agent:09")
    cli.json("review", "reject", "1", "--notes", "Rework this. " * 100, "--actor", "human:lead")
    for n in range(30):
        cli.json("task", "create", f"{n} {long}", "--type", "content", "--agent", "9",
                 "--priority", str(n % 4), "--deadline", "2030-01-01")
    for _ in range(2):
        cli.json("task", "claim", "--actor", "agent:09")
    for n in range(15):
        cli.json("task", "create", f"to review {n}", "--type", "content", "--agent", "3")
        cli.json("task", "start", str(32 + n), "--actor", "agent:03")
        cli.json("task", "complete", str(32 + n), "--actor", "agent:03")


def test_prime_is_markdown_bounded_for_a_busy_agent_and_json_with_the_contract_keys(cli):
    _busy_agent(cli)
    markdown = cli("prime", "--actor", "agent:09")
    assert markdown.exit_code == 0 and markdown.stdout.startswith("# Briefing for agent:09")
    assert "… and 18 more: `idolq task ready --agent 9`" in markdown.stdout
    assert "… and 5 more: `idolq review list --status pending --agent 9`" in markdown.stdout
    assert len(markdown.stdout) / 4 < 2000  # tokens, roughly: it must fit a context window
    briefing = cli.json("prime", "--agent", "9")
    assert set(briefing) == {"agent", "claimed", "ready", "reviews", "returned", "warnings",
                             "totals"}
    assert briefing["totals"] == {"claimed": 2, "ready": 28, "reviews": 15, "returned": 1}
    assert briefing["returned"][0]["rejections"][0]["notes"].startswith("Rework this.")
    assert cli("prime").exit_code == 2  # a person must say whose briefing


def test_events_tail_after_an_id_is_a_cursor_between_sessions(cli):
    for n in range(5):
        cli.json("task", "create", f"t{n}", "--type", "lore")
    run = cli("events", "tail", "--after", "2", "--json")
    assert [json.loads(line)["id"] for line in run.stdout.splitlines()] == [3, 4, 5]
    page = cli("events", "tail", "--after", "0", "-n", "2", "--json")
    assert [json.loads(line)["id"] for line in page.stdout.splitlines()] == [1, 2]
    assert cli("events", "tail", "--after", "5", "--json").stdout == ""


def test_the_default_lease_is_a_setting_people_change(cli):
    assert cli.json("config", "show") == {"lease": "2h"}
    assert cli.json("config", "set", "lease", "90m") == {"lease": "90m"}
    assert cli.json("config", "show") == {"lease": "90m"}
    assert cli("config", "set", "lease", "90m", "--actor", "agent:02").exit_code == 1
    assert cli("config", "set", "colour", "red").exit_code == 2
    assert cli("config", "set", "lease", "-1h").exit_code == 2
