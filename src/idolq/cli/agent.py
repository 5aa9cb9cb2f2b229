"""`idolq agent ...`"""

from __future__ import annotations

import typer

from idolq.cli.errors import reporting
from idolq.cli.options import DbOpt, JsonOpt

app = typer.Typer(help="The team's agents.", no_args_is_help=True)


@app.command("list")
def list_(db: DbOpt = None, json_: JsonOpt = False) -> None:
    """List agents with their current workload."""
    from idolq.cli.views import show_agents
    from idolq.services.queries import list_agents
    from idolq.store.connection import open_database

    with reporting(json_):
        show_agents(list_agents(open_database(db)), json_)
