"""`idolq task edit|assign|comment|defer|resume`: changing what was said about a task."""

from typing import Annotated

import typer

from idolq.cli.options import ActorOpt, DbOpt, JsonOpt, TaskArg, TasksArg
from idolq.cli.task import app


@app.command("edit")
def edit(
    tasks: TasksArg,
    title: Annotated[str | None, typer.Option(help="A new title.")] = None,
    description: Annotated[str | None, typer.Option(help="A new description.")] = None,
    priority: Annotated[str | None, typer.Option("--priority", "-p", help="0-3 or P0-P3.")]
    = None,
    deadline: Annotated[str | None, typer.Option(
        metavar="TIME|none", help="A new deadline (e.g. 2026-03-01, friday, in 2d), or none.")]
    = None,
    content_type: Annotated[str | None, typer.Option(help="A known content type.")] = None,
    estimate: Annotated[float | None, typer.Option(help="Estimated hours.")] = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Change what a task says; each change is recorded as task.updated (old -> new).

    Example: idolq task edit CONTENT-001 --title "Teaser thread, v2" -p P1 --deadline none
    """
    from idolq.cli.hot import task_edit

    task_edit(tasks, title, description, priority, deadline, content_type, estimate, db, actor,
              json_)


@app.command("assign")
def assign(
    tasks: TasksArg,
    agent: Annotated[int, typer.Option("--agent", help="The agent's number.")],
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Give unfinished tasks to another agent (work in progress goes back to pending).

    Example: idolq task assign CONTENT-001 --agent 3
    """
    from idolq.cli.hot import task_assign

    task_assign(tasks, agent, db, actor, json_)


@app.command("comment")
def comment(
    task: TaskArg,
    text: Annotated[str, typer.Argument(help="The comment.")],
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Add a comment to a task (shown by task show).

    Example: idolq task comment CONTENT-001 "Use the new key art"
    """
    from idolq.cli.hot import task_comment

    task_comment(task, text, db, actor, json_)


@app.command("defer")
def defer(
    tasks: TasksArg,
    until: Annotated[str | None, typer.Option(
        metavar="TIME", help="Resume by itself then (at the next sla check or daemon cycle).")]
    = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Put pending or blocked tasks aside: not ready, no SLA clock, until resumed.

    Example: idolq task defer CONTENT-004 --until "next monday"
    """
    from idolq.cli.hot import task_defer

    task_defer(tasks, until, db, actor, json_)


@app.command("resume")
def resume(tasks: TasksArg, db: DbOpt = None, actor: ActorOpt = None,
           json_: JsonOpt = False) -> None:
    """Bring deferred tasks back (blocked if a dependency is unresolved, else pending).

    Example: idolq task resume CONTENT-004
    """
    from idolq.cli.hot import task_resume

    task_resume(tasks, db, actor, json_)
