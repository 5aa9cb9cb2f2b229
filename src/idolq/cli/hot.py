"""The bodies of the commands agents run most, importable without Typer: the task commands
here; reviews, status, sla check and events tail in cli/hot_reviews.py.

The Typer commands declare the options and call these; the fast path (cli/fast.py) parses the
same options without Typer and looks the body up by name in this module (those of
cli/hot_reviews.py too). So each command has one body, whichever path runs it.
"""
from __future__ import annotations

from idolq.cli.errors import exit_with, reporting
from idolq.cli.parsing import resolve_actor


def task_create(title: str, task_type: str, content_type: str | None, priority: str,
                tier: str | None, agent: int | None, deadline: str | None,
                description: str | None, depends_on: list[str] | None, estimate: float | None,
                db: str | None, actor: str | None, json_: bool) -> None:
    from idolq.cli.parsing import new_task, warn_if_past
    from idolq.cli.views import show_task
    from idolq.services.tasks import create_task
    from idolq.store.connection import open_database

    with reporting(json_):
        new = new_task(title, task_type, content_type, priority, tier, agent, deadline,
                       description, depends_on or [], estimate)
        if not json_:
            warn_if_past("deadline", new.deadline)
        show_task(create_task(open_database(db), new, resolve_actor(actor)), json_)


def act_on_tasks(operation: str, tasks: str | list[str], db: str | None, actor: str | None,
                 json_: bool, options=dict, module: str = "tasks") -> None:
    """Run a task operation on each id given (cli/ids.py); `options` parses its own
    arguments, under the same error reporting as everything else. Human output says what
    each operation led to."""
    from importlib import import_module

    from idolq.cli.ids import Done, for_each_id, show_with_outcomes
    from idolq.cli.views import show_task
    from idolq.domain.documents import task_json
    from idolq.domain.values import parse_task_ref
    from idolq.services.uow import recording
    from idolq.store.connection import open_database

    with reporting(json_):
        parsed, conn, who = options(), open_database(db), resolve_actor(actor)
    service = getattr(import_module(f"idolq.services.{module}"), operation)

    def act(ident: str) -> Done:
        with recording() as happened:
            task = service(conn, parse_task_ref(ident), who, **parsed)
        return Done(task_json(task), show_with_outcomes(lambda: show_task(task, False),
                                                        happened))

    for_each_id([tasks] if isinstance(tasks, str) else tasks, json_, act)


def transition(operation: str, task: str | list[str], db: str | None, actor: str | None,
               json_: bool, options=dict, module: str = "tasks") -> None:
    act_on_tasks(operation, task, db, actor, json_, options, module)


def task_start(tasks: str | list[str], db: str | None, actor: str | None, json_: bool) -> None:
    transition("start_task", tasks, db, actor, json_)


def task_complete(tasks: str | list[str], output: str | None, db: str | None,
                  actor: str | None, json_: bool) -> None:
    from idolq.domain.values import check_text

    transition("complete_task", tasks, db, actor, json_,
               lambda: {"output_file": check_text("output path", output, 4096)})


def task_show(tasks: str | list[str], db: str | None, json_: bool) -> None:
    """Each task with its reviews (and notes), comments and history."""
    from idolq.cli.ids import Done, for_each_id
    from idolq.cli.views import show_task_detail, task_detail_json
    from idolq.domain.values import parse_task_ref
    from idolq.services.queries import show_task as query
    from idolq.store.connection import open_database

    with reporting(json_):
        conn = open_database(db)

    def act(ident: str) -> Done:
        detail = query(conn, parse_task_ref(ident))
        return Done(task_detail_json(detail), lambda: show_task_detail(detail, False))

    for_each_id([tasks] if isinstance(tasks, str) else tasks, json_, act)


def task_edit(tasks: str | list[str], title: str | None, description: str | None,
              priority: str | None, deadline: str | None, content_type: str | None,
              estimate: float | None, db: str | None, actor: str | None, json_: bool) -> None:
    from idolq.cli.parsing import edits

    act_on_tasks("edit_task", tasks, db, actor, json_, lambda: edits(
        title, description, priority, deadline, content_type, estimate, warn=not json_),
        module="task_edits")


def task_assign(tasks: str | list[str], agent: int, db: str | None, actor: str | None,
                json_: bool) -> None:
    act_on_tasks("assign_task", tasks, db, actor, json_, lambda: {"agent": agent},
                 module="task_edits")


def task_defer(tasks: str | list[str], until: str | None, db: str | None, actor: str | None,
               json_: bool) -> None:
    from idolq.cli.parsing import parse_future_time

    act_on_tasks("defer_task", tasks, db, actor, json_,
                 lambda: {"until": parse_future_time(until)}, module="task_edits")


def task_resume(tasks: str | list[str], db: str | None, actor: str | None,
                json_: bool) -> None:
    act_on_tasks("resume_task", tasks, db, actor, json_, module="task_edits")


def task_comment(task: str, text: str, db: str | None, actor: str | None,
                 json_: bool) -> None:
    from idolq.cli.views import show_comment
    from idolq.domain.values import check_text, parse_task_ref
    from idolq.services.task_edits import comment_task
    from idolq.store.connection import open_database

    with reporting(json_):
        note = check_text("comment", text)
        result = comment_task(open_database(db), parse_task_ref(task), resolve_actor(actor),
                              note)
        show_comment(result, json_)


def task_list(status: list[str] | None, agent: int | None, task_type: str | None,
              limit: int | None, db: str | None, json_: bool) -> None:
    from idolq.cli.views import show_tasks, terminal_cap
    from idolq.domain.values import parse_limit, parse_task_status, parse_task_type
    from idolq.services.queries import iter_tasks
    from idolq.store.connection import open_database

    with reporting(json_):
        statuses = [parse_task_status(s) for s in status or []]
        kind = parse_task_type(task_type) if task_type else None
        cap, limit = terminal_cap(parse_limit(limit), json_)
        show_tasks(iter_tasks(open_database(db), statuses, agent, kind, limit), json_, cap)


def task_ready(agent: int | None, limit: int | None, db: str | None, json_: bool) -> None:
    from idolq.cli.views import show_tasks, terminal_cap
    from idolq.domain.values import parse_limit
    from idolq.services.queries import iter_ready_tasks
    from idolq.store.connection import open_database

    with reporting(json_):
        cap, limit = terminal_cap(parse_limit(limit), json_)
        show_tasks(iter_ready_tasks(open_database(db), agent, limit), json_, cap)


NOTHING_TO_DO_EXIT = 4


def _lease_minutes(lease: str | None) -> float | None:
    from idolq.domain.sla import parse_duration_minutes

    return parse_duration_minutes(lease) if lease is not None else None


def task_claim(agent: int | None, lease: str | None, db: str | None, actor: str | None,
               json_: bool) -> None:
    """Exit 4 (and `null` with --json) when there is nothing to claim."""
    from idolq.cli import output
    from idolq.cli.views import show_task
    from idolq.services.claims import claim_task
    from idolq.store.connection import open_database

    with reporting(json_):
        claimed = claim_task(open_database(db), resolve_actor(actor), agent,
                             _lease_minutes(lease))
    if claimed is None:
        output.emit(None, json_, lambda _: output.print_line("Nothing to claim."))
        raise exit_with(NOTHING_TO_DO_EXIT)
    show_task(claimed, json_)


def task_heartbeat(task: str, lease: str | None, db: str | None, actor: str | None,
                   json_: bool) -> None:
    transition("heartbeat_task", task, db, actor, json_,
               lambda: {"lease": _lease_minutes(lease)}, module="claims")


def task_release(task: str, db: str | None, actor: str | None, json_: bool) -> None:
    transition("release_task", task, db, actor, json_, module="claims")


IN_HOT_REVIEWS = frozenset({"review_list", "review_approve", "review_reject", "status",
                            "sla_check", "events_tail"})


def __getattr__(name: str):
    """The bodies of cli/hot_reviews.py, found here by name too (cli/fast.py looks every body
    up in this module), and loaded only when one of them is asked for."""
    if name not in IN_HOT_REVIEWS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from idolq.cli import hot_reviews

    return getattr(hot_reviews, name)
