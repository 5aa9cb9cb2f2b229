"""`idolq task claim|heartbeat|release`: taking work with a lease (bodies in cli/hot.py)."""

from typing import Annotated

import typer

from idolq.cli.options import ActorOpt, AgentOpt, DbOpt, JsonOpt, TaskArg

LeaseOpt = Annotated[str | None, typer.Option(
    "--lease", metavar="DURATION",
    help="How long the claim holds without a heartbeat, e.g. 90m [default: the database's "
         "lease, 2h unless `idolq config set lease` changed it].")]


def register_claims(app: typer.Typer) -> None:
    app.command("claim")(claim)
    app.command("heartbeat")(heartbeat)
    app.command("release")(release)


def claim(agent: AgentOpt = None, lease: LeaseOpt = None, db: DbOpt = None,
          actor: ActorOpt = None, json_: JsonOpt = False) -> None:
    """Take and start the agent's most urgent ready task, with a lease (exit 4: none).

    --agent defaults to the actor's own number (agent:N); a person must give it.

    Example: idolq task claim --agent 2 --lease 1h
    """
    from idolq.cli.hot import task_claim

    task_claim(agent, lease, db, actor, json_)


def heartbeat(task: TaskArg, lease: LeaseOpt = None, db: DbOpt = None, actor: ActorOpt = None,
              json_: JsonOpt = False) -> None:
    """Extend a claimed task's lease (from now).

    Example: idolq task heartbeat CONTENT-001 --lease 2h
    """
    from idolq.cli.hot import task_heartbeat

    task_heartbeat(task, lease, db, actor, json_)


def release(task: TaskArg, db: DbOpt = None, actor: ActorOpt = None,
            json_: JsonOpt = False) -> None:
    """Give an in-progress task back (pending), e.g. when you cannot finish it.

    Example: idolq task release CONTENT-001
    """
    from idolq.cli.hot import task_release

    task_release(task, db, actor, json_)
