"""`idolq review ...`"""

from typing import Annotated

import typer

from idolq.cli.errors import reporting
from idolq.cli.group import command_group
from idolq.cli.options import (
    ActorOpt,
    AgentOpt,
    DbOpt,
    JsonOpt,
    LimitOpt,
    ReviewsArg,
    resolve_actor,
)

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
    from idolq.cli.views import show_reviews
    from idolq.domain import values
    from idolq.services.queries import list_reviews
    from idolq.store.connection import open_database

    with reporting(json_):
        wanted = [values.parse_review_status(s) for s in status or []]
        task_ref = values.parse_task_ref(task) if task else None
        reviews = list_reviews(open_database(db), wanted, agent, task_ref,
                               values.parse_limit(limit))
        show_reviews(reviews, json_)


def _decide(operation: str, reviews: list[str], db: str | None, actor: str | None, json_: bool,
            notes: str | None, ds_rating: float | None) -> None:
    from idolq.cli.ids import Done, for_each_id, show_with_outcomes
    from idolq.cli.views import show_review
    from idolq.domain import values
    from idolq.domain.documents import review_json
    from idolq.services import reviews as service
    from idolq.services.uow import recording
    from idolq.store.connection import open_database

    with reporting(json_):
        notes = values.check_text("notes", notes)
        rating = values.parse_ds_rating(ds_rating)
        conn, who = open_database(db), resolve_actor(actor)

    def act(ident: str) -> Done:
        with recording() as happened:
            decided = getattr(service, operation)(conn, values.parse_review_ref(ident), who,
                                                  notes=notes, ds_rating=rating)
        return Done(review_json(decided),
                    show_with_outcomes(lambda: show_review(decided, False), happened))

    for_each_id(reviews, json_, act)


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
    _decide("approve_review", reviews, db, actor, json_, notes, ds_rating)


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
    _decide("reject_review", reviews, db, actor, json_, notes, ds_rating)
