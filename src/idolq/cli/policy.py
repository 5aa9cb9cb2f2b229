"""`idolq review policy ...`: which reviews each tier asks for, and who reviews each type."""

from typing import Annotated

import typer

from idolq.cli.errors import reporting
from idolq.cli.group import IdolqGroup
from idolq.cli.options import ActorOpt, DbOpt, JsonOpt, resolve_actor

app = typer.Typer(cls=IdolqGroup, name="policy", invoke_without_command=True,
                  help="Show the review policy (tiers, stages, reviewers), or change it with a "
                  "subcommand.")

TierArg = Annotated[int, typer.Argument(metavar="TIER", help="The tier's number, e.g. 0.")]


def _run(operation: str, json_: bool, db: str | None, *args) -> None:
    from idolq.cli.views import show_review_policy
    from idolq.services import team
    from idolq.store.connection import open_database

    with reporting(json_):
        show_review_policy(getattr(team, operation)(open_database(db), *args), json_)


@app.callback()
def show(ctx: typer.Context, db: DbOpt = None, json_: JsonOpt = False) -> None:
    """Show each tier's review stages and each review type's reviewer (or change them: set,
    remove, reviewer)."""
    if ctx.invoked_subcommand is None:
        _run("show_review_policy", json_, db)


@app.command("set")
def set_(
    tier: TierArg,
    stages: Annotated[str, typer.Option(
        help="Stages separated by ';', review types in a stage by ',': "
             "'canon,cultural;coordinator'.")],
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Define a tier's stages (adds the tier if new); applies to reviews requested after.

    Example: idolq review policy set 0 --stages "legal;cultural"
    """
    _run("set_tier_stages", json_, db, tier, stages, resolve_actor(actor))


@app.command("remove")
def remove(tier: TierArg, db: DbOpt = None, actor: ActorOpt = None,
           json_: JsonOpt = False) -> None:
    """Remove a tier that no unfinished task uses.

    Example: idolq review policy remove 0
    """
    _run("remove_tier", json_, db, tier, resolve_actor(actor))


@app.command("reviewer")
def reviewer(
    review_type: Annotated[str, typer.Argument(metavar="TYPE", help="canon, cultural, ...")],
    agent: Annotated[int, typer.Option("--agent", help="The agent who reviews this type.")],
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Set who reviews a review type (adds the type if new).

    Example: idolq review policy reviewer legal --agent 5
    """
    _run("set_reviewer", json_, db, review_type, agent, resolve_actor(actor))
