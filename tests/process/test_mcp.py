"""`idolq mcp` as a real process, driven by the MCP SDK's own client over stdio."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from conftest import Cli

READ_ONLY = {"task_ready", "task_show", "review_list", "review_show", "status", "events_since",
             "prime"}
WRITING = {"task_claim", "task_start", "task_complete", "task_heartbeat", "task_release",
           "task_comment", "review_approve", "review_reject"}
CONTRACT_TOOLS = ["task_ready", "task_claim", "task_show", "task_start", "task_complete",
                  "task_heartbeat", "task_release", "task_comment", "review_list", "review_show",
                  "review_approve", "review_reject", "status", "events_since", "prime"]


def _server(db_path, actor: str) -> StdioServerParameters:
    return StdioServerParameters(command=sys.executable,
                                 args=["-m", "idolq", "mcp", "--db", str(db_path)],
                                 env={**os.environ, "IDOLQ_ACTOR": actor})


async def _session_calls(db_path, actor: str, calls: list[tuple[str, dict]]):
    """Run tool calls in one session; returns (tools, [(is_error, parsed JSON text)])."""
    async with stdio_client(_server(db_path, actor)) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = (await session.list_tools()).tools
            results = []
            for name, arguments in calls:
                result = await session.call_tool(name, arguments)
                results.append((result.is_error, json.loads(result.content[0].text)))
            return tools, results


def _run(db_path, actor: str, *calls: tuple[str, dict]):
    return asyncio.run(_session_calls(db_path, actor, list(calls)))


def _check_annotations(tools) -> None:
    """The contract's tools, annotated read-only and idempotent where they are."""
    by_name = {tool.name: tool.annotations for tool in tools}
    assert sorted(by_name) == sorted(CONTRACT_TOOLS) == sorted(READ_ONLY | WRITING)
    for name in READ_ONLY:
        assert (by_name[name].read_only_hint, by_name[name].idempotent_hint) == (True, True)
    for name in WRITING:
        assert by_name[name].read_only_hint is False
    assert by_name["task_heartbeat"].idempotent_hint is True
    assert by_name["task_claim"].idempotent_hint is False


def test_an_agent_works_through_annotated_mcp_tools_with_the_clis_documents_and_errors(cli):
    cli.json("task", "create", "Write a thread", "--type", "content", "--tier", "3")
    cli.json("task", "create", "Lore", "--type", "lore")
    tools, results = _run(
        cli.db_path, "agent:02",
        ("prime", {}), ("task_claim", {"lease": "30m"}), ("task_claim", {}),
        ("task_heartbeat", {"task": "CONTENT-001", "lease": "1h"}),
        ("task_complete", {"task": "1"}), ("task_start", {"task": "LORE-001"}),
        ("review_list", {"status": "pending"}), ("task_show", {"task": "1"}),
        ("events_since", {"after": 2, "limit": 2}), ("status", {}), ("task_ready", {"agent": 2}),
        ("task_show", {"task": "not a task"}))
    (briefing, claimed, nothing, beat, submitted, refused, reviews, shown, events, status,
     ready, bad) = results
    _check_annotations(tools)
    assert briefing[0] is False and briefing[1]["ready"][0]["code"] == "CONTENT-001"
    assert claimed[1]["code"] == "CONTENT-001" and claimed[1]["claimed_by"] == "agent:02"
    assert nothing == (False, None)
    assert beat[1]["lease_expires_at"] > claimed[1]["lease_expires_at"]
    assert submitted[1]["status"] == "review"
    assert refused[0] is True and refused[1]["error"]["code"] == "forbidden"
    assert "assigned to agent:01" in refused[1]["error"]["message"]
    assert [r["review_type"] for r in reviews[1]] == ["coordinator"]
    assert shown == (False, cli.json("task", "show", "1"))
    assert [e["id"] for e in events[1]] == [3, 4]
    assert status == (False, cli.json("status"))
    assert ready == (False, [])
    assert bad == (True, {"error": {"code": "invalid_value", "message":
                                    "invalid task 'not a task': give its number (7) or code "
                                    "(CONTENT-007)"}})


def test_reviewers_decide_through_mcp_and_only_their_own_reviews(cli):
    cli.json("task", "create", "t", "--type", "content", "--tier", "3")
    cli.json("task", "start", "1", "--actor", "agent:02")
    cli.json("task", "complete", "1", "--actor", "agent:02")
    _, (wrong,) = _run(cli.db_path, "agent:09", ("review_approve", {"review": 1}))
    assert wrong[0] is True and wrong[1]["error"]["code"] == "forbidden"
    _, (shown, approved) = _run(cli.db_path, "agent:00", ("review_show", {"review": 1}),
                                ("review_approve", {"review": 1, "notes": "ok"}))
    assert shown[1]["task"]["code"] == "CONTENT-001"
    assert approved[1]["status"] == "approved"
    assert cli.json("task", "show", "1")["status"] == "complete"


def test_nothing_but_protocol_messages_reach_stdout(cli):
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {},
            "clientInfo": {"name": "test", "version": "1"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
         "params": {"name": "status", "arguments": {}}},
    ]
    proc = subprocess.Popen([sys.executable, "-m", "idolq", "mcp", "--db", str(cli.db_path)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    for message in messages:
        proc.stdin.write(json.dumps(message) + "\n")
        proc.stdin.flush()
    lines = []
    while len(lines) < 2:
        line = proc.stdout.readline()
        assert line, proc.stderr.read()
        lines.append(json.loads(line))
    proc.stdin.close()
    rest = proc.stdout.read()
    assert proc.wait(timeout=30) == 0
    assert all(message["jsonrpc"] == "2.0" for message in lines)
    assert [m.get("id") for m in lines] == [1, 2] and rest.strip() == ""
    assert json.loads(lines[1]["result"]["content"][0]["text"])["tasks"]["pending"] == 0


def test_without_the_mcp_package_the_command_says_how_to_install_it(cli, monkeypatch):
    for name in [name for name in sys.modules if name == "mcp" or name.startswith("mcp.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "idolq.mcp_server", raising=False)
    run = Cli(cli.db_path)("mcp")
    assert run.exit_code == 1 and "pip install 'idolq[mcp]'" in run.stderr


def test_agents_comment_through_mcp_with_the_clis_document(cli):
    cli.json("task", "create", "t", "--type", "content")
    _, (said, empty, missing) = _run(
        cli.db_path, "agent:02", ("task_comment", {"task": "CONTENT-001", "text": "on it"}),
        ("task_comment", {"task": "1", "text": "  "}),
        ("task_comment", {"task": "99", "text": "hello"}))
    assert said[0] is False and set(said[1]) == {"task", "comment"}
    assert said[1]["task"]["code"] == "CONTENT-001"
    assert set(said[1]["comment"]) == {"id", "text", "actor", "timestamp"}
    assert (said[1]["comment"]["text"], said[1]["comment"]["actor"]) == ("on it", "agent:02")
    assert empty[0] is True and empty[1]["error"]["code"] == "invalid_value"
    assert missing[0] is True and missing[1]["error"]["code"] == "not_found"
    shown = cli.json("task", "show", "1")
    assert [c["text"] for c in shown["comments"]] == ["on it"]
