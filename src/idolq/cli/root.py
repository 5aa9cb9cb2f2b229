"""Commands that stand at the root: `idolq init`, `doctor`, `status`, `demo`, `prime`,
`version`, `schema`, `completion`, `metrics`, `report` (the long-lived ones: cli/lanes.py)."""

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
