"""Every --json document matches the contract's models (idolq/contract.py), key for key."""

from __future__ import annotations

import json

import pytest
from freezegun import freeze_time

from idolq import contract, contract_core, contract_operations
from idolq.domain.documents import AGENT_KEYS, REVIEW_KEYS, TASK_KEYS

from conftest import Cli


@pytest.mark.parametrize(("keys", "model"), [(TASK_KEYS, contract_core.TaskDoc),
                                              (REVIEW_KEYS, contract_core.ReviewDoc),
                                              (AGENT_KEYS, contract_core.AgentDoc)])
def test_the_fast_serialisers_and_the_models_name_the_same_keys_in_order(keys, model):
    assert tuple(model.model_fields) == keys


def _lines(run) -> list[dict]:
    assert run.exit_code == 0, run.stderr
    return [json.loads(line) for line in run.stdout.splitlines()]


class Checked:
    """Runs commands with --json and validates what each prints against the model that
    contract.COMMANDS names for it; remembers which commands it has seen."""

    def __init__(self, cli: Cli) -> None:
        self.cli, self.seen = cli, set()

    def __call__(self, *args: str, exit_code: int = 0, **kwargs):
        prefixes = (" ".join(map(str, args[:n])) for n in (3, 2, 1))
        path = next(prefix for prefix in prefixes if prefix in contract.COMMANDS)
        run = self.cli(*args, "--json", **kwargs)
        assert run.exit_code == exit_code, run.stderr
        name, shape = contract.COMMANDS[path]
        model = contract.DOCUMENTS[name]
        documents = {contract.ONE: lambda: [run.json], contract.ARRAY: lambda: run.json,
                     contract.LINES: lambda: _lines(run)}[shape]()
        if shape == contract.ARRAY:
            assert isinstance(run.json, list)
        self.seen.add(path)
        return [model.model_validate(document) for document in documents]


def test_every_command_prints_documents_that_match_the_models(cli, tmp_path):
    check = Checked(cli)
    check("init", "--db", tmp_path / "other.db", db=False)
    with freeze_time("2026-01-09T10:00:00Z"):
        (chapter,) = check("task", "create", "Chapter", "--type", "content", "--content-type",
                           "chapter", "--tier", "1", "--deadline", "2026-01-20")
        check("task", "create", "Promo", "--type", "content", "--depends-on", chapter.code,
              "--estimate", "2")
        check("task", "create", "Fix", "--type", "lore", "--priority", "P0")
        check("task", "create", "Spare", "--type", "lore")
        check("task", "depend", "LORE-001", "--on", "LORE-002")
        check("task", "undepend", "LORE-001", "--on", "LORE-002")
        check("task", "cancel", "LORE-002", "--reason", "not needed")
        check("task", "start", chapter.code)
        check("task", "complete", chapter.code)
        reviews = check("review", "list")
        check("notify", "add", "--on", "sla.*", "--webhook", "http://127.0.0.1:9/hook")
        check("notify", "add", "--on", "task.escalated", "--command", "true")
        check("notify", "disallow", "2")
        check("notify", "allow", "2")
    with freeze_time("2026-01-10T12:00:00Z"):
        (report,) = check("sla", "check", "--no-notify", exit_code=3)
        assert (report.review_violations, report.task_violations) == (2, 1)
        check("review", "approve", str(reviews[0].id))
        check("review", "reject", str(reviews[1].id), "--notes", "no")
        check("notify", "send")
        check("notify", "retry", "--no-send")
        check("notify", "list")
        check("notify", "targets")
        check("notify", "remove", "1")
        check("daemon", "--once", exit_code=0)
    (detail,) = check("task", "show", chapter.code)
    assert [r.status for r in detail.reviews] == ["approved", "rejected"]
    check("task", "list")
    check("task", "ready")
    check("status")
    check("doctor")
    check("agent", "list")
    check("events", "tail", "-n", "100")
    check("sla", "policy")
    check("sla", "policy", "set", "canon", "--tier", "1", "--limit", "3h")
    check("sla", "policy", "remove", "P1")
    check("sla", "policy", "reset")
    (stats,) = check("sla", "stats")
    assert [row.review_type for row in stats.review_types] == ["canon", "cultural"]
    check("agent", "add", "10", "Legal Eagle", "--max", "2")
    check("agent", "edit", "10", "--inactive")
    check("agent", "show", "10")
    check("review", "policy")
    check("review", "policy", "reviewer", "legal", "--agent", "5")
    check("review", "policy", "set", "0", "--stages", "legal;cultural")
    check("review", "policy", "remove", "0")
    check("config", "show")
    check("config", "set", "lease", "3h")
    check("task", "create", "Claimable", "--type", "lore")
    (claimed,) = check("task", "claim", "--agent", "1")
    check("task", "heartbeat", claimed.code, "--lease", "1h")
    check("task", "release", claimed.code)
    (briefing,) = check("prime", "--agent", "2")
    assert briefing.agent.number == 2
    check("task", "edit", "LORE-001", "--title", "Fixed", "--deadline", "2030-01-01")
    check("task", "assign", "LORE-001", "--agent", "3")
    check("task", "defer", "LORE-001", "--until", "2030-01-01")
    check("task", "resume", "LORE-001")
    check("task", "comment", "LORE-001", "A note")
    check("review", "show", str(reviews[0].id))
    check("route", "list")
    check("route", "set", "research", "--agent", "5")
    check("route", "remove", "research")
    check("batch", "-", input="task create Batched --type lore\nevents tail -n 2\n")
    queue, backup = tmp_path / "task-queue.md", tmp_path / "backup.jsonl"
    check("export", "v1", "--output", queue)
    (imported,) = check("import", "v1", queue)
    assert imported.unchanged == len(imported.codes) > 0
    check("export", "jsonl", "--output", backup)
    check("import", "jsonl", backup, "--db", tmp_path / "other.db", db=False)
    _check_calendar_and_metrics(check, tmp_path)
    check("version", db=False)
    check("demo", db=False)
    (listing,) = check("schema", db=False)
    assert set(listing.root) == set(contract.DOCUMENTS)
    contract.JsonSchemaDoc.model_validate(cli.json("schema", "task", db=False))
    # `serve` runs until stopped: tests/process/test_serve.py checks what it prints
    assert check.seen == set(contract.COMMANDS) - {"serve"}
    error = cli("task", "show", "404", "--json")
    contract.ErrorDoc.model_validate(json.loads(error.stderr))


def _check_calendar_and_metrics(check: Checked, tmp_path) -> None:
    with freeze_time("2026-01-10T12:00:00Z"):
        check("task", "create", "Post", "--type", "content", "--tier", "none")
        check("task", "start", "CONTENT-003")
        check("task", "complete", "CONTENT-003")
        (item,) = check("calendar", "schedule", "CONTENT-003", "--at", "2026-01-13T09:00+09:00")
        (spare,) = check("calendar", "schedule", "CONTENT-003", "--at", "2026-01-14")
        check("calendar", "publish", str(item.id), "--url", "https://x.com/ika/1")
        check("calendar", "stats", str(item.id), "--likes", "5")
        check("calendar", "cancel", str(spare.id))
        assert len(check("calendar", "list", "--from", "2026-01-01")) == 2
        check("calendar", "zone", "Asia/Tokyo")
        check("calendar", "export", "--ics", "--output", tmp_path / "c.ics")
        (metrics,) = check("metrics")
        assert metrics.content_velocity_per_day > 0
        check("report", "--html", tmp_path / "r.html")


def runnable_commands(command=None, prefix=()):
    """Every command path that runs something: leaves, and groups that run on their own."""
    from typer import Context
    from typer.main import get_command

    from idolq.cli.app import app

    command = command or get_command(app)
    if prefix and (not hasattr(command, "list_commands") or command.invoke_without_command):
        yield " ".join(prefix)
    if hasattr(command, "list_commands"):
        ctx = Context(command)
        for name in command.list_commands(ctx):
            yield from runnable_commands(command.get_command(ctx, name), (*prefix, name))


def test_the_command_table_names_every_command_and_only_documents_that_exist():
    assert set(runnable_commands()) == set(contract.COMMANDS) | set(contract.NOT_JSON)
    assert {name for name, _ in contract.COMMANDS.values()} <= set(contract.DOCUMENTS)


def test_warnings_in_an_sla_report_match_the_models(cli):
    with freeze_time("2026-01-09T10:00:00Z"):
        cli.json("task", "create", "t", "--type", "content", "--tier", "2")
        cli.json("task", "start", "1")
        cli.json("task", "complete", "1")
    with freeze_time("2026-01-09T10:50:00Z"):
        report = contract_operations.SlaReportDoc.model_validate(cli.json("sla", "check"))
    assert [w.kind for w in report.warnings] == ["review"]


def test_the_models_refuse_what_the_contract_does_not_allow():
    good = {"id": 1, "type": "task.created", "payload": {}, "source": "cli", "actor": "a",
            "timestamp": "2026-01-09T15:00:00+00:00"}
    contract_core.EventDoc.model_validate(good)
    for bad in ({**good, "timestamp": "2026-01-09T15:00:00"},  # no offset
                {**good, "type": "task.finished"},
                {**good, "extra": 1}):
        with pytest.raises(ValueError):
            contract_core.EventDoc.model_validate(bad)


def test_idolq_schema_prints_json_schema_for_scripts():
    schemas = Cli(None).json("schema", db=False)
    assert set(schemas) == set(contract.DOCUMENTS)
    task = Cli(None).json("schema", "task", db=False)
    assert task["type"] == "object" and "code" in task["required"]
    run = Cli(None)("schema", "tasks", "--json", db=False)
    assert run.exit_code == 2 and "unknown document" in run.stderr


def test_a_target_broken_by_hand_fails_delivery_with_a_clear_error(conn):
    from idolq.services import notify

    from helpers import create

    notify.add_target(conn, "task.created", "human:lead", url="http://127.0.0.1:9/hook")
    conn.execute("UPDATE webhook_triggers SET action_config = '{\"url\": \"gopher://x\"}'")
    create(conn)
    report = notify.deliver_due(conn)
    assert (report.sent, report.retrying) == (0, 1)
    (row,) = notify.list_notifications(conn)
    assert row["last_error"].startswith("target 1 is broken: invalid webhook target: url:")
