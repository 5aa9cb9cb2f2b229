"""task edit|assign|comment|defer|resume, review show, and what each operation led to."""

from __future__ import annotations

import json

from freezegun import freeze_time

from idolq.contract_core import CommentedDoc, ReviewDetailDoc, TaskDetailDoc, TaskDoc
from idolq.contract_operations import SlaReportDoc

from conftest import table_snapshot


def _types(cli, task="1") -> list[str]:
    return [e["type"] for e in cli.json("task", "show", task)["history"]]


def test_task_edit_records_each_change_as_old_and_new(cli):
    cli.json("task", "create", "Teaser thred", "--type", "content", "--content-type", "tweet")
    task = cli.json("task", "edit", "CONTENT-001", "--title", "Teaser thread", "-p", "P1",
                    "--content-type", "thread", "--deadline", "2030-01-01")
    TaskDoc.model_validate(task)
    assert (task["title"], task["priority"], task["content_type"]) == \
        ("Teaser thread", 1, "thread")
    updated = cli.json("task", "show", "1")["history"][-1]
    assert updated["type"] == "task.updated"
    assert updated["payload"]["changes"] == {
        "title": ["Teaser thred", "Teaser thread"], "priority": [2, 1],
        "content_type": ["tweet", "thread"], "deadline": [None, "2030-01-01T00:00:00+00:00"]}
    cleared = cli.json("task", "edit", "1", "--deadline", "none")
    assert cleared["deadline"] is None


def test_task_edit_refuses_an_unknown_content_type_and_nothing_to_change(cli, db_path):
    cli.json("task", "create", "x", "--type", "content")
    before = table_snapshot(db_path)
    run = cli("task", "edit", "1", "--content-type", "thred")
    assert run.exit_code == 2 and "did you mean thread" in run.stderr
    assert cli("task", "edit", "1").exit_code == 2
    assert table_snapshot(db_path) == before


def test_task_assign_sends_work_in_progress_back_to_pending_for_the_new_agent(cli):
    cli.json("task", "create", "x", "--type", "lore")
    cli.json("task", "start", "1")
    task = cli.json("task", "assign", "1", "--agent", "3")
    assert (task["assigned_agent"], task["status"], task["started_at"]) == (3, "pending", None)
    assert _types(cli)[-1] == "task.assigned"
    assert cli("task", "assign", "1", "--agent", "3").exit_code == 1  # already theirs
    assert cli("task", "assign", "1", "--agent", "42").exit_code == 2  # no such agent


def test_task_comment_prints_the_task_and_the_comment_and_shows_in_task_show(cli):
    cli.json("task", "create", "x", "--type", "lore")
    result = cli.json("task", "comment", "1", "Use the new key art", "--actor", "agent:01")
    CommentedDoc.model_validate(result)
    assert result["comment"]["text"] == "Use the new key art"
    assert result["comment"]["actor"] == "agent:01"
    detail = cli.json("task", "show", "1")
    TaskDetailDoc.model_validate(detail)
    assert [c["text"] for c in detail["comments"]] == ["Use the new key art"]
    assert detail["history"][-1]["type"] == "task.commented"
    assert "Use the new key art" in cli("task", "show", "1").stdout
    assert cli("task", "comment", "1", "  ").exit_code == 2


def test_a_deferred_task_leaves_the_ready_queue_and_comes_back_on_resume(cli):
    cli.json("task", "create", "first", "--type", "lore")
    cli.json("task", "create", "second", "--type", "lore", "--depends-on", "1")
    assert cli.json("task", "defer", "1", "2")[1]["status"] == "deferred"
    assert cli.json("task", "ready") == []
    assert cli.json("status")["tasks"]["deferred"] == 2
    assert [t["code"] for t in cli.json("task", "list", "--status", "deferred")] == \
        ["LORE-001", "LORE-002"]
    assert cli("task", "start", "1").exit_code == 1
    back = cli.json("task", "resume", "1", "2")
    assert [t["status"] for t in back] == ["pending", "blocked"]
    assert cli("task", "resume", "1").exit_code == 1
    assert _types(cli)[-2:] == ["task.deferred", "task.resumed"]


def test_the_first_sla_check_after_until_resumes_the_task(cli):
    with freeze_time("2026-01-09T10:00:00+00:00"):
        cli.json("task", "create", "later", "--type", "lore")
        assert cli.json("task", "defer", "1", "--until", "2026-01-10")["deferred_until"] == \
            "2026-01-10T00:00:00+00:00"
        cli.json("sla", "check")
        assert cli.json("task", "show", "1")["status"] == "deferred"
    with freeze_time("2026-01-10T00:05:00+00:00"):
        cli.json("sla", "check")
        task = cli.json("task", "show", "1")
    assert (task["status"], task["deferred_until"]) == ("pending", None)
    assert task["history"][-1]["payload"]["reason"] == "deferred until reached"


def test_review_show_prints_the_review_and_its_task(cli):
    cli.json("task", "create", "x", "--type", "content", "--tier", "3")
    cli.json("task", "start", "1")
    cli.json("task", "complete", "1")
    detail = cli.json("review", "show", "1")
    ReviewDetailDoc.model_validate(detail)
    assert detail["task"]["code"] == "CONTENT-001" and detail["review_type"] == "coordinator"
    assert cli("review", "show", "9").exit_code == 1


def test_review_list_status_is_repeatable(cli):
    cli.json("task", "create", "x", "--type", "content", "--tier", "1")
    cli.json("task", "start", "1")
    cli.json("task", "complete", "1")
    cli.json("review", "reject", "1", "--notes", "redo")
    statuses = {r["status"] for r in cli.json("review", "list", "--status", "rejected",
                                              "--status", "cancelled")}
    assert statuses == {"rejected", "cancelled"}


def test_operations_say_what_they_led_to(cli):
    cli.json("task", "create", "chapter", "--type", "content", "--tier", "3")
    cli.json("task", "create", "promo", "--type", "lore", "--depends-on", "1")
    cli.json("task", "start", "1")
    submitted = cli("task", "complete", "1")
    assert "-> review 1 (coordinator) requested from agent 0" in submitted.stdout
    approved = cli("review", "approve", "1")
    assert "-> CONTENT-001 approved: complete" in approved.stdout
    assert "-> LORE-001 unblocked: now pending" in approved.stdout
    rejected_task = cli.json("task", "create", "y", "--type", "content", "--tier", "3")
    cli.json("task", "start", str(rejected_task["id"]))
    cli.json("task", "complete", str(rejected_task["id"]))
    rejected = cli("review", "reject", "2", "--notes", "Wrong tone")
    assert "back to in_progress" in rejected.stdout
    shown = cli("task", "show", str(rejected_task["id"])).stdout
    assert "Wrong tone" in shown  # the rejection reason, without --json


def test_several_ids_each_their_own_operation_worst_exit_status(cli, db_path):
    for title in ("a", "b"):
        cli.json("task", "create", title, "--type", "lore")
    run = cli("task", "start", "1", "99", "2", "--json")
    assert run.exit_code == 1
    documents = run.json
    assert [d.get("code") for d in documents] == ["LORE-001", None, "LORE-002"]
    assert documents[1] == {"id": "99", "error": {"code": "not_found", "message": "no task 99"}}
    assert cli.json("task", "show", "2")["status"] == "in_progress"  # the others happened
    worse = cli("task", "cancel", "1", "x y", "--json")
    assert worse.exit_code == 2 and worse.json[1]["error"]["code"] == "invalid_value"


def test_a_dash_reads_ids_from_stdin_and_always_prints_an_array(cli):
    for title in ("a", "b", "c"):
        cli.json("task", "create", title, "--type", "lore")
    run = cli("task", "cancel", "-", "--reason", "dropped", "--json", input="1\nLORE-002\n\n")
    assert run.exit_code == 0
    assert [t["status"] for t in run.json] == ["cancelled", "cancelled"]
    one = cli("task", "show", "-", "--json", input="3\n")
    assert isinstance(one.json, list) and one.json[0]["code"] == "LORE-003"


def test_human_output_for_several_ids_reports_errors_on_stderr_in_order(cli):
    cli.json("task", "create", "a", "--type", "lore")
    run = cli("task", "start", "1", "7")
    assert run.exit_code == 1
    assert "LORE-001" in run.stdout
    assert run.stderr == "idolq: error: 7: no task 7\n"


def test_a_past_deadline_is_accepted_with_a_warning(cli):
    with freeze_time("2026-01-09T10:00:00+00:00"):
        run = cli("task", "create", "late", "--type", "lore", "--deadline", "2026-01-08")
        assert run.exit_code == 0
        assert run.stderr.startswith("idolq: warning: the deadline 2026-01-08")
        assert cli("task", "create", "fine", "--type", "lore", "--deadline", "tomorrow",
                   ).stderr == ""


def test_relative_times_people_type_are_understood(cli):
    with freeze_time("2026-01-09T10:00:00+00:00"):
        assert cli.json("task", "create", "a", "--type", "lore", "--deadline", "in 2h"
                        )["deadline"] == "2026-01-09T12:00:00+00:00"
        assert cli.json("task", "create", "b", "--type", "lore", "--deadline", "1w"
                        )["deadline"] == "2026-01-16T10:00:00+00:00"
        assert len(cli("events", "tail", "--since", "yesterday", "--json").stdout.splitlines()
                   ) == 2
        assert cli("events", "tail", "--since", "1w", "--json").exit_code == 0


def test_deadline_breach_is_reported_and_escalated_once_to_the_coordinator(cli):
    with freeze_time("2026-01-09T10:00:00+00:00"):
        cli.json("task", "create", "x", "--type", "lore", "-p", "P3", "--deadline",
                 "2026-01-09T12:00:00+00:00")
    with freeze_time("2026-01-09T13:00:00+00:00"):
        run = cli("sla", "check", "--json")
        assert run.exit_code == 3
        SlaReportDoc.model_validate(run.json)
        breach = run.json["tasks"][0]
        assert (breach["rule"], breach["escalate_to"], breach["hours_over"]) == \
            ("deadline", "coordinator", 1.0)
        assert run.json["new_escalations"] == 1
        again = cli("sla", "check", "--json")
        assert again.exit_code == 3 and again.json["new_escalations"] == 0
    escalated = [e for e in cli.json("task", "show", "1")["history"]
                 if e["type"] == "task.escalated"]
    assert len(escalated) == 1 and escalated[0]["payload"]["rule"] == "deadline"


def test_a_deferred_task_has_no_sla_clock(cli):
    with freeze_time("2026-01-09T10:00:00+00:00"):
        cli.json("task", "create", "x", "--type", "lore", "-p", "P0")
        cli.json("task", "defer", "1")
    with freeze_time("2026-01-12T10:00:00+00:00"):
        assert cli("sla", "check", "--json").exit_code == 0


def test_json_errors_with_several_ids_are_in_the_array_not_on_stderr(cli):
    run = cli("review", "approve", "1", "2", "--json")
    assert run.exit_code == 1 and run.stderr == ""
    assert [d["error"]["code"] for d in json.loads(run.stdout)] == ["not_found", "not_found"]
