"""`idolq task ...`"""

from collections.abc import Callable
from typing import Annotated

import typer

from idolq.cli.errors import reporting
from idolq.cli.group import command_group
from idolq.cli.options import ActorOpt, AgentOpt, DbOpt, JsonOpt, LimitOpt, TaskArg, resolve_actor
from idolq.domain.values import check_text, parse_task_ref

app = command_group("task", "Create, work on and inspect tasks.")


@app.command("create")
def create(
    title: Annotated[str, typer.Argument(help="What needs doing.")],
    task_type: Annotated[str, typer.Option("--type", help="content, asset, lore, ...")],
    content_type: Annotated[str | None, typer.Option(help="tweet, thread, chapter, ...")] = None,
    priority: Annotated[str, typer.Option(help="0-3 or P0-P3 (P0 critical).")] = "P2",
    tier: Annotated[str | None, typer.Option(
        help="Review tier 1, 2, 3 or none [default: 2 for content, else none].")] = None,
    agent: AgentOpt = None,
    deadline: Annotated[str | None, typer.Option(help="ISO 8601 time or date.")] = None,
    description: Annotated[str | None, typer.Option(help="Details.")] = None,
    depends_on: Annotated[list[str] | None, typer.Option(
        "--depends-on", help="A task this one waits for (repeatable).")] = None,
    estimate: Annotated[float | None, typer.Option(help="Estimated hours.")] = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Create a task, routed to an agent unless --agent is given."""
    from idolq.cli.parsing import new_task
    from idolq.cli.views import show_task
    from idolq.services.tasks import create_task
    from idolq.store.connection import open_database

    with reporting(json_):
        new = new_task(title, task_type, content_type, priority, tier, agent, deadline,
                       description, depends_on or [], estimate)
        show_task(create_task(open_database(db), new, resolve_actor(actor)), json_)


def _transition(operation: str, task: str, db: str | None, actor: str | None, json_: bool,
                options: Callable[[], dict] = dict) -> None:
    """Run a task operation; `options` parses its own arguments, under the same error
    reporting as everything else."""
    from idolq.cli.views import show_task
    from idolq.services import tasks
    from idolq.store.connection import open_database

    with reporting(json_):
        ref, parsed = parse_task_ref(task), options()
        changed = getattr(tasks, operation)(open_database(db), ref, resolve_actor(actor),
                                            **parsed)
        show_task(changed, json_)


@app.command("start")
def start(task: TaskArg, db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False) -> None:
    """Start a pending task (pending -> in_progress)."""
    _transition("start_task", task, db, actor, json_)


@app.command("complete")
def complete(
    task: TaskArg,
    output: Annotated[str | None, typer.Option(metavar="PATH", help="Where the work is.")] = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Submit the work: to review if the task has a tier, else complete."""
    _transition("complete_task", task, db, actor, json_,
                lambda: {"output_file": check_text("output path", output, 4096)})


@app.command("cancel")
def cancel(
    task: TaskArg,
    reason: Annotated[str | None, typer.Option(help="Why.")] = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Cancel an unfinished task; its open reviews are cancelled too."""
    _transition("cancel_task", task, db, actor, json_,
                lambda: {"reason": check_text("reason", reason)})


@app.command("depend")
def depend(
    task: TaskArg,
    on: Annotated[str, typer.Option("--on", metavar="TASK", help="The task it waits for.")],
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Make TASK wait for another task (refused if it would close a cycle)."""
    _transition("add_dependency", task, db, actor, json_,
                lambda: {"on_ref": parse_task_ref(on)})


@app.command("undepend")
def undepend(
    task: TaskArg,
    on: Annotated[str, typer.Option("--on", metavar="TASK", help="The task to stop waiting for.")],
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Stop TASK waiting for another task (for instance one that was cancelled)."""
    _transition("remove_dependency", task, db, actor, json_,
                lambda: {"on_ref": parse_task_ref(on)})


@app.command("show")
def show(task: TaskArg, db: DbOpt = None, json_: JsonOpt = False) -> None:
    """Show a task with its reviews and history."""
    from idolq.cli.views import show_task_detail
    from idolq.services.queries import show_task as query
    from idolq.store.connection import open_database

    with reporting(json_):
        show_task_detail(query(open_database(db), parse_task_ref(task)), json_)


@app.command("list")
def list_(
    status: Annotated[list[str] | None, typer.Option(help="Only this status (repeatable).")] = None,
    agent: AgentOpt = None,
    task_type: Annotated[str | None, typer.Option("--type", help="Only this task type.")] = None,
    limit: LimitOpt = None,
    db: DbOpt = None, json_: JsonOpt = False,
) -> None:
    """List tasks, oldest first."""
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
    """Pending tasks, most urgent first (priority, then deadline, then age)."""
    from idolq.cli.views import show_tasks
    from idolq.domain.values import parse_limit
    from idolq.services.queries import ready_tasks
    from idolq.store.connection import open_database

    with reporting(json_):
        show_tasks(ready_tasks(open_database(db), agent, parse_limit(limit)), json_)
