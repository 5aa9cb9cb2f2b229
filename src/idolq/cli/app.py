"""The root command: `idolq`."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer._click.exceptions import ClickException
from typer.core import TyperGroup
from typer.exceptions import Abort

from idolq.cli import agent, events, review, task
from idolq.cli.errors import INTERRUPTED_EXIT, report, reporting
from idolq.cli.options import DbOpt, JsonOpt


class IdolqGroup(TyperGroup):
    """Reports bad usage as one line (JSON with --json) and exits 2, like every other error."""

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        try:
            result = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except ClickException as error:
            report("usage", _usage_message(error), "--json" in argv)
            result = error.exit_code
        except Abort:
            result = INTERRUPTED_EXIT
        except BrokenPipeError:  # e.g. `idolq events tail | head -1`
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            result = 1
        except Exception as error:  # a bug: still one line, never a traceback
            if os.environ.get("IDOLQ_DEBUG"):
                raise
            report("internal", f"internal error ({type(error).__name__}: {error}); "
                   "rerun with IDOLQ_DEBUG=1 for details and report it", "--json" in argv)
            result = 1
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)


def _usage_message(error: ClickException) -> str:
    message = error.format_message()
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        return f"{message} (see `{ctx.command_path} --help`)"
    return message


app = typer.Typer(
    cls=IdolqGroup,
    help="idolq: a task queue for teams of agents that hand work to each other.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(task.app, name="task")
app.add_typer(review.app, name="review")
app.add_typer(events.app, name="events")
app.add_typer(agent.app, name="agent")


@app.command("init")
def init(db: DbOpt = None, json_: JsonOpt = False) -> None:
    """Create the database (./.idolq/idolq.db unless --db or IDOLQ_DB says otherwise)."""
    from idolq.cli.views import show_init
    from idolq.services.setup import init_database

    with reporting(json_):
        show_init(init_database(db), json_)


@app.command("status")
def status(db: DbOpt = None, json_: JsonOpt = False) -> None:
    """Counts of tasks and reviews by status, and each agent's workload."""
    from idolq.cli.views import show_status
    from idolq.services.queries import status as query
    from idolq.store.connection import open_database

    with reporting(json_):
        show_status(query(open_database(db)), json_)


@app.command("demo")
def demo(
    db: Annotated[str | None, typer.Option("--db", metavar="PATH",
                                           help="Keep the demo database here.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Walk a tier-1 task through the whole workflow on a throwaway database."""
    import tempfile

    from idolq.cli import output
    from idolq.cli.views import show_demo_step
    from idolq.services.demo import walk_through
    from idolq.services.setup import init_database
    from idolq.store.connection import open_database

    with reporting(json_), tempfile.TemporaryDirectory(prefix="idolq-demo-") as scratch:
        path = init_database(db or f"{scratch}/demo.db").db
        steps = []
        for number, step in enumerate(walk_through(open_database(path)), 1):
            show_demo_step(number, step, json_)
            steps.append({"actor": step.actor, "action": step.action, "outcome": step.outcome})
        if json_:
            output.print_json({"db": path if db else None, "steps": steps})
        elif db:
            output.print_line(f"\nThe demo database is kept at {path}")


@app.command("version")
def version(json_: JsonOpt = False) -> None:
    """Print idolq's version."""
    from idolq import __version__
    from idolq.cli import output

    if json_:
        output.print_json({"version": __version__})
    else:
        output.print_line(f"idolq {__version__}")


def main() -> None:
    app()
