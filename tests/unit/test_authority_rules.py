"""Authority rules: who may act on which task and decide which review (no database)."""

from __future__ import annotations

import pytest

from idolq.domain import authority
from idolq.domain.authority import parse_actor
from idolq.domain.errors import Forbidden, InvalidValue
from idolq.domain.model import Agent, Review, Task

AGENT_2, AGENT_3, PERSON, IDOLQ = (parse_actor(a) for a in
                                   ("agent:02", "agent:3", "human:lead", "idolq:daemon"))


def make_task(**overrides) -> Task:
    base = dict(id=1, code="CONTENT-001", title="t", task_type="content", status="pending",
                priority=2, assigned_agent=2, review_tier=3,
                created_at="2026-01-09T00:00:00+00:00")
    return Task(**{**base, **overrides})


def make_review(**overrides) -> Review:
    base = dict(id=7, task_id=1, task_code="CONTENT-001", review_type="coordinator",
                reviewer_agent=0, round=1, status="pending",
                requested_at="2026-01-09T00:00:00+00:00")
    return Review(**{**base, **overrides})


def make_agent(**overrides) -> Agent:
    base = dict(number=2, name="Content Strategist", role="", max_concurrent_tasks=3,
                active_tasks=0, pending_reviews=0, is_active=True)
    return Agent(**{**base, **overrides})


def test_actors_are_agents_people_or_idolq():
    assert parse_actor("agent:02") == ("agent", "agent:02", 2)
    assert parse_actor("human:lead").kind == "human"
    assert parse_actor("idolq:daemon").kind == "idolq"
    assert parse_actor("cron").kind == "human"  # any other name is a person's


@pytest.mark.parametrize("text", ["agent:", "agent:two", "agent:-1", "agent:²"])
def test_an_agent_actor_must_give_its_number(text):
    with pytest.raises(InvalidValue, match="agent:N"):
        parse_actor(text)


@pytest.mark.parametrize("action", ["start", "claim", "complete", "heartbeat", "release"])
def test_an_agent_acts_only_on_tasks_assigned_to_it(action):
    assert authority.check_task_action(AGENT_2, make_task(), action) is False
    with pytest.raises(Forbidden, match=f"agent:3 cannot {action} CONTENT-001: it is assigned "
                                        "to agent:02; only that agent or a human may"):
        authority.check_task_action(AGENT_3, make_task(), action)


def test_an_agent_cannot_act_on_an_unassigned_task():
    with pytest.raises(Forbidden, match="assigned to nobody"):
        authority.check_task_action(AGENT_2, make_task(assigned_agent=None), "start")


def test_a_person_overrides_and_idolq_acts_as_itself():
    assert authority.check_task_action(PERSON, make_task(assigned_agent=3), "complete") is True
    assert authority.check_task_action(IDOLQ, make_task(assigned_agent=3), "release") is False


def test_an_agent_claims_only_for_itself():
    assert authority.check_claim_for(AGENT_2, 2) is False
    assert authority.check_claim_for(PERSON, 3) is True
    with pytest.raises(Forbidden, match="cannot claim work for agent:03"):
        authority.check_claim_for(AGENT_2, 3)


def test_an_agent_at_its_capacity_takes_no_more_and_the_error_names_its_active_tasks():
    full = make_agent(max_concurrent_tasks=2)
    assert authority.check_capacity(AGENT_2, full, ["A-001"]) is False
    with pytest.raises(Forbidden, match=r"2 task\(s\) in progress \(A-001, A-002\), its maximum"):
        authority.check_capacity(AGENT_2, full, ["A-001", "A-002"])
    assert authority.check_capacity(PERSON, full, ["A-001", "A-002"]) is True


def test_an_inactive_agent_takes_no_work():
    with pytest.raises(Forbidden, match="agent:02 is inactive"):
        authority.check_capacity(AGENT_2, make_agent(is_active=False), [])


def test_only_the_reviewer_decides_a_review():
    review = make_review(reviewer_agent=0)
    assert authority.check_review_decision(parse_actor("agent:00"), review, make_task()) is False
    with pytest.raises(Forbidden, match="its reviewer is agent:00; only that agent or a human"):
        authority.check_review_decision(AGENT_3, review, make_task())


def test_no_agent_decides_a_review_of_its_own_task():
    review = make_review(reviewer_agent=2)
    with pytest.raises(Forbidden, match="is its own task; only a human may decide it"):
        authority.check_review_decision(AGENT_2, review, make_task(assigned_agent=2))
    assert authority.check_review_decision(PERSON, review, make_task(assigned_agent=2)) is True


def test_the_author_of_a_task_cannot_approve_the_coordinators_review_of_it():
    """The incident: agent 1 approved the coordinator's review of its own task."""
    with pytest.raises(Forbidden):
        authority.check_review_decision(parse_actor("agent:01"), make_review(reviewer_agent=0),
                                        make_task(assigned_agent=1))


def test_only_people_change_the_team():
    authority.check_team_change(PERSON, "the review policy")
    with pytest.raises(Forbidden, match="only a human may"):
        authority.check_team_change(AGENT_2, "the review policy")
