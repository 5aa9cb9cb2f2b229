"""`idolq route ...`: the routing rules, which are also the known task and content types."""

from typing import Annotated

import typer

from idolq.cli.errors import reporting
from idolq.cli.group import command_group
from idolq.cli.options import ActorOpt, DbOpt, JsonOpt, resolve_actor

app = command_group("route", "Which agent gets which type of task (the known types).")

TypeArg = Annotated[str, typer.Argument(metavar="TYPE", help="A task type, e.g. content.")]
ContentTypeOpt = Annotated[str | None, typer.Option(
    help="A content type, e.g. tweet (default: any content type).")]


@app.command("list")
def list_(db: DbOpt = None, json_: JsonOpt = False) -> None:
    """List the routing rules: the task and content types idolq knows.

    Example: idolq route list
    """
    from idolq.cli.views import show_routes
    from idolq.services.routing import list_routes
    from idolq.store.connection import open_database

    with reporting(json_):
        show_routes(list_routes(open_database(db)), json_)


@app.command("set")
def set_(
    task_type: TypeArg,
    agent: Annotated[int, typer.Option("--agent", help="The agent's number.")],
    content_type: ContentTypeOpt = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Route a type to an agent; a new type (or content type) becomes known.

    Example: idolq route set content --content-type meme --agent 2
    """
    from idolq.cli.views import show_routes
    from idolq.domain.values import parse_content_type, parse_task_type
    from idolq.services.routing import set_route
    from idolq.store.connection import open_database

    with reporting(json_):
        kind, content = parse_task_type(task_type), parse_content_type(content_type)
        show_routes(set_route(open_database(db), kind, content, agent, resolve_actor(actor)),
                    json_)


@app.command("remove")
def remove(
    task_type: TypeArg,
    content_type: ContentTypeOpt = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Remove a routing rule; a type no rule names is no longer accepted.

    Example: idolq route remove content --content-type meme
    """
    from idolq.cli.views import show_routes
    from idolq.domain.values import parse_content_type, parse_task_type
    from idolq.services.routing import remove_route
    from idolq.store.connection import open_database

    with reporting(json_):
        kind, content = parse_task_type(task_type), parse_content_type(content_type)
        show_routes(remove_route(open_database(db), kind, content, resolve_actor(actor)),
                    json_)
