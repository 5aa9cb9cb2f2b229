"""Showing and changing the SLA policy, and review-time statistics."""

from __future__ import annotations

import math
import sqlite3
from typing import NamedTuple

from idolq.domain.errors import InvalidValue, NotFound
from idolq.domain.sla import COORDINATOR, DEFAULT_RULES, HUMAN, Rule, rule_for_item, rule_problem
from idolq.services.queries import snapshot
from idolq.services.uow import UnitOfWork, retried
from idolq.store import agents as agent_store
from idolq.store import policy as policy_store
from idolq.store import sla as sla_store


def usable_rules(conn: sqlite3.Connection) -> tuple[list[Rule], list[str]]:
    """The stored rules that can be applied, and one problem line for each that cannot
    (a row edited with SQL must not stop every check)."""
    agents = agent_store.agent_numbers(conn)
    usable, problems = [], []
    for rule in sla_store.rules(conn):
        problem = rule_problem(rule, agents)
        if problem is None:
            usable.append(rule)
        else:
            problems.append(f"{problem}; it is skipped until `idolq sla policy set` fixes it")
    return usable, problems


def show_policy(conn: sqlite3.Connection) -> list[Rule]:
    with snapshot(conn):
        return sla_store.rules(conn)


@retried
def set_rule(conn: sqlite3.Connection, item: str, tier: int | None, limit_minutes: float,
             escalate_to: str | None, actor: str) -> Rule:
    """Add or change the limit for a review type and tier, or for a task priority."""
    with UnitOfWork(conn, actor, source="sla") as uow:
        key, fields = rule_for_item(item, tier, policy_store.review_policy(conn).stages)
        current = {rule.key: rule for rule in sla_store.rules(conn)}.get(key)
        target = escalate_to or (current.escalate_to if current else _default_target(fields))
        subject = "review" if "review_type" in fields else "task"
        rule = Rule(key, subject, limit_minutes, target, **fields)
        problem = rule_problem(rule, agent_store.agent_numbers(conn))
        if problem is not None:
            raise InvalidValue(problem)
        sla_store.upsert_rule(conn, rule, uow.now)
    return rule


def _default_target(fields: dict) -> str:
    if fields.get("review_type") == "coordinator" or fields.get("priority") == 0:
        return HUMAN
    return COORDINATOR


@retried
def remove_rule(conn: sqlite3.Connection, item: str, tier: int | None, actor: str) -> str:
    with UnitOfWork(conn, actor, source="sla"):
        key, _ = rule_for_item(item, tier, policy_store.review_policy(conn).stages)
        if not sla_store.delete_rule(conn, key):
            raise NotFound(f"no SLA rule {key}")
    return key


@retried
def reset_policy(conn: sqlite3.Connection, actor: str) -> list[Rule]:
    with UnitOfWork(conn, actor, source="sla") as uow:
        sla_store.delete_all_rules(conn)
        for rule in DEFAULT_RULES:
            sla_store.upsert_rule(conn, rule, uow.now)
        return sla_store.rules(conn)


class ReviewTimeStats(NamedTuple):
    """(A NamedTuple: `sla check` imports this module, and a dataclass would cost its start-up
    the import of `dataclasses` and `inspect`.)"""

    review_type: str
    count: int
    average_minutes: float
    median_minutes: float
    p90_minutes: float
    max_minutes: float
    met_limit: int
    with_limit: int

    @property
    def met_percent(self) -> float | None:
        return round(100 * self.met_limit / self.with_limit, 1) if self.with_limit else None


def review_time_stats(conn: sqlite3.Connection, since: str | None) -> list[ReviewTimeStats]:
    """Per review type: how long decided reviews took, and how many met their limit."""
    with snapshot(conn):
        rows = sla_store.decided_reviews_since(conn, since)
        limits = {(r.review_type, r.review_tier): r.limit_minutes
                  for r in usable_rules(conn)[0] if r.subject == "review"}
    by_type: dict[str, list[tuple[float, float | None]]] = {}
    for review_type, tier, minutes in rows:
        by_type.setdefault(review_type, []).append((minutes, limits.get((review_type, tier))))
    return [_summarise(review_type, samples) for review_type, samples in sorted(by_type.items())]


def _summarise(review_type: str, samples: list[tuple[float, float | None]]) -> ReviewTimeStats:
    import statistics

    minutes = sorted(m for m, _ in samples)
    p90 = minutes[math.ceil(0.9 * len(minutes)) - 1]  # nearest rank
    limited = [(m, limit) for m, limit in samples if limit is not None]
    return ReviewTimeStats(
        review_type, len(minutes), round(statistics.fmean(minutes), 2),
        round(statistics.median(minutes), 2), round(p90, 2), round(minutes[-1], 2),
        sum(1 for m, limit in limited if m <= limit), len(limited))
