"""`idolq task ...`"""

from collections.abc import Callable
from typing import Annotated

import typer

from idolq.cli.group import command_group
from idolq.cli.options import ActorOpt, AgentOpt, DbOpt, JsonOpt, LimitOpt, TasksArg
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
    from idolq.cli.hot import task_create

    task_create(title, task_type, content_type, priority, tier, agent, deadline, description,
                depends_on, estimate, db, actor, json_)


def _act(operation: str, tasks: list[str], db: str | None, actor: str | None, json_: bool,
         options: Callable[[], dict] = dict, module: str = "tasks") -> None:
    from idolq.cli.hot import act_on_tasks

    act_on_tasks(operation, tasks, db, actor, json_, options, module)


@app.command("start")
def start(tasks: TasksArg, db: DbOpt = None, actor: ActorOpt = None,
          json_: JsonOpt = False) -> None:
    """Start a pending task (pending -> in_progress).

    Example: idolq task start CONTENT-001
    """
    from idolq.cli.hot import task_start

    task_start(tasks, db, actor, json_)


@app.command("complete")
def complete(
    tasks: TasksArg,
    output: Annotated[str | None, typer.Option(metavar="PATH", help="Where the work is.")] = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Submit the work: to review if the task has a tier, else complete.

    Example: idolq task complete CONTENT-001 --output drafts/thread.md
    """
    from idolq.cli.hot import task_complete

    task_complete(tasks, output, db, actor, json_)


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
    from idolq.cli.hot import task_show

    task_show(tasks, db, json_)


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
    from idolq.cli.hot import task_list

    task_list(status, agent, task_type, limit, db, json_)


@app.command("ready")
def ready(agent: AgentOpt = None, limit: LimitOpt = None, db: DbOpt = None,
          json_: JsonOpt = False) -> None:
    """Pending tasks, most urgent first (priority, then deadline, then age).

    Example: idolq task ready --agent 2 --limit 5
    """
    from idolq.cli.hot import task_ready

    task_ready(agent, limit, db, json_)


def _register_more() -> None:
    from idolq.cli.claims import register_claims

    register_claims(app)


_register_more()


from idolq.cli import task_edit  # noqa: E402,F401  (its commands join this group)
