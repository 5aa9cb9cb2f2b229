"""`idolq review ...`"""

from typing import Annotated

import typer

from idolq.cli.errors import reporting
from idolq.cli.group import command_group
from idolq.cli.options import ActorOpt, AgentOpt, DbOpt, JsonOpt, LimitOpt, ReviewArg, resolve_actor

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
    from idolq.cli.views import show_reviews
    from idolq.domain import values
    from idolq.services.queries import list_reviews
    from idolq.store.connection import open_database

    with reporting(json_):
        wanted = values.parse_review_status(status) if status else None
        task_ref = values.parse_task_ref(task) if task else None
        reviews = list_reviews(open_database(db), wanted, agent, task_ref,
                               values.parse_limit(limit))
        show_reviews(reviews, json_)


def _decide(operation: str, review: str, db: str | None, actor: str | None, json_: bool,
            notes: str | None, ds_rating: float | None) -> None:
    from idolq.cli.views import show_review
    from idolq.domain import values
    from idolq.services import reviews
    from idolq.store.connection import open_database

    with reporting(json_):
        review_id = values.parse_review_ref(review)
        notes = values.check_text("notes", notes)
        rating = values.parse_ds_rating(ds_rating)
        decided = getattr(reviews, operation)(open_database(db), review_id, resolve_actor(actor),
                                              notes=notes, ds_rating=rating)
        show_review(decided, json_)


@app.command("approve")
def approve(
    review: ReviewArg,
    notes: Annotated[str | None, typer.Option(help="Comments.")] = None,
    ds_rating: DsRatingOpt = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Approve a pending review; the next stage or final approval follows."""
    _decide("approve_review", review, db, actor, json_, notes, ds_rating)


@app.command("reject")
def reject(
    review: ReviewArg,
    notes: Annotated[str | None, typer.Option(help="What must change (required).")] = None,
    ds_rating: DsRatingOpt = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Reject a pending review: the task goes back to in_progress for another round."""
    _decide("reject_review", review, db, actor, json_, notes, ds_rating)
