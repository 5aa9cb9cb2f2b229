"""`idolq task claim|heartbeat|release`: taking work with a lease."""

from typing import Annotated

import typer

from idolq.cli.errors import reporting
from idolq.cli.options import ActorOpt, AgentOpt, DbOpt, JsonOpt, TaskArg, resolve_actor

NOTHING_TO_DO_EXIT = 4

LeaseOpt = Annotated[str | None, typer.Option(
    "--lease", metavar="DURATION",
    help="How long the claim holds without a heartbeat, e.g. 90m [default: the database's "
         "lease, 2h unless `idolq config set lease` changed it].")]


def _minutes(lease: str | None) -> float | None:
    from idolq.domain.sla import parse_duration_minutes

    return parse_duration_minutes(lease) if lease is not None else None


def register_claims(app: typer.Typer) -> None:
    app.command("claim")(claim)
    app.command("heartbeat")(heartbeat)
    app.command("release")(release)


def claim(agent: AgentOpt = None, lease: LeaseOpt = None, db: DbOpt = None,
          actor: ActorOpt = None, json_: JsonOpt = False) -> None:
    """Take and start the agent's most urgent ready task, with a lease (exit 4: none).

    --agent defaults to the actor's own number (agent:N); a person must give it.
    """
    from idolq.cli import output
    from idolq.cli.views import show_task
    from idolq.services.claims import claim_task
    from idolq.store.connection import open_database

    with reporting(json_):
        claimed = claim_task(open_database(db), resolve_actor(actor), agent, _minutes(lease))
    if claimed is None:
        output.emit(None, json_, lambda _: output.print_line("Nothing to claim."))
        raise typer.Exit(NOTHING_TO_DO_EXIT)
    show_task(claimed, json_)


def heartbeat(task: TaskArg, lease: LeaseOpt = None, db: DbOpt = None, actor: ActorOpt = None,
              json_: JsonOpt = False) -> None:
    """Extend a claimed task's lease (from now)."""
    from idolq.cli.views import show_task
    from idolq.domain.values import parse_task_ref
    from idolq.services.claims import heartbeat_task
    from idolq.store.connection import open_database

    with reporting(json_):
        ref, minutes = parse_task_ref(task), _minutes(lease)
        show_task(heartbeat_task(open_database(db), ref, resolve_actor(actor), minutes), json_)


def release(task: TaskArg, db: DbOpt = None, actor: ActorOpt = None,
            json_: JsonOpt = False) -> None:
    """Give an in-progress task back (pending), e.g. when you cannot finish it."""
    from idolq.cli.views import show_task
    from idolq.domain.values import parse_task_ref
    from idolq.services.claims import release_task
    from idolq.store.connection import open_database

    with reporting(json_):
        show_task(release_task(open_database(db), parse_task_ref(task), resolve_actor(actor)),
                  json_)
