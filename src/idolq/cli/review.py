"""`idolq review ...`"""

from typing import Annotated

import typer

from idolq.cli.group import command_group
from idolq.cli.options import ActorOpt, AgentOpt, DbOpt, JsonOpt, LimitOpt, ReviewArg

app = command_group("review", "List and decide reviews.")

DsRatingOpt = Annotated[float | None, typer.Option(
    "--ds-rating", help="0-4, cultural reviews only.")]


@app.command("list")
def list_(
    status: Annotated[str | None, typer.Option(help="pending, approved, rejected, cancelled.")]
    = None,
    agent: AgentOpt = None,
    task: Annotated[str | None, typer.Option(metavar="TASK", help="Only this task's.")] = None,
    limit: LimitOpt = None,
    db: DbOpt = None, json_: JsonOpt = False,
) -> None:
    """List reviews, oldest first."""
    from idolq.cli.hot import review_list

    review_list(status, agent, task, limit, db, json_)


@app.command("approve")
def approve(
    review: ReviewArg,
    notes: Annotated[str | None, typer.Option(help="Comments.")] = None,
    ds_rating: DsRatingOpt = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Approve a pending review; the next stage or final approval follows."""
    from idolq.cli.hot import review_approve

    review_approve(review, notes, ds_rating, db, actor, json_)


@app.command("reject")
def reject(
    review: ReviewArg,
    notes: Annotated[str | None, typer.Option(help="What must change (required).")] = None,
    ds_rating: DsRatingOpt = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Reject a pending review: the task goes back to in_progress for another round."""
    from idolq.cli.hot import review_reject

    review_reject(review, notes, ds_rating, db, actor, json_)


def _register_more() -> None:
    from idolq.cli.policy import app as policy_app

    app.add_typer(policy_app, name="policy")


_register_more()
