"""Commands that stand at the root: `idolq init`, `status`, `demo`, `daemon`, `version`."""

from typing import Annotated

import typer

from idolq.cli.errors import reporting
from idolq.cli.options import ActorOpt, AgentOpt, DbOpt, JsonOpt, resolve_actor

commands = typer.Typer()


@commands.command("init")
def init(db: DbOpt = None, json_: JsonOpt = False) -> None:
    """Create the database (./.idolq/idolq.db unless --db or IDOLQ_DB says otherwise)."""
    from idolq.cli.views import show_init
    from idolq.services.setup import init_database

    with reporting(json_):
        show_init(init_database(db), json_)


@commands.command("doctor")
def doctor(db: DbOpt = None, json_: JsonOpt = False) -> None:
    """Check the database: integrity, schema version, journal mode, what idolq relies on."""
    from idolq.cli.views import show_diagnosis
    from idolq.services.doctor import diagnose

    with reporting(json_):
        diagnosis = diagnose(db)
        show_diagnosis(diagnosis, json_)
    if diagnosis.problems:
        raise typer.Exit(1)


@commands.command("status")
def status(db: DbOpt = None, json_: JsonOpt = False) -> None:
    """Counts of tasks and reviews by status, and each agent's workload."""
    from idolq.cli.hot import status as run

    run(db, json_)


@commands.command("demo")
def demo(
    db: Annotated[str | None, typer.Option("--db", metavar="PATH",
                                           help="Keep the demo database here.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Walk a tier-1 task through the whole workflow on a throwaway database."""
    import tempfile

    from idolq.cli.views import show_demo
    from idolq.services.demo import walk_through
    from idolq.services.setup import init_database
    from idolq.store.connection import open_database

    with reporting(json_), tempfile.TemporaryDirectory(prefix="idolq-demo-") as scratch:
        path = init_database(db or f"{scratch}/demo.db").db
        steps = list(walk_through(open_database(path)))
        show_demo(path if db else None, steps, json_)


@commands.command("daemon")
def daemon(
    interval: Annotated[str, typer.Option(help="Time between cycles, e.g. 15m.")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="Run one cycle and exit.")] = False,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Check SLAs and deliver notifications every interval, until SIGINT or SIGTERM."""
    import signal
    import threading

    from idolq.cli.views import show_cycle
    from idolq.domain.sla import parse_duration_minutes
    from idolq.services.daemon import run_daemon

    with reporting(json_):
        seconds = parse_duration_minutes(interval) * 60
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
    """Print idolq's version."""
    from idolq import __version__
    from idolq.cli.views import show_version

    show_version(__version__, json_)


@commands.command("schema")
def schema(
    name: Annotated[str | None, typer.Argument(
        help="A document's name, e.g. task or sla-report [default: all of them].")] = None,
    json_: JsonOpt = False,
) -> None:
    """Print the JSON Schema of the documents idolq prints with --json."""
    from idolq.cli import output
    from idolq.contract import json_schema

    with reporting(json_):  # JSON Schema is JSON with or without --json
        output.print_json(json_schema(name))
