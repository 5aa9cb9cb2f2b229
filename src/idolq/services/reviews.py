"""Operations on reviews: approve and reject."""

from __future__ import annotations

import sqlite3

from idolq.domain import events, model, values
from idolq.domain.errors import InvalidTransition, InvalidValue
from idolq.domain.model import Review, ReviewStatus
from idolq.domain.policy import DS_RATING_REVIEW_TYPE
from idolq.services.authority import authorize_review
from idolq.services.uow import UnitOfWork, retried
from idolq.services.workflow import get_review_and_task
from idolq.store import reviews as review_store


def approve_review(conn: sqlite3.Connection, review_id: int, actor: str,
                   notes: str | None = None, ds_rating: float | None = None) -> Review:
    return _decide(conn, review_id, actor, ReviewStatus.APPROVED, notes, ds_rating)


def reject_review(conn: sqlite3.Connection, review_id: int, actor: str, notes: str,
                  ds_rating: float | None = None) -> Review:
    if not notes or not notes.strip():
        raise InvalidValue("a rejection needs --notes saying what to change")
    return _decide(conn, review_id, actor, ReviewStatus.REJECTED, notes, ds_rating)


@retried
def _decide(conn: sqlite3.Connection, review_id: int, actor: str, status: str,
            notes: str | None, ds_rating: float | None) -> Review:
    with UnitOfWork(conn, actor) as uow:
        review, task = get_review_and_task(uow, review_id)
        override = authorize_review(uow, review, task)
        model.check_can_decide(review)
        if ds_rating is not None and review.review_type != DS_RATING_REVIEW_TYPE:
            raise InvalidValue(
                f"--ds-rating applies to cultural reviews only; review {review.id} is "
                f"{review.review_type}")
        minutes = values.minutes_between(review.requested_at, uow.now)
        if not review_store.decide_review(conn, review.id, status=status, now=uow.now,
                                          minutes=minutes, notes=notes, ds_rating=ds_rating,
                                          actor=actor):
            raise InvalidTransition(f"cannot decide review {review.id}: it is no longer pending")
        decided = review._replace(status=status, completed_at=uow.now,
                          review_time_minutes=minutes, notes=notes, ds_rating=ds_rating)
        fields = {"review_id": review.id, "task_id": review.task_id,
                  "task_code": review.task_code, "review_type": review.review_type,
                  "reviewer_agent": review.reviewer_agent, "round": review.round,
                  "status": status, "notes": notes, "ds_rating": ds_rating,
                  "review_time_minutes": minutes, "override": override}
        decision = events.ReviewApproved if status == ReviewStatus.APPROVED else \
            events.ReviewRejected
        uow.publish_all([decision(**fields), events.ReviewCompleted(**fields)])
    return decided
