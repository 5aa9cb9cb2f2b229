"""`idolq events ...`"""

from typing import Annotated

import typer

from idolq.cli.group import command_group
from idolq.cli.options import DbOpt, JsonOpt

app = command_group("events", "The event log.")


@app.command("tail")
def tail(
    count: Annotated[int | None, typer.Option(
        "-n", "--lines", help="How many recent events [default: 20; with --after, all].")]
    = None,
    everything: Annotated[bool, typer.Option("--all", help="Every event from the first.")]
    = False,
    event_type: Annotated[str | None, typer.Option(
        "--type", help="Only this type, or a family such as task.*")] = None,
    since: Annotated[str | None, typer.Option(
        metavar="TIME", help="Only events at or after this time (e.g. 2026-01-09, 2h, yesterday).")]
    = None,
    follow: Annotated[bool, typer.Option("--follow", "-f", help="Keep printing new events.")]
    = False,
    after: Annotated[int | None, typer.Option(
        "--after", metavar="ID", help="Events after this id, oldest first (a cursor kept "
        "between sessions); -n then caps how many.")] = None,
    db: DbOpt = None, json_: JsonOpt = False,
) -> None:
    """Print the last events, oldest first (one JSON object per line with --json).

    Example: idolq events tail -n 50 --type "task.*" --follow
    """
    from idolq.cli.hot_reviews import events_tail

    events_tail(count, event_type, since, follow, db, json_, after, everything)
