"""The team as data: agents and the review policy, changed by people, each a team.changed."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from idolq.domain import events, policy, values
from idolq.domain.authority import check_team_change, parse_actor
from idolq.domain.errors import Conflict, InvalidValue, NotFound
from idolq.domain.model import Agent
from idolq.domain.policy import ReviewPolicy
from idolq.services.queries import snapshot
from idolq.services.uow import UnitOfWork, retried
from idolq.store import agents as agent_store
from idolq.store import policy as policy_store


@dataclass
class AgentChanges:
    """What `agent edit` asks to change; None leaves a field as it is."""

    name: str | None = None
    role: str | None = None
    max_concurrent_tasks: int | None = None
    is_active: bool | None = None


def _team_uow(conn: sqlite3.Connection, actor: str, what: str) -> UnitOfWork:
    check_team_change(parse_actor(actor), what)
    return UnitOfWork(conn, actor)


def _find_agent(conn: sqlite3.Connection, number: int) -> Agent:
    agent = agent_store.find_agent(conn, number)
    if agent is None:
        raise NotFound(f"no agent {number} (see `idolq agent list`)")
    return agent


def show_agent(conn: sqlite3.Connection, number: int) -> Agent:
    with snapshot(conn):
        return _find_agent(conn, number)


@retried
def add_agent(conn: sqlite3.Connection, number: int, name: str, actor: str, role: str = "",
              max_tasks: int = policy.DEFAULT_MAX_CONCURRENT_TASKS) -> Agent:
    name, role = _check_name(name), values.check_text("role", role, 500) or ""
    _check_max(max_tasks)
    with _team_uow(conn, actor, "the team") as uow:
        if agent_store.find_agent(conn, number) is not None:
            raise Conflict(f"agent {number} exists already; change it with `idolq agent edit`")
        agent_store.insert_agent(conn, number, name, role, max_tasks)
        agent = _find_agent(conn, number)
        uow.publish(events.TeamChanged("agent", number, {
            "name": [None, name], "role": [None, role], "max_concurrent_tasks": [None, max_tasks],
            "is_active": [None, True]}))
    return agent


@retried
def edit_agent(conn: sqlite3.Connection, number: int, changes: AgentChanges,
               actor: str) -> Agent:
    wanted = {key: value for key, value in vars(changes).items() if value is not None}
    if "name" in wanted:
        wanted["name"] = _check_name(wanted["name"])
    if "role" in wanted:
        wanted["role"] = values.check_text("role", wanted["role"], 500)
    if "max_concurrent_tasks" in wanted:
        _check_max(wanted["max_concurrent_tasks"])
    if not wanted:
        raise InvalidValue("nothing to change: give --name, --role, --max, --active or "
                           "--inactive")
    with _team_uow(conn, actor, "the team") as uow:
        before = _find_agent(conn, number)
        diff = {key: [getattr(before, key), value] for key, value in wanted.items()
                if getattr(before, key) != value}
        if diff:
            agent_store.update_agent(conn, number, **{k: new for k, (_, new) in diff.items()})
            uow.publish(events.TeamChanged("agent", number, diff))
        return _find_agent(conn, number)


def _check_name(name: str) -> str:
    checked = values.check_text("name", name.strip(), 100)
    if not checked:
        raise InvalidValue("invalid name: it is empty")
    return checked


def _check_max(max_tasks: int) -> None:
    if not 0 <= max_tasks <= 1000:
        raise InvalidValue(f"invalid --max {max_tasks}: use 0-1000")


def show_review_policy(conn: sqlite3.Connection) -> ReviewPolicy:
    with snapshot(conn):
        return policy_store.review_policy(conn)


@retried
def set_tier_stages(conn: sqlite3.Connection, tier: int, stages_text: str,
                    actor: str) -> ReviewPolicy:
    stages = policy.parse_stages(stages_text)
    with _team_uow(conn, actor, "the review policy") as uow:
        before = policy_store.review_policy(conn)
        policy.check_stage_types(stages, before.reviewers)
        old = before.stages.get(tier)
        policy_store.replace_tier_stages(conn, tier, stages)
        uow.publish(events.TeamChanged("review_tier", tier, {
            "stages": [_lists(old) if old else None, _lists(stages)]}))
        return policy_store.review_policy(conn)


@retried
def remove_tier(conn: sqlite3.Connection, tier: int, actor: str) -> ReviewPolicy:
    with _team_uow(conn, actor, "the review policy") as uow:
        old = policy_store.review_policy(conn).stages.get(tier)
        if old is None:
            raise NotFound(f"no review tier {tier}")
        if open_tasks := policy_store.open_tasks_with_tier(conn, tier):
            raise Conflict(f"cannot remove tier {tier}: {open_tasks} unfinished task(s) use it")
        policy_store.delete_tier(conn, tier)
        uow.publish(events.TeamChanged("review_tier", tier, {"stages": [_lists(old), None]}))
        return policy_store.review_policy(conn)


@retried
def set_reviewer(conn: sqlite3.Connection, review_type: str, agent: int,
                 actor: str) -> ReviewPolicy:
    review_type = values.parse_review_type(review_type)
    with _team_uow(conn, actor, "the review policy") as uow:
        _find_agent(conn, agent)
        old = policy_store.review_policy(conn).reviewers.get(review_type)
        policy_store.set_reviewer(conn, review_type, agent, uow.now)
        uow.publish(events.TeamChanged("reviewer", review_type,
                                       {"reviewer_agent": [old, agent]}))
        return policy_store.review_policy(conn)


def _lists(stages) -> list[list[str]]:
    return [list(stage) for stage in stages]
