"""Root commands that stay up or run many commands in one process: `idolq serve`, `daemon`,
`mcp`, `batch` and `shell` (the others: cli/root.py)."""

import sys
from typing import Annotated

import typer

from idolq.cli.errors import reporting
from idolq.cli.options import ActorOpt, DbOpt, JsonOpt, resolve_actor

commands = typer.Typer()


@commands.command("serve")
def serve(
    socket_path: Annotated[str, typer.Argument(metavar="SOCKET",
                                               help="Path of the Unix socket to listen at.")],
    json_: JsonOpt = False,
) -> None:
    """Keep a warm idolq for agents: their hot commands run here, not in new processes.

    With IDOLQ_SERVER=SOCKET set, task, review, status and events commands
    in their simple forms, printing to a pipe, are run by this server:
    same output and exit status, the caller's options, environment and
    folder, one transaction each. Anything else, or no server there: the
    command runs in its own process as usual.

    Runs until SIGINT or SIGTERM. Answers only its own user.

    Example: idolq serve .idolq/idolq.sock & export IDOLQ_SERVER=.idolq/idolq.sock
    """
    import os
    import signal
    import threading

    from idolq.cli import serve as server

    with reporting(json_):
        socket_path = os.path.abspath(socket_path)  # the server works from `/`
        listening = server.listen(socket_path)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    server.report_ready(socket_path, json_)
    server.serve(listening, socket_path, stop.is_set)


@commands.command("daemon")
def daemon(
    interval: Annotated[str, typer.Option(help="Time between cycles, e.g. 15m.")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="Run one cycle and exit.")] = False,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Check SLAs, resume deferred tasks and deliver notifications on an interval.

    Runs until SIGINT or SIGTERM; logs a line per cycle on stderr (--json: on stdout).

    Without a database it refuses to start (exit 1).

    Example: idolq daemon --interval 5m
    """
    import signal
    import threading

    from idolq.cli.views import show_cycle
    from idolq.domain.sla import parse_duration_minutes
    from idolq.services.daemon import run_daemon
    from idolq.store.connection import locate

    with reporting(json_):
        seconds = parse_duration_minutes(interval) * 60
        locate(db)  # no database: refuse to start rather than fail every cycle
        who = resolve_actor(actor) if actor else "idolq:daemon"
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())

    ok = run_daemon(db, who, seconds, once, lambda cycle: show_cycle(cycle, json_), stop)
    if not ok and once:
        raise typer.Exit(1)


@commands.command("mcp")
def mcp(db: DbOpt = None, actor: ActorOpt = None) -> None:
    """Serve the Model Context Protocol on stdio (needs the mcp extra: idolq[mcp]).

    The tools act as --actor / IDOLQ_ACTOR; see docs/mcp.md to register the server.

    Example: idolq mcp --actor agent:02
    """
    from idolq.domain.errors import IdolqError

    with reporting(False):
        try:
            from idolq.mcp_server import serve
        except ImportError as error:
            raise IdolqError(f"the MCP server needs the mcp package ({error}): "
                             "pip install 'idolq[mcp]'") from None
        serve(db, resolve_actor(actor))


@commands.command("batch")
def batch(
    file: Annotated[str, typer.Argument(metavar="FILE|-", help="Commands, one per line.")]
    = "-",
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Run commands (one per line, as typed after idolq) in one transaction: all or nothing.

    On the first failing line nothing is kept; the error names the line.

    The exit status is then that command's.

    Example: idolq batch release.idolq --json   (or: ... | idolq batch -)
    """
    import os

    from idolq.cli import output
    from idolq.cli.batch import parse_lines, run_batch

    with reporting(json_):
        lines = parse_lines(_read_lines(file))
        saved = os.environ.get("IDOLQ_ACTOR")
        if actor:
            os.environ["IDOLQ_ACTOR"] = actor  # for every line that names no other
        try:
            results = run_batch(lines, db, json_)
        finally:
            if actor and saved is None:
                del os.environ["IDOLQ_ACTOR"]
            elif actor:
                os.environ["IDOLQ_ACTOR"] = saved
    if json_:
        output.print_json({"ok": True, "results": results})
        return
    for text in results:
        sys.stdout.write(text)
    output.print_line(f"Batch: {len(results)} command(s), all applied.")


def _read_lines(file: str) -> list[str]:
    from idolq.domain.errors import InvalidValue

    if file == "-":
        return sys.stdin.read().splitlines()
    try:
        with open(file, encoding="utf-8") as handle:
            return handle.read().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidValue(f"cannot read {file}: {getattr(error, 'strerror', error)}") from None


@commands.command("shell")
def shell(db: DbOpt = None, actor: ActorOpt = None) -> None:
    """An interactive prompt running idolq commands, with completion and history.

    Example: idolq shell --actor agent:02
    """
    from idolq.cli.shell import run_shell
    from idolq.store.connection import locate

    with reporting(False):
        locate(db)  # say now, not at every command, that there is no database
    raise typer.Exit(run_shell(db, actor))
