"""`idolq task edit|assign|comment|defer|resume`: changing what was said about a task."""

from typing import Annotated

import typer

from idolq.cli.errors import reporting
from idolq.cli.options import ActorOpt, DbOpt, JsonOpt, TaskArg, TasksArg, resolve_actor
from idolq.cli.task import _act, app


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
    from idolq.cli.parsing import edits

    _act("edit_task", tasks, db, actor, json_, lambda: edits(
        title, description, priority, deadline, content_type, estimate, warn=not json_),
        module="task_edits")


@app.command("assign")
def assign(
    tasks: TasksArg,
    agent: Annotated[int, typer.Option("--agent", help="The agent's number.")],
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Give unfinished tasks to another agent (work in progress goes back to pending).

    Example: idolq task assign CONTENT-001 --agent 3
    """
    _act("assign_task", tasks, db, actor, json_, lambda: {"agent": agent}, module="task_edits")


@app.command("comment")
def comment(
    task: TaskArg,
    text: Annotated[str, typer.Argument(help="The comment.")],
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Add a comment to a task (shown by task show).

    Example: idolq task comment CONTENT-001 "Use the new key art"
    """
    from idolq.cli.views import show_comment
    from idolq.domain.values import check_text, parse_task_ref
    from idolq.services.task_edits import comment_task
    from idolq.store.connection import open_database

    with reporting(json_):
        note = check_text("comment", text)
        result = comment_task(open_database(db), parse_task_ref(task), resolve_actor(actor),
                              note)
        show_comment(result, json_)


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
    from idolq.cli.parsing import parse_future_time

    _act("defer_task", tasks, db, actor, json_, lambda: {"until": parse_future_time(until)},
         module="task_edits")


@app.command("resume")
def resume(tasks: TasksArg, db: DbOpt = None, actor: ActorOpt = None,
           json_: JsonOpt = False) -> None:
    """Bring deferred tasks back (blocked if a dependency is unresolved, else pending).

    Example: idolq task resume CONTENT-004
    """
    _act("resume_task", tasks, db, actor, json_, module="task_edits")
