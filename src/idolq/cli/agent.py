"""`idolq agent ...`"""

from typing import Annotated

import typer

from idolq.cli.errors import reporting
from idolq.cli.group import command_group
from idolq.cli.options import ActorOpt, DbOpt, JsonOpt, resolve_actor

app = command_group("agent", "The team's agents.")


@app.command("list")
def list_(db: DbOpt = None, json_: JsonOpt = False) -> None:
    """List agents with their current workload.

    Example: idolq agent list
    """
    from idolq.cli.views import show_agents
    from idolq.services.queries import list_agents
    from idolq.store.connection import open_database

    with reporting(json_):
        show_agents(list_agents(open_database(db)), json_)


NumberArg = Annotated[int, typer.Argument(metavar="NUMBER", help="The agent's number.")]
RoleOpt = Annotated[str | None, typer.Option(help="What the agent does.")]
MaxOpt = Annotated[int | None, typer.Option(
    "--max", help="Most tasks in progress at once (max_concurrent_tasks).")]


@app.command("add")
def add(number: NumberArg, name: Annotated[str, typer.Argument(help="The agent's name.")],
        role: RoleOpt = None, max_tasks: MaxOpt = None, db: DbOpt = None,
        actor: ActorOpt = None, json_: JsonOpt = False) -> None:
    """Add an agent to the team (people only).

    Example: idolq agent add 10 "Legal Eagle" --role "Checks claims" --max 2
    """
    from idolq.cli.views import show_agent
    from idolq.domain.policy import DEFAULT_MAX_CONCURRENT_TASKS
    from idolq.services.team import add_agent
    from idolq.store.connection import open_database

    with reporting(json_):
        limit = DEFAULT_MAX_CONCURRENT_TASKS if max_tasks is None else max_tasks
        show_agent(add_agent(open_database(db), number, name, resolve_actor(actor), role or "",
                             limit), json_)


@app.command("edit")
def edit(number: NumberArg,
         name: Annotated[str | None, typer.Option(help="A new name.")] = None,
         role: RoleOpt = None, max_tasks: MaxOpt = None,
         active: Annotated[bool | None, typer.Option(
             "--active/--inactive", help="Whether the agent takes work.", show_default=False)]
         = None,
         db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False) -> None:
    """Change an agent's name, role, capacity or whether it is active (people only).

    Example: idolq agent edit 10 --max 3 --inactive
    """
    from idolq.cli.views import show_agent
    from idolq.services.team import AgentChanges, edit_agent
    from idolq.store.connection import open_database

    with reporting(json_):
        changes = AgentChanges(name, role, max_tasks, active)
        show_agent(edit_agent(open_database(db), number, changes, resolve_actor(actor)), json_)


@app.command("show")
def show(number: NumberArg, db: DbOpt = None, json_: JsonOpt = False) -> None:
    """Show one agent with its workload.

    Example: idolq agent show 2
    """
    from idolq.cli.views import show_agent
    from idolq.services.team import show_agent as query
    from idolq.store.connection import open_database

    with reporting(json_):
        show_agent(query(open_database(db), number), json_)
