"""`idolq mcp`: a Model Context Protocol server on stdio over the same service functions.

Each tool takes the options of the command it names, returns that command's JSON document
(as text) and fails like it: an MCP tool error whose text is the `{"error": {"code",
"message"}}` line the command prints on stderr with --json. Imported only by `idolq mcp`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations

from idolq.domain import documents, values
from idolq.domain.errors import IdolqError
from idolq.domain.sla import parse_duration_minutes

READ = ToolAnnotations(read_only_hint=True, idempotent_hint=True, destructive_hint=False,
                       open_world_hint=False)
WRITE = ToolAnnotations(read_only_hint=False, idempotent_hint=False, destructive_hint=False,
                        open_world_hint=False)
REPEATABLE = ToolAnnotations(read_only_hint=False, idempotent_hint=True, destructive_hint=False,
                             open_world_hint=False)
EVENTS_PAGE = 100


def _lease(lease: str | None) -> float | None:
    return parse_duration_minutes(lease) if lease is not None else None


def _task_doc(task) -> dict | None:
    return documents.task_json(task) if task is not None else None


def build_server(db: str | None, actor: str) -> MCPServer:
    """The server, its tools bound to one database and one actor."""
    from idolq import __version__

    server = MCPServer("idolq", version=__version__, log_level="WARNING",
                       instructions="idolq: the team's task queue. Call `prime` first for your "
                       "briefing, `task_claim` to take work, `task_complete` to submit it.")

    def tool(annotations: ToolAnnotations) -> Callable:
        def register(fn: Callable) -> Callable:
            server.add_tool(fn, name=fn.__name__, description=fn.__doc__,
                            annotations=annotations, structured_output=False)
            return fn
        return register

    def run(operation: Callable[[sqlite3.Connection], Any]) -> CallToolResult:
        from idolq.store.connection import describe_error, open_database

        try:
            conn = open_database(db)
            try:
                document = operation(conn)
            finally:
                conn.close()
        except IdolqError as error:
            return _text(_error_document(error), is_error=True)
        except sqlite3.Error as error:
            return _text(_error_document(describe_error(error, "the database")), is_error=True)
        return _text(document)

    _register_task_tools(tool, run, actor)
    _register_review_tools(tool, run, actor)
    _register_other_tools(tool, run, actor)
    return server


def _text(document: Any, is_error: bool = False) -> CallToolResult:
    text = json.dumps(document, ensure_ascii=False)
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=is_error)


def _error_document(error: IdolqError) -> dict:
    """What the command prints on stderr with --json: the same code and message."""
    return {"error": {"code": error.code, "message": " ".join(error.message.split())}}


def _register_task_tools(tool, run, actor: str) -> None:
    from idolq.services import claims, queries, tasks

    @tool(READ)
    def task_ready(agent: int | None = None, limit: int | None = None) -> CallToolResult:
        """Pending tasks, most urgent first (as `idolq task ready --json`)."""
        return run(lambda c: [documents.task_json(t) for t in queries.ready_tasks(
            c, agent, values.parse_limit(limit))])

    @tool(WRITE)
    def task_claim(agent: int | None = None, lease: str | None = None) -> CallToolResult:
        """Take and start the agent's most urgent ready task with a lease (e.g. "2h");
        null when there is nothing to claim. `agent` defaults to the server's actor."""
        return run(lambda c: _task_doc(claims.claim_task(c, actor, agent, _lease(lease))))

    @tool(READ)
    def task_show(task: str) -> CallToolResult:
        """A task with its reviews and history (number or code)."""
        return run(lambda c: documents.task_detail_json(
            queries.show_task(c, values.parse_task_ref(task))))

    @tool(WRITE)
    def task_start(task: str) -> CallToolResult:
        """Start a pending task (no lease: prefer task_claim)."""
        return run(lambda c: _task_doc(tasks.start_task(c, values.parse_task_ref(task), actor)))

    @tool(WRITE)
    def task_complete(task: str, output: str | None = None) -> CallToolResult:
        """Submit the work: to review if the task has a tier, else complete."""
        return run(lambda c: _task_doc(tasks.complete_task(
            c, values.parse_task_ref(task), actor, values.check_text("output path", output,
                                                                       4096))))

    @tool(REPEATABLE)
    def task_heartbeat(task: str, lease: str | None = None) -> CallToolResult:
        """Extend a claimed task's lease from now."""
        return run(lambda c: _task_doc(claims.heartbeat_task(
            c, values.parse_task_ref(task), actor, _lease(lease))))

    @tool(WRITE)
    def task_release(task: str) -> CallToolResult:
        """Give an in-progress task back (pending)."""
        return run(lambda c: _task_doc(claims.release_task(c, values.parse_task_ref(task),
                                                           actor)))

    @tool(WRITE)
    def task_comment(task: str, text: str) -> CallToolResult:
        """Add a comment to a task (as `idolq task comment`)."""
        from idolq.services.task_edits import comment_task

        return run(lambda c: documents.commented_json(comment_task(
            c, values.parse_task_ref(task), actor, values.check_text("comment", text))))


def _register_review_tools(tool, run, actor: str) -> None:
    from idolq.services import queries, reviews

    @tool(READ)
    def review_list(status: str | None = None, agent: int | None = None,
                    task: str | None = None, limit: int | None = None) -> CallToolResult:
        """Reviews, oldest first, optionally by status, reviewer agent or task."""
        return run(lambda c: [documents.review_json(r) for r in queries.list_reviews(
            c, values.parse_review_status(status) if status else None, agent,
            values.parse_task_ref(task) if task else None, values.parse_limit(limit))])

    @tool(READ)
    def review_show(review: int) -> CallToolResult:
        """A review with its task."""
        return run(lambda c: documents.review_detail_json(queries.show_review(c, review)))

    @tool(WRITE)
    def review_approve(review: int, notes: str | None = None,
                       ds_rating: float | None = None) -> CallToolResult:
        """Approve a pending review you are the reviewer of."""
        return run(lambda c: documents.review_json(reviews.approve_review(
            c, review, actor, notes=values.check_text("notes", notes),
            ds_rating=values.parse_ds_rating(ds_rating))))

    @tool(WRITE)
    def review_reject(review: int, notes: str, ds_rating: float | None = None) -> CallToolResult:
        """Reject a pending review (notes say what must change): the task goes back."""
        return run(lambda c: documents.review_json(reviews.reject_review(
            c, review, actor, notes=values.check_text("notes", notes),
            ds_rating=values.parse_ds_rating(ds_rating))))


def _register_other_tools(tool, run, actor: str) -> None:
    from idolq.services import prime as briefing
    from idolq.services import queries

    @tool(READ)
    def status() -> CallToolResult:
        """Counts of tasks and reviews by status, and each agent's workload."""
        return run(lambda c: documents.status_json(queries.status(c)))

    @tool(READ)
    def events_since(after: int = 0, limit: int = EVENTS_PAGE,
                     type: str | None = None) -> CallToolResult:
        """Events with an id above `after`, oldest first (keep the last id as a cursor)."""
        from idolq.cli.parsing import parse_event_type

        return run(lambda c: [documents.event_json(e) for e in queries.events_since(
            c, after, parse_event_type(type), limit)])

    @tool(READ)
    def prime(agent: int | None = None, limit: int = briefing.DEFAULT_LIMIT) -> CallToolResult:
        """Your briefing: tasks in progress, ready queue, reviews waiting, work sent back
        with its notes, warnings. `agent` defaults to the server's actor."""
        from idolq.cli.briefing import briefing_json

        return run(lambda c: briefing_json(briefing.prime(
            c, briefing.briefing_agent(actor, agent), values.parse_limit(limit))))


def serve(db: str | None, actor: str) -> None:
    build_server(db, actor).run("stdio")
