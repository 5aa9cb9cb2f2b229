"""Applying the authority rules (domain/authority.py) inside an operation's transaction."""

from __future__ import annotations

from idolq.domain import authority
from idolq.domain.errors import InvalidValue
from idolq.domain.model import Agent, Review, Task
from idolq.services.uow import UnitOfWork
from idolq.store import agents as agent_store


def actor_of(uow: UnitOfWork) -> authority.Actor:
    return authority.parse_actor(uow.actor)


def get_agent(uow: UnitOfWork, number: int) -> Agent:
    agent = agent_store.find_agent(uow.conn, number)
    if agent is None:
        raise InvalidValue(f"invalid agent {number}: no such agent (see `idolq agent list`)")
    return agent


def authorize_task(uow: UnitOfWork, task: Task, action: str) -> bool:
    """May the actor `action` this task? True when a person overrides a rule."""
    return authority.check_task_action(actor_of(uow), task, action)


def authorize_capacity(uow: UnitOfWork, agent_number: int | None) -> bool:
    """start or claim: within the agent's capacity (a person may override)."""
    if agent_number is None:
        return False
    agent = get_agent(uow, agent_number)
    active = agent_store.active_task_codes(uow.conn, agent.number)
    return authority.check_capacity(actor_of(uow), agent, active)


def authorize_review(uow: UnitOfWork, review: Review, task: Task) -> bool:
    return authority.check_review_decision(actor_of(uow), review, task)
