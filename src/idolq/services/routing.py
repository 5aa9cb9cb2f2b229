"""Routing rules as data: which agent gets which type of task. They are the vocabulary."""

from __future__ import annotations

import sqlite3

from idolq.domain import authority, events
from idolq.domain.errors import NotFound
from idolq.services.queries import snapshot
from idolq.services.tasks import agent_named
from idolq.services.uow import UnitOfWork, retried
from idolq.store import agents as agent_store

Rule = tuple[str, str | None, int]


def list_routes(conn: sqlite3.Connection) -> list[Rule]:
    with snapshot(conn):
        return agent_store.routing_rules(conn)


@retried
def set_route(conn: sqlite3.Connection, task_type: str, content_type: str | None, agent: int,
              actor: str) -> list[Rule]:
    """Route a (new or known) type to an agent; returns the rules after the change."""
    with UnitOfWork(conn, actor) as uow:
        authority.check_team_change(authority.parse_actor(actor), "routing")
        agent_named(uow, agent)
        before = agent_store.set_route(conn, task_type, content_type, agent)
        if before != agent:
            uow.publish(events.TeamChanged("route", _rule(task_type, content_type),
                                           {"agent": [before, agent]}))
        return agent_store.routing_rules(conn)


@retried
def remove_route(conn: sqlite3.Connection, task_type: str, content_type: str | None,
                 actor: str) -> list[Rule]:
    with UnitOfWork(conn, actor) as uow:
        authority.check_team_change(authority.parse_actor(actor), "routing")
        before = agent_store.remove_route(conn, task_type, content_type)
        if before is None:
            what = f"{task_type} / {content_type}" if content_type else f"{task_type} (any)"
            raise NotFound(f"no routing rule for {what} (see `idolq route list`)")
        uow.publish(events.TeamChanged("route", _rule(task_type, content_type),
                                       {"agent": [before, None]}))
        return agent_store.routing_rules(conn)


def _rule(task_type: str, content_type: str | None) -> dict:
    return {"task_type": task_type, "content_type": content_type}
