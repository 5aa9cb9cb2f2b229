"""The team as data: agents and the review policy change without a code change."""

from __future__ import annotations

import json

import pytest

from idolq.domain.errors import Conflict, Forbidden, InvalidValue, NotFound
from idolq.services.reviews import approve_review
from idolq.services.tasks import create_task
from idolq.services.team import (
    AgentChanges,
    add_agent,
    edit_agent,
    remove_tier,
    set_reviewer,
    set_tier_stages,
    show_agent,
    show_review_policy,
)

from helpers import create, new, pending_reviews, submit, task

LEAD = "human:lead"


def _team_events(conn) -> list[dict]:
    rows = conn.execute("SELECT payload FROM event_log WHERE event_type = 'team.changed'"
                        " ORDER BY id")
    return [json.loads(row[0]) for row in rows]


def test_init_seeds_the_contracts_review_policy(conn):
    policy = show_review_policy(conn)
    assert policy.stages == {1: (("canon", "cultural"), ("coordinator",)),
                             2: (("cultural",), ("coordinator",)), 3: (("coordinator",),)}
    assert policy.reviewers == {"canon": 8, "cultural": 9, "coordinator": 0}


def test_tier_zero_express_is_cultural_only_reviewed_by_agent_nine(conn):
    set_tier_stages(conn, 0, "cultural", LEAD)
    express = create(conn, review_tier=0)
    submit(conn, express.id)
    reviews = pending_reviews(conn, express.id)
    assert list(reviews) == ["cultural"]
    approve_review(conn, reviews["cultural"], "agent:09")
    assert task(conn, express.id).status == "complete"
    assert _team_events(conn)[-1] == {"what": "review_tier", "tier": 0,
                                      "changes": {"stages": [None, [["cultural"]]]}}


def test_a_tier_the_policy_does_not_define_is_refused(conn):
    with pytest.raises(InvalidValue, match="invalid review tier 0: use 1, 2, 3 or none"):
        create_task(conn, new(review_tier=0), LEAD)


def test_a_new_reviewer_applies_to_reviews_requested_after_the_change(conn):
    first, second = create(conn, review_tier=3), create(conn, review_tier=3)
    submit(conn, first.id)
    set_reviewer(conn, "coordinator", 5, LEAD)
    submit(conn, second.id)
    reviewers = {r[0]: r[1] for r in conn.execute("SELECT task_id, reviewer_agent FROM reviews")}
    assert reviewers == {first.id: 0, second.id: 5}
    assert _team_events(conn)[-1]["changes"] == {"reviewer_agent": [0, 5]}


def test_stages_name_only_review_types_that_have_a_reviewer(conn):
    with pytest.raises(InvalidValue, match="unknown review type legal"):
        set_tier_stages(conn, 4, "legal;coordinator", LEAD)
    set_reviewer(conn, "legal", 5, LEAD)
    set_tier_stages(conn, 4, "legal;coordinator", LEAD)
    assert show_review_policy(conn).stages[4] == (("legal",), ("coordinator",))


@pytest.mark.parametrize("text", ["", ";", "canon;;coordinator", "canon,canon", "Can on"])
def test_malformed_stages_are_refused(conn, text):
    with pytest.raises(InvalidValue):
        set_tier_stages(conn, 1, text, LEAD)


def test_a_tier_in_use_cannot_be_removed(conn):
    created = create(conn, review_tier=3)
    with pytest.raises(Conflict, match="1 unfinished task"):
        remove_tier(conn, 3, LEAD)
    conn.execute("UPDATE tasks SET status = 'cancelled' WHERE id = ?", (created.id,))
    assert 3 not in remove_tier(conn, 3, LEAD).stages
    with pytest.raises(NotFound):
        remove_tier(conn, 3, LEAD)


def test_agents_are_added_and_edited_and_each_change_is_an_event(conn):
    added = add_agent(conn, 10, "Legal Eagle", LEAD, role="Checks the law", max_tasks=2)
    assert (added.number, added.name, added.max_concurrent_tasks, added.available) == \
        (10, "Legal Eagle", 2, True)
    with pytest.raises(Conflict):
        add_agent(conn, 10, "Again", LEAD)
    edited = edit_agent(conn, 10, AgentChanges(max_concurrent_tasks=5, is_active=False), LEAD)
    assert (edited.max_concurrent_tasks, edited.is_active, edited.available) == (5, False, False)
    assert show_agent(conn, 10) == edited
    assert _team_events(conn)[-1] == {"what": "agent", "agent": 10, "changes": {
        "max_concurrent_tasks": [2, 5], "is_active": [True, False]}}


def test_an_added_agent_can_be_given_work(conn):
    add_agent(conn, 10, "Legal Eagle", LEAD)
    assert create(conn, agent=10).assigned_agent_name == "Legal Eagle"


def test_agents_cannot_change_the_team_or_its_review_policy(conn):
    before = conn.execute("SELECT COUNT(*) FROM event_log").fetchone()[0]
    for attempt in (lambda: add_agent(conn, 10, "x", "agent:00"),
                    lambda: edit_agent(conn, 2, AgentChanges(max_concurrent_tasks=9), "agent:02"),
                    lambda: set_reviewer(conn, "coordinator", 1, "agent:01"),
                    lambda: set_tier_stages(conn, 3, "cultural", "agent:01"),
                    lambda: remove_tier(conn, 3, "agent:00")):
        with pytest.raises(Forbidden):
            attempt()
    assert conn.execute("SELECT COUNT(*) FROM event_log").fetchone()[0] == before


def test_editing_nothing_or_an_unknown_agent_is_refused(conn):
    with pytest.raises(InvalidValue):
        edit_agent(conn, 2, AgentChanges(), LEAD)
    with pytest.raises(NotFound):
        edit_agent(conn, 42, AgentChanges(name="x"), LEAD)


def test_a_new_tier_gets_its_own_sla_rule(conn):
    from freezegun import freeze_time

    from idolq.services.sla import check_sla
    from idolq.services.sla_policy import set_rule

    with pytest.raises(InvalidValue, match="tier 0 has no cultural review"):
        set_rule(conn, "cultural", 0, 30, None, LEAD)
    set_tier_stages(conn, 0, "cultural", LEAD)
    rule = set_rule(conn, "cultural", 0, 30, None, LEAD)
    assert (rule.key, rule.review_tier) == ("review:cultural:tier0", 0)
    with freeze_time("2026-01-09T10:00:00+00:00"):
        express = create(conn, review_tier=0)
        submit(conn, express.id)
    with freeze_time("2026-01-09T10:31:00+00:00"):
        report = check_sla(conn, "idolq:cron")
    assert [f.standing.rule.key for f in report.reviews] == ["review:cultural:tier0"]
