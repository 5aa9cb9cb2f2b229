"""Options shared by every command, defined once."""

from typing import Annotated

import typer

from idolq.cli.parsing import resolve_actor  # noqa: F401 (commands import it from here)

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
