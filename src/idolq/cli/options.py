"""Options shared by every command, defined once."""

import os
from typing import Annotated

import typer

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")]
DbOpt = Annotated[
    str | None,
    typer.Option("--db", envvar="IDOLQ_DB", show_envvar=True, metavar="PATH",
                 help="Database file (default: the nearest .idolq/idolq.db)."),
]
ActorOpt = Annotated[
    str | None,
    typer.Option("--actor", envvar="IDOLQ_ACTOR", show_envvar=True,
                 help="Who is acting, e.g. agent:02 (default: human:$USER)."),
]
TaskArg = Annotated[
    str, typer.Argument(metavar="TASK", help="Task number (7) or code (CONTENT-007).")
]
TasksArg = Annotated[list[str], typer.Argument(
    metavar="TASK...", help="Task numbers (7) or codes (CONTENT-007); - reads them from stdin.")]
ReviewArg = Annotated[str, typer.Argument(metavar="REVIEW", help="Review number.")]
ReviewsArg = Annotated[list[str], typer.Argument(
    metavar="REVIEW...", help="Review numbers; - reads them from stdin.")]
AgentOpt = Annotated[int | None, typer.Option("--agent", help="Agent number.")]
LimitOpt = Annotated[int | None, typer.Option("--limit", help="At most this many rows.")]


def resolve_actor(actor: str | None) -> str:
    """`--actor`/IDOLQ_ACTOR, else human:$USER; an unusable name is refused (InvalidValue)."""
    from idolq.domain.values import check_actor

    if actor and actor.strip():
        return check_actor(actor)
    return check_actor(f"human:{os.environ.get('USER') or 'unknown'}")
