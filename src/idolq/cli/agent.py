"""`idolq agent ...`"""

from idolq.cli.errors import reporting
from idolq.cli.group import command_group
from idolq.cli.options import DbOpt, JsonOpt

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
