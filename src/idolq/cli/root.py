"""Commands that stand at the root: `idolq init`, `status`, `demo`, `serve`, `daemon`,
`version`."""

import sys
from typing import Annotated

import typer

from idolq.cli.errors import reporting
from idolq.cli.options import ActorOpt, AgentOpt, DbOpt, JsonOpt, resolve_actor

commands = typer.Typer()


@commands.command("init")
def init(db: DbOpt = None, json_: JsonOpt = False) -> None:
    """Create the database (./.idolq/idolq.db unless --db or IDOLQ_DB says otherwise).

    Example: idolq init
    """
    from idolq.cli.output import print_warning
    from idolq.cli.views import show_init
    from idolq.services.setup import init_database
    from idolq.store.connection import shadowed_database

    with reporting(json_):
        shadowed = None if db else shadowed_database()
        if shadowed and not json_:
            print_warning(f"{shadowed} already exists above this folder; the new database will "
                       "shadow it for commands run here and below")
        show_init(init_database(db), json_)


@commands.command("doctor")
def doctor(db: DbOpt = None, json_: JsonOpt = False) -> None:
    """Check the database: integrity, schema version, journal mode, what idolq relies on;
    on PostgreSQL, the server's health (connections, lock waits).

    Example: idolq doctor --json
    """
    from idolq.cli.views import show_diagnosis
    from idolq.services.doctor import diagnose

    with reporting(json_):
        diagnosis = diagnose(db)
        show_diagnosis(diagnosis, json_)
    if diagnosis.problems:
        raise typer.Exit(1)


@commands.command("status")
def status(db: DbOpt = None, json_: JsonOpt = False) -> None:
    """Counts of tasks and reviews by status, and each agent's workload.

    Example: idolq status
    """
    from idolq.cli.hot_reviews import status as run

    run(db, json_)


@commands.command("demo")
def demo(
    db: Annotated[str | None, typer.Option("--db", metavar="PATH",
                                           help="Keep the demo database here.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Walk a tier-1 task through the whole workflow on a throwaway database.

    Example: idolq demo
    """
    import tempfile

    from idolq.cli.views import show_demo
    from idolq.services.demo import refuse_database_with_work, walk_through
    from idolq.services.setup import init_database
    from idolq.store.connection import open_database

    with reporting(json_), tempfile.TemporaryDirectory(prefix="idolq-demo-") as scratch:
        if db:
            refuse_database_with_work(db)
        path = init_database(db or f"{scratch}/demo.db").db
        steps = list(walk_through(open_database(db or path)))
        show_demo(path if db else None, steps, json_)


@commands.command("serve")
def serve(
    socket_path: Annotated[str, typer.Argument(metavar="SOCKET",
                                               help="Path of the Unix socket to listen at.")],
    json_: JsonOpt = False,
) -> None:
    """Keep a warm idolq for agents: hot commands sent by IDOLQ_SERVER=SOCKET run here.

    With IDOLQ_SERVER naming this socket, `idolq task create|start|complete|claim|show|...`,
    `review list|approve|reject`, `status` and `events tail` (without --follow), written in
    their simple forms and printing to a pipe, run in this process instead of starting
    Python and idolq again: the same commands, output and exit statuses, each in its own
    transaction, with the caller's options, environment and directory. Anything else, or
    no server at that socket, runs in the caller's process as usual.

    Runs until SIGINT or SIGTERM. Only processes of the same user are answered.

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


@commands.command("prime")
def prime(
    agent: AgentOpt = None,
    limit: Annotated[int, typer.Option(help="At most this many items per list.")] = 10,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """An agent's briefing: its work, ready queue, reviews, work sent back, warnings.

    Markdown for an agent's context (bounded: long lists end with "and N more"), JSON with
    --json. --agent defaults to the actor's own number (agent:N).

    Example: idolq prime --agent 2
    """
    from idolq.cli.briefing import show_briefing
    from idolq.domain.values import parse_limit
    from idolq.services.prime import briefing_agent
    from idolq.services.prime import prime as query
    from idolq.store.connection import open_database

    with reporting(json_):
        number = briefing_agent(resolve_actor(actor), agent)
        show_briefing(query(open_database(db), number, parse_limit(limit)), json_)


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


@commands.command("version")
def version(json_: JsonOpt = False) -> None:
    """Print idolq's version.

    Example: idolq version --json
    """
    from idolq import __version__
    from idolq.cli.views import show_version

    show_version(__version__, json_)


@commands.command("schema")
def schema(
    name: Annotated[str | None, typer.Argument(
        help="task, task-detail, review, review-detail, comment, route, agent, event, status, "
             "sla-report, init, doctor or error (default: all)")] = None,
    json_: JsonOpt = False,
) -> None:
    """Print the JSON Schema of the documents idolq prints with --json.

    Example: idolq schema task
    """
    from idolq.cli import output
    from idolq.contract import json_schema

    with reporting(json_):  # JSON Schema is JSON with or without --json
        output.print_json(json_schema(name))


@commands.command("completion")
def completion(
    shell: Annotated[str, typer.Argument(metavar="SHELL", help="bash, zsh or fish.")],
) -> None:
    """Print the shell completion script (the same as the repository's completions/ files).

    Example: idolq completion bash > ~/.local/share/bash-completion/completions/idolq
    """
    from idolq.cli.completion import script

    with reporting(False):
        sys.stdout.write(script(shell.strip().lower()))


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


@commands.command("metrics")
def metrics(
    since: Annotated[str | None, typer.Option(help="From this time [default: 30 days ago].")]
    = None,
    until: Annotated[str | None, typer.Option(help="Until this time [default: now].")] = None,
    db: DbOpt = None, json_: JsonOpt = False,
) -> None:
    """Content velocity, review time, manual intervention and agent utilisation, from the
    event log, beside their V1 baselines and V2 targets (see docs/metrics.md).

    Example: idolq metrics --since 2026-01-01 --until 2026-02-01
    """
    from idolq.cli.metrics_views import show_metrics
    from idolq.cli.parsing import parse_optional_moment
    from idolq.services.calendar import display_zone
    from idolq.services.metrics import measure
    from idolq.store.connection import open_database

    with reporting(json_):
        start, end = parse_optional_moment(since), parse_optional_moment(until)
        conn = open_database(db)
        show_metrics(measure(conn, display_zone(conn), start, end), json_)


@commands.command("report")
def report(
    html: Annotated[str, typer.Option("--html", metavar="FILE", help="Write the page here.")],
    since: Annotated[str | None, typer.Option(
        help="Metrics from this time [default: 30 days ago].")] = None,
    db: DbOpt = None, json_: JsonOpt = False,
) -> None:
    """Write one self-contained HTML page: metrics as charts, the coming weeks' calendar,
    open SLA breaches and each agent's load.

    Example: idolq report --html site/index.html --since 2026-01-01
    """
    from idolq.cli.calendar_views import write_export
    from idolq.cli.parsing import parse_optional_moment
    from idolq.cli.report_page import render_page
    from idolq.services.report import gather
    from idolq.store.connection import open_database

    with reporting(json_):
        start = parse_optional_moment(since)
        write_export(render_page(gather(open_database(db), start)), html, json_)
