"""Who may do what: one check per action, taking the actor and what it acts on.

An actor `agent:N` acts as agent N; `human:NAME` as a person; `idolq:NAME` as idolq itself
(daemon, workflow). Agents act only on their own tasks and reviews, never review their own
task, and keep within their capacity. People may do everything agents may not: each check
returns True when it lets a person override a rule, so the event can say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from idolq.domain.errors import Forbidden, InvalidValue
from idolq.domain.model import Agent, Review, Task

AGENT, HUMAN, IDOLQ = "agent", "human", "idolq"


class Actor(NamedTuple):
    kind: str  # agent, human or idolq
    name: str  # the whole actor string, as recorded
    agent: int | None = None

    @property
    def is_agent(self) -> bool:
        return self.kind == AGENT


def parse_actor(text: str) -> Actor:
    """`agent:02` is agent 2; `idolq:...` is idolq; anything else is a person."""
    prefix, _, rest = text.partition(":")
    if prefix == AGENT:
        number = rest.strip()
        if not (number.isdigit() and number.isascii()):
            raise InvalidValue(f"invalid actor {text!r}: an agent acts as agent:N (its number)")
        return Actor(AGENT, text, int(number))
    return Actor(IDOLQ if prefix == IDOLQ else HUMAN, text)


def agent_name(number: int | None) -> str:
    return "nobody" if number is None else f"agent:{number:02d}"


def check_task_action(actor: Actor, task: Task, action: str) -> bool:
    """start, claim, complete, heartbeat, release: the assignee, or a person (override)."""
    if actor.is_agent:
        if actor.agent != task.assigned_agent:
            raise Forbidden(
                f"{actor.name} cannot {action} {task.code}: it is assigned to "
                f"{agent_name(task.assigned_agent)}; only that agent or a human may")
        return False
    return actor.kind == HUMAN


def check_claim_for(actor: Actor, agent: int) -> bool:
    """Claiming for an agent: that agent itself, or a person on its behalf (override)."""
    if actor.is_agent and actor.agent != agent:
        raise Forbidden(f"{actor.name} cannot claim work for {agent_name(agent)}: "
                        f"only that agent or a human may")
    return actor.kind == HUMAN


def check_capacity(actor: Actor, agent: Agent, active: Sequence[str]) -> bool:
    """An agent at its max_concurrent_tasks (or inactive) takes no more; a person may
    override. `active` are the codes of the agent's tasks in progress."""
    full = len(active) >= agent.max_concurrent_tasks
    if not agent.is_active or full:
        reason = (f"{agent_name(agent.number)} is inactive" if not agent.is_active else
                  f"{agent_name(agent.number)} has {len(active)} task(s) in progress "
                  f"({', '.join(active)}), its maximum of {agent.max_concurrent_tasks}")
        if actor.is_agent:
            raise Forbidden(f"{actor.name} cannot take more work: {reason}; finish or release "
                            "one first, or ask a human")
        return actor.kind == HUMAN
    return False


def check_review_decision(actor: Actor, review: Review, task: Task) -> bool:
    """Only the review's reviewer decides it, and never on a task assigned to itself;
    a person may override."""
    if actor.is_agent:
        if actor.agent != review.reviewer_agent:
            raise Forbidden(
                f"{actor.name} cannot decide review {review.id} ({review.review_type} of "
                f"{review.task_code}): its reviewer is {agent_name(review.reviewer_agent)}; "
                "only that agent or a human may")
        if task.assigned_agent == actor.agent:
            raise Forbidden(
                f"{actor.name} cannot decide review {review.id}: {review.task_code} is its own "
                "task; only a human may decide it")
        return False
    return actor.kind == HUMAN


def check_team_change(actor: Actor, what: str) -> None:
    """The team, its routing and its review policy are changed by people, not agents
    (an agent that could choose its reviewers could approve its own work)."""
    if actor.is_agent:
        raise Forbidden(f"{actor.name} cannot change {what}: only a human may")
