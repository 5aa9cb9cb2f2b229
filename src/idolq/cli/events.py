"""`idolq events ...`"""

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from idolq.cli.errors import reporting
from idolq.cli.group import command_group
from idolq.cli.options import DbOpt, JsonOpt

app = command_group("events", "The event log.")

POLL_SECONDS = 0.25


@app.command("tail")
def tail(
    count: Annotated[int, typer.Option(
        "-n", "--lines", help="How many recent events (0: none, e.g. to --follow new ones).")]
    = 20,
    everything: Annotated[bool, typer.Option("--all", help="Every event from the first.")]
    = False,
    event_type: Annotated[str | None, typer.Option(
        "--type", help="Only this type, or a family such as task.*")] = None,
    since: Annotated[str | None, typer.Option(
        metavar="TIME", help="Only events at or after this time (e.g. 2026-01-09, 2h, yesterday).")]
    = None,
    follow: Annotated[bool, typer.Option("--follow", "-f", help="Keep printing new events.")]
    = False,
    db: DbOpt = None, json_: JsonOpt = False,
) -> None:
    """Print the last events, oldest first (one JSON object per line with --json).

    Example: idolq events tail -n 50 --type "task.*" --follow
    """
    from idolq.cli import output
    from idolq.cli.parsing import parse_event_type, parse_optional_time
    from idolq.cli.views import EVENT_HEADER, show_event
    from idolq.domain.errors import InvalidValue
    from idolq.services.queries import last_events, latest_event_id
    from idolq.store.connection import open_database

    with reporting(json_):
        wanted = parse_event_type(event_type)
        since_time = parse_optional_time(since)
        if count < 0:
            raise InvalidValue(f"invalid count {count}: it must be 0 or more (or use --all)")
        conn = open_database(db)
        recent = last_events(conn, -1 if everything else count, wanted, since_time)
        last_id = recent[-1].id if recent else latest_event_id(conn)
        if not json_ and not output.use_rich() and (recent or follow):
            output.print_line(EVENT_HEADER)
        elif not json_ and not recent and not follow:
            output.print_line("No events.")
        for event in recent:
            show_event(event, json_)
        if follow:
            with stop_on_signals():
                _follow(conn, last_id, wanted, since_time, json_)


def _follow(conn, last_id: int, wanted: str | None, since_time: str | None,
            json_: bool) -> None:
    """Print new events as other processes log them, until interrupted."""
    from idolq.cli.views import show_event
    from idolq.services.queries import events_after

    while True:
        time.sleep(POLL_SECONDS)
        for event in events_after(conn, last_id, wanted):
            if since_time is None or event.timestamp >= since_time:
                show_event(event, json_)
            last_id = event.id


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGINT or SIGTERM end the loop inside cleanly, with exit status 0."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)

