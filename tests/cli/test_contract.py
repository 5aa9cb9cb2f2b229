"""Every --json document matches the contract's models (idolq/contract.py), key for key."""

from __future__ import annotations

import json

import pytest
from freezegun import freeze_time

from idolq import contract
from idolq.domain.documents import AGENT_KEYS, REVIEW_KEYS, TASK_KEYS

from conftest import Cli


@pytest.mark.parametrize(("keys", "model"), [(TASK_KEYS, contract.TaskDoc),
                                              (REVIEW_KEYS, contract.ReviewDoc),
                                              (AGENT_KEYS, contract.AgentDoc)])
def test_the_fast_serialisers_and_the_models_name_the_same_keys_in_order(keys, model):
    assert tuple(model.model_fields) == keys


def _lines(run) -> list[dict]:
    assert run.exit_code == 0, run.stderr
    return [json.loads(line) for line in run.stdout.splitlines()]


def test_every_command_prints_documents_that_match_the_models(cli, tmp_path):
    contract.InitDoc.model_validate(Cli(None).json("init", "--db", tmp_path / "other.db"))
    with freeze_time("2026-01-09T10:00:00Z"):
        chapter = cli.json("task", "create", "Chapter", "--type", "content", "--content-type",
                           "chapter", "--tier", "1", "--deadline", "2026-01-20")
        promo = cli.json("task", "create", "Promo", "--type", "content", "--depends-on",
                         chapter["code"], "--estimate", "2")
        urgent = cli.json("task", "create", "Fix", "--type", "lore", "--priority", "P0")
        for document in (chapter, promo, urgent, cli.json("task", "start", chapter["code"]),
                         cli.json("task", "complete", chapter["code"])):
            contract.TaskDoc.model_validate(document)
        reviews = cli.json("review", "list")
        for review in reviews:
            contract.ReviewDoc.model_validate(review)
    with freeze_time("2026-01-10T12:00:00Z"):
        report = cli("sla", "check", "--json")
        assert report.exit_code == 3
        checked = contract.SlaReportDoc.model_validate(report.json)
        assert (checked.review_violations, checked.task_violations) == (2, 1)
        contract.ReviewDoc.model_validate(cli.json("review", "approve", str(reviews[0]["id"])))
        contract.ReviewDoc.model_validate(
            cli.json("review", "reject", str(reviews[1]["id"]), "--notes", "no"))
    detail = contract.TaskDetailDoc.model_validate(cli.json("task", "show", chapter["code"]))
    assert [r.status for r in detail.reviews] == ["approved", "rejected"]
    for task in (*cli.json("task", "list"), *cli.json("task", "ready")):
        contract.TaskDoc.model_validate(task)
    contract.StatusDoc.model_validate(cli.json("status"))
    for agent in cli.json("agent", "list"):
        contract.AgentDoc.model_validate(agent)
    for event in _lines(cli("events", "tail", "-n", "100", "--json")):
        contract.EventDoc.model_validate(event)
    error = cli("task", "show", "404", "--json")
    contract.ErrorDoc.model_validate(json.loads(error.stderr))


def test_warnings_in_an_sla_report_match_the_models(cli):
    with freeze_time("2026-01-09T10:00:00Z"):
        cli.json("task", "create", "t", "--type", "content", "--tier", "2")
        cli.json("task", "start", "1")
        cli.json("task", "complete", "1")
    with freeze_time("2026-01-09T10:50:00Z"):
        report = contract.SlaReportDoc.model_validate(cli.json("sla", "check"))
    assert [w.kind for w in report.warnings] == ["review"]


def test_the_models_refuse_what_the_contract_does_not_allow():
    good = {"id": 1, "type": "task.created", "payload": {}, "source": "cli", "actor": "a",
            "timestamp": "2026-01-09T15:00:00+00:00"}
    contract.EventDoc.model_validate(good)
    for bad in ({**good, "timestamp": "2026-01-09T15:00:00"},  # no offset
                {**good, "type": "task.finished"},
                {**good, "extra": 1}):
        with pytest.raises(ValueError):
            contract.EventDoc.model_validate(bad)


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
    assert row["last_error"].startswith("target 1: invalid webhook target: url:")
