"""`idolq task ...`"""

from collections.abc import Callable
from typing import Annotated

import typer

from idolq.cli.group import command_group
from idolq.cli.options import ActorOpt, AgentOpt, DbOpt, JsonOpt, LimitOpt, TaskArg
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
    from idolq.cli.hot import task_create

    task_create(title, task_type, content_type, priority, tier, agent, deadline, description,
                depends_on, estimate, db, actor, json_)


def _transition(operation: str, task: str, db: str | None, actor: str | None, json_: bool,
                options: Callable[[], dict] = dict) -> None:
    from idolq.cli.hot import transition

    transition(operation, task, db, actor, json_, options)


@app.command("start")
def start(task: TaskArg, db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False) -> None:
    """Start a pending task (pending -> in_progress)."""
    from idolq.cli.hot import task_start

    task_start(task, db, actor, json_)


@app.command("complete")
def complete(
    task: TaskArg,
    output: Annotated[str | None, typer.Option(metavar="PATH", help="Where the work is.")] = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Submit the work: to review if the task has a tier, else complete."""
    from idolq.cli.hot import task_complete

    task_complete(task, output, db, actor, json_)


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
    from idolq.cli.hot import task_show

    task_show(task, db, json_)


@app.command("list")
def list_(
    status: Annotated[list[str] | None, typer.Option(help="Only this status (repeatable).")] = None,
    agent: AgentOpt = None,
    task_type: Annotated[str | None, typer.Option("--type", help="Only this task type.")] = None,
    limit: LimitOpt = None,
    db: DbOpt = None, json_: JsonOpt = False,
) -> None:
    """List tasks, oldest first."""
    from idolq.cli.hot import task_list

    task_list(status, agent, task_type, limit, db, json_)


@app.command("ready")
def ready(agent: AgentOpt = None, limit: LimitOpt = None, db: DbOpt = None,
          json_: JsonOpt = False) -> None:
    """Pending tasks, most urgent first (priority, then deadline, then age)."""
    from idolq.cli.hot import task_ready

    task_ready(agent, limit, db, json_)


def _register_more() -> None:
    from idolq.cli.claims import register_claims

    register_claims(app)


_register_more()
