"""A claim ends wherever its task leaves in_progress: no stale lease outlives it."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from idolq.services.claims import claim_task, release_task
from idolq.services.reviews import reject_review
from idolq.services.sla import check_sla
from idolq.services.task_edits import assign_task
from idolq.services.tasks import cancel_task, complete_task, start_task

from helpers import create, reviewer, task

T0 = "2026-01-09T10:00:00+00:00"
LATER = "2026-01-09T18:00:00+00:00"  # well past the 2 h lease
PERSON = "human:lead"


def _reject(conn, created):
    complete_task(conn, created.id, "agent:02")
    review_id = conn.execute("SELECT id FROM reviews WHERE task_id = ?",
                             (created.id,)).fetchone()[0]
    reject_review(conn, review_id, reviewer(conn, review_id), notes="again")


EXITS = {
    "release": lambda conn, t: release_task(conn, t.id, "agent:02"),
    "complete": lambda conn, t: complete_task(conn, t.id, "agent:02"),
    "cancel": lambda conn, t: cancel_task(conn, t.id, PERSON),
    "assign": lambda conn, t: assign_task(conn, t.id, PERSON, 3),
    "review then reject": _reject,
}


@pytest.mark.parametrize("exit_", EXITS)
def test_every_way_out_of_a_claim_clears_its_claimant_and_lease(conn, exit_):
    with freeze_time(T0):
        created = create(conn, review_tier=3 if exit_ == "review then reject" else None)
        claim_task(conn, "agent:02")
        EXITS[exit_](conn, created)
    left = task(conn, created.id)
    assert (left.claimed_by, left.lease_expires_at) == (None, None)


@pytest.mark.parametrize("exit_", ["assign", "review then reject"])
def test_a_later_unleased_start_is_not_released_by_a_stale_lease(conn, exit_):
    with freeze_time(T0):
        created = create(conn, review_tier=3 if exit_ == "review then reject" else None)
        claim_task(conn, "agent:02")
        EXITS[exit_](conn, created)
        if task(conn, created.id).status == "pending":
            start_task(conn, created.id, "agent:03")
    with freeze_time(LATER):
        report = check_sla(conn, PERSON)
    assert report.released == []
    assert task(conn, created.id).status == "in_progress"
