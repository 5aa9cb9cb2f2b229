"""`idolq task ...`"""

from collections.abc import Callable
from typing import Annotated

import typer

from idolq.cli.errors import reporting
from idolq.cli.group import command_group
from idolq.cli.options import (
    ActorOpt,
    AgentOpt,
    DbOpt,
    JsonOpt,
    LimitOpt,
    TasksArg,
    resolve_actor,
)
from idolq.domain.values import check_text, parse_task_ref

app = command_group("task", "Create, work on and inspect tasks.")


@app.command("create")
def create(
    title: Annotated[str, typer.Argument(help="What needs doing.")],
    task_type: Annotated[str, typer.Option("--type", help="content, asset, lore, ...")],
    content_type: Annotated[str | None, typer.Option(help="tweet, thread, chapter, ...")] = None,
    priority: Annotated[str, typer.Option("--priority", "-p",
                                          help="0-3 or P0-P3 (P0 critical).")] = "P2",
    tier: Annotated[str | None, typer.Option(
        help="Review tier 1, 2, 3 or none (default: 2 for content, else none).")] = None,
    agent: AgentOpt = None,
    deadline: Annotated[str | None, typer.Option(
        help="ISO 8601 time or date, or e.g. tomorrow, in 2h, 1w.")] = None,
    description: Annotated[str | None, typer.Option(help="Details.")] = None,
    depends_on: Annotated[list[str] | None, typer.Option(
        "--depends-on", help="A task this one waits for (repeatable).")] = None,
    estimate: Annotated[float | None, typer.Option(help="Estimated hours.")] = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Create a task, routed to an agent unless --agent is given.

    Example: idolq task create "Teaser thread" --type content --content-type thread -p P1
    """
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


def _act(operation: str, tasks: list[str], db: str | None, actor: str | None, json_: bool,
         options: Callable[[], dict] = dict, module: str = "tasks") -> None:
    """Run a task operation on each id given; `options` parses its own arguments, under the
    same error reporting as everything else."""
    from importlib import import_module

    from idolq.cli.ids import Done, for_each_id, show_with_outcomes
    from idolq.cli.views import show_task
    from idolq.domain.documents import task_json
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

    for_each_id(tasks, json_, act)


@app.command("start")
def start(tasks: TasksArg, db: DbOpt = None, actor: ActorOpt = None,
          json_: JsonOpt = False) -> None:
    """Start a pending task (pending -> in_progress).

    Example: idolq task start CONTENT-001
    """
    _act("start_task", tasks, db, actor, json_)


@app.command("complete")
def complete(
    tasks: TasksArg,
    output: Annotated[str | None, typer.Option(metavar="PATH", help="Where the work is.")] = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Submit the work: to review if the task has a tier, else complete.

    Example: idolq task complete CONTENT-001 --output drafts/thread.md
    """
    _act("complete_task", tasks, db, actor, json_,
         lambda: {"output_file": check_text("output path", output, 4096)})


@app.command("cancel")
def cancel(
    tasks: TasksArg,
    reason: Annotated[str | None, typer.Option(help="Why.")] = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Cancel unfinished tasks; their open reviews are cancelled too.

    Example: idolq task cancel CONTENT-003 CONTENT-004 --reason "campaign dropped"
    """
    _act("cancel_task", tasks, db, actor, json_, lambda: {"reason": check_text("reason", reason)})


@app.command("depend")
def depend(
    tasks: TasksArg,
    on: Annotated[str, typer.Option("--on", metavar="TASK", help="The task it waits for.")],
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Make TASK wait for another task (refused if it would close a cycle).

    Example: idolq task depend THREAD-002 --on CHAPTER-001
    """
    _act("add_dependency", tasks, db, actor, json_, lambda: {"on_ref": parse_task_ref(on)})


@app.command("undepend")
def undepend(
    tasks: TasksArg,
    on: Annotated[str, typer.Option("--on", metavar="TASK", help="The task to stop waiting for.")],
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Stop TASK waiting for another task (for instance one that was cancelled).

    Example: idolq task undepend THREAD-002 --on CHAPTER-001
    """
    _act("remove_dependency", tasks, db, actor, json_, lambda: {"on_ref": parse_task_ref(on)})


@app.command("show")
def show(tasks: TasksArg, db: DbOpt = None, json_: JsonOpt = False) -> None:
    """Show tasks with their reviews (and notes), comments and history.

    Example: idolq task show CONTENT-001
    """
    from idolq.cli.ids import Done, for_each_id
    from idolq.cli.views import show_task_detail, task_detail_json
    from idolq.services.queries import show_task as query
    from idolq.store.connection import open_database

    with reporting(json_):
        conn = open_database(db)

    def act(ident: str) -> Done:
        detail = query(conn, parse_task_ref(ident))
        return Done(task_detail_json(detail), lambda: show_task_detail(detail, False))

    for_each_id(tasks, json_, act)


@app.command("list")
def list_(
    status: Annotated[list[str] | None, typer.Option(
        metavar="STATUS", help="Only this status (repeatable).")] = None,
    agent: AgentOpt = None,
    task_type: Annotated[str | None, typer.Option("--type", help="Only this task type.")] = None,
    limit: LimitOpt = None,
    db: DbOpt = None, json_: JsonOpt = False,
) -> None:
    """List tasks, oldest first.

    Example: idolq task list --status pending --status blocked --agent 2
    """
    from idolq.cli.views import show_tasks
    from idolq.domain.values import parse_limit, parse_task_status, parse_task_type
    from idolq.services.queries import list_tasks
    from idolq.store.connection import open_database

    with reporting(json_):
        statuses = [parse_task_status(s) for s in status or []]
        kind = parse_task_type(task_type) if task_type else None
        show_tasks(list_tasks(open_database(db), statuses, agent, kind, parse_limit(limit)), json_)


@app.command("ready")
def ready(agent: AgentOpt = None, limit: LimitOpt = None, db: DbOpt = None,
          json_: JsonOpt = False) -> None:
    """Pending tasks, most urgent first (priority, then deadline, then age).

    Example: idolq task ready --agent 2 --limit 5
    """
    from idolq.cli.views import show_tasks
    from idolq.domain.values import parse_limit
    from idolq.services.queries import ready_tasks
    from idolq.store.connection import open_database

    with reporting(json_):
        show_tasks(ready_tasks(open_database(db), agent, parse_limit(limit)), json_)


from idolq.cli import task_edit  # noqa: E402,F401  (its commands join this group)
