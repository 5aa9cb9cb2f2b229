"""`idolq config ...`: settings kept in the database (the default lease of a claim)."""

from typing import Annotated

import typer

from idolq.cli.errors import reporting
from idolq.cli.group import command_group
from idolq.cli.options import ActorOpt, DbOpt, JsonOpt, resolve_actor

app = command_group("config", "Settings kept in the database.")


def _show(settings, json_: bool) -> None:
    from idolq.cli import output

    output.emit({s.key: s.value for s in settings}, json_, lambda document: output.print_table(
        [{"key": k, "value": v} for k, v in document.items()],
        (("key", "Setting"), ("value", "Value"))))


@app.command("show")
def show(db: DbOpt = None, json_: JsonOpt = False) -> None:
    """Show every setting (lease: how long a claim holds without a heartbeat).

    Example: idolq config show
    """
    from idolq.services.settings import list_settings
    from idolq.store.connection import open_database

    with reporting(json_):
        _show(list_settings(open_database(db)), json_)


@app.command("set")
def set_(key: Annotated[str, typer.Argument(help="lease")],
         value: Annotated[str, typer.Argument(help="e.g. 3h or 90m")],
         db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False) -> None:
    """Change a setting (people only), e.g. `idolq config set lease 3h`.

    Example: idolq config set lease 3h
    """
    from idolq.services.settings import set_setting
    from idolq.store.connection import open_database

    with reporting(json_):
        _show([set_setting(open_database(db), key, value, resolve_actor(actor))], json_)
