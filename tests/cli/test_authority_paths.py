"""No side path lets an agent act on others' tasks or skip a task's reviews."""

from __future__ import annotations

from conftest import table_snapshot


def _in_review(cli, number: str = "1") -> None:
    """CONTENT-001, agent 2's, submitted: its coordinator review (agent 0) is pending."""
    cli.json("task", "create", "t", "--type", "content", "--tier", "3")
    cli.json("task", "start", number, "--actor", "agent:02")
    cli.json("task", "complete", number, "--actor", "agent:02")


def test_an_agent_cannot_take_someone_elses_task_by_assigning_it_to_itself(cli):
    cli.json("task", "create", "x", "--type", "lore")  # agent 1's
    refused = cli("task", "assign", "1", "--agent", "2", "--actor", "agent:02")
    assert refused.exit_code == 1 and "assigned to agent:01" in refused.stderr
    assert cli.json("task", "show", "1")["assigned_agent"] == 1


def test_an_agent_cannot_resume_someone_elses_deferred_task(cli):
    cli.json("task", "create", "x", "--type", "lore")
    cli.json("task", "defer", "1", "--actor", "agent:01")
    assert cli("task", "resume", "1", "--actor", "agent:02").exit_code == 1
    assert cli.json("task", "show", "1")["status"] == "deferred"


def test_no_edit_changes_the_review_tier_of_a_task_in_review(cli):
    _in_review(cli)
    for actor in ("agent:02", "human:lead"):
        run = cli("task", "edit", "1", "--tier", "none", "--actor", actor)
        assert run.exit_code == 2
    shown = cli.json("task", "show", "1")
    assert (shown["status"], shown["review_tier"]) == ("review", 3)


def test_reassigning_a_task_in_review_keeps_its_reviews_and_completes_nothing(cli):
    _in_review(cli)
    moved = cli.json("task", "assign", "1", "--agent", "3", "--actor", "agent:02")
    assert moved["status"] == "review"
    assert cli("task", "complete", "1", "--actor", "agent:03").exit_code == 1
    assert [r["status"] for r in cli.json("review", "list", "--task", "1")] == ["pending"]
    assert cli.json("task", "show", "1")["status"] == "review"


def test_a_batch_refuses_what_the_single_commands_refuse_and_keeps_nothing(cli, db_path):
    cli.json("task", "create", "x", "--type", "lore")  # agent 1's
    _in_review(cli, "2")  # CONTENT-001 is task 2, agent 2's
    before = table_snapshot(db_path)
    for line in ("task assign 1 --agent 2", "task edit 1 --title mine", "task defer 1",
                 "task start 1", "task complete 2", "review approve 1 --notes ok"):
        run = cli("batch", "-", "--actor", "agent:02",
                  input=f"task comment 2 'said first'\n{line}\n")
        assert run.exit_code == 1, line
        assert table_snapshot(db_path) == before, line
