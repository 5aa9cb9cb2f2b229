"""`idolq prime`: an agent's briefing, bounded in size."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from idolq.domain.errors import InvalidValue, NotFound
from idolq.services.claims import claim_task
from idolq.services.prime import briefing_agent, prime
from idolq.services.reviews import reject_review

from helpers import create, pending_reviews, submit

T0 = "2026-01-09T10:00:00+00:00"


def test_the_briefing_lists_claimed_ready_reviews_and_work_sent_back_with_notes(conn):
    with freeze_time(T0):
        sent_back = create(conn, title="sent back", review_tier=2)
        submit(conn, sent_back.id)
        reject_review(conn, pending_reviews(conn, sent_back.id)["cultural"], "agent:09",
                      notes="Rework the slang")
        waiting = create(conn, title="for 9 to review", agent=3, review_tier=2)
        submit(conn, waiting.id)
        ready = [create(conn, title=f"ready {n}", priority=n % 4) for n in range(3)]
        claimed = claim_task(conn, "agent:02")
        mine = prime(conn, 2)
        reviewer = prime(conn, 9)
    assert [t.code for t in mine.claimed] == [claimed.code]
    assert [t.code for t in mine.ready] == [t.code for t in ready if t.id != claimed.id]
    ((task, notes),) = mine.returned
    assert task.code == sent_back.code and [r.notes for r in notes] == ["Rework the slang"]
    assert [r.task_code for r in reviewer.reviews] == [waiting.code]
    assert mine.totals == {"claimed": 1, "ready": 2, "reviews": 0, "returned": 1}


def test_lists_are_capped_and_totals_say_how_many_there_are(conn):
    for n in range(15):
        create(conn, title=f"t{n}")
    briefing = prime(conn, 2, limit=5)
    assert len(briefing.ready) == 5 and briefing.totals["ready"] == 15


def test_warnings_name_an_ending_lease_a_full_agent_and_an_sla_breach(conn):
    with freeze_time("2026-01-08T12:00:00+00:00"):
        for _ in range(3):
            create(conn, priority=0)  # 24 h to finish: in warning from 19.2 h
    with freeze_time(T0):
        claim_task(conn, "agent:02", lease=60)
        claim_task(conn, "agent:02", lease=600)
        claim_task(conn, "agent:02", lease=600)
    with freeze_time("2026-01-09T10:50:00+00:00"):
        warnings = prime(conn, 2).warnings
    kinds = [w.kind for w in warnings]
    assert kinds.count("lease") == 1 and "capacity" in kinds and kinds.count("sla") == 3
    assert "ends in 10 min" in next(w.message for w in warnings if w.kind == "lease")


def test_the_briefing_is_for_the_actors_agent_unless_told(conn):
    assert briefing_agent("agent:07", None) == 7
    assert briefing_agent("human:lead", 3) == 3
    with pytest.raises(InvalidValue):
        briefing_agent("human:lead", None)
    with pytest.raises(NotFound):
        prime(conn, 42)
