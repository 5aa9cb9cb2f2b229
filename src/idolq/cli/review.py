"""`idolq review ...`"""

from typing import Annotated

import typer

from idolq.cli.errors import reporting
from idolq.cli.group import command_group
from idolq.cli.options import ActorOpt, AgentOpt, DbOpt, JsonOpt, LimitOpt, ReviewsArg

app = command_group("review", "List and decide reviews.")

DsRatingOpt = Annotated[float | None, typer.Option(
    "--ds-rating", help="0-4, cultural reviews only.")]


@app.command("list")
def list_(
    status: Annotated[list[str] | None, typer.Option(
        metavar="STATUS", help="pending, approved, rejected, cancelled (repeatable).")] = None,
    agent: AgentOpt = None,
    task: Annotated[str | None, typer.Option(metavar="TASK", help="Only this task's.")] = None,
    limit: LimitOpt = None,
    db: DbOpt = None, json_: JsonOpt = False,
) -> None:
    """List reviews, oldest first.

    Example: idolq review list --status pending --agent 9
    """
    from idolq.cli.hot_reviews import review_list

    review_list(status, agent, task, limit, db, json_)


@app.command("approve")
def approve(
    reviews: ReviewsArg,
    notes: Annotated[str | None, typer.Option(help="Comments.")] = None,
    ds_rating: DsRatingOpt = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Approve pending reviews; the next stage or final approval follows.

    Example: idolq review approve 3 4 --notes "Consistent with canon"
    """
    from idolq.cli.hot_reviews import review_approve

    review_approve(reviews, notes, ds_rating, db, actor, json_)


@app.command("reject")
def reject(
    reviews: ReviewsArg,
    notes: Annotated[str | None, typer.Option(help="What must change (required).")] = None,
    ds_rating: DsRatingOpt = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Reject a pending review: the task goes back to in_progress for another round.

    Example: idolq review reject 5 --notes "The slang reads as dated; rework it"
    """
    from idolq.cli.hot_reviews import review_reject

    review_reject(reviews, notes, ds_rating, db, actor, json_)


@app.command("show")
def show(reviews: ReviewsArg, db: DbOpt = None, json_: JsonOpt = False) -> None:
    """Show reviews with the task each is about.

    Example: idolq review show 12
    """
    from idolq.cli.ids import Done, for_each_id
    from idolq.cli.views import review_detail_json, show_review_detail
    from idolq.domain.values import parse_review_ref
    from idolq.services.queries import show_review as query
    from idolq.store.connection import open_database

    with reporting(json_):
        conn = open_database(db)

    def act(ident: str) -> Done:
        detail = query(conn, parse_review_ref(ident))
        return Done(review_detail_json(detail), lambda: show_review_detail(detail, False))

    for_each_id(reviews, json_, act)


def _register_more() -> None:
    from idolq.cli.policy import app as policy_app

    app.add_typer(policy_app, name="policy")


_register_more()
