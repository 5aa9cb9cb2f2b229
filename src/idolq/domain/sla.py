"""SLA policy as data, and the pure rules for breaches and warnings."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from idolq.domain.errors import InvalidValue
from idolq.domain.policy import REVIEW_TYPES, REVIEWER_AGENTS, TIER_STAGES

HUMAN = "human"
COORDINATOR = "coordinator"  # agent 0
WARN_FRACTION = 0.8


class Rule(NamedTuple):
    """A limit on a pending review (by type and tier) or an open task (by priority)."""

    key: str
    subject: str  # "review" or "task"
    limit_minutes: float
    escalate_to: str  # "human" or "agent:N"
    review_type: str | None = None
    review_tier: int | None = None
    priority: int | None = None

    @property
    def limit_hours(self) -> float | None:
        if isinstance(self.limit_minutes, bool | str | bytes | None):  # a row edited by hand
            return None
        return round(self.limit_minutes / 60, 4)


def review_rule_key(review_type: str, tier: int) -> str:
    return f"review:{review_type}:tier{tier}"


def task_rule_key(priority: int) -> str:
    return f"task:P{priority}"


def review_rule(review_type: str, tier: int, minutes: float, escalate_to: str) -> Rule:
    return Rule(review_rule_key(review_type, tier), "review", minutes, escalate_to,
                review_type=review_type, review_tier=tier)


def task_rule(priority: int, minutes: float, escalate_to: str) -> Rule:
    return Rule(task_rule_key(priority), "task", minutes, escalate_to, priority=priority)


DEADLINE_RULE = "deadline"


def deadline_standing(created_at: datetime, deadline: datetime, at: datetime) -> Standing:
    """A task against its own deadline (rule `deadline`, escalated to the coordinator)."""
    minutes = max(0.0, (deadline - created_at).total_seconds() / 60)
    rule = Rule(DEADLINE_RULE, "task", minutes, COORDINATOR)
    return evaluate(rule, deadline - timedelta(minutes=minutes), at)


DEFAULT_RULES: tuple[Rule, ...] = (
    review_rule("canon", 1, 120, COORDINATOR),
    review_rule("cultural", 1, 120, COORDINATOR),
    review_rule("cultural", 2, 60, COORDINATOR),
    review_rule("coordinator", 1, 30, HUMAN),
    review_rule("coordinator", 2, 30, HUMAN),
    review_rule("coordinator", 3, 15, HUMAN),
    task_rule(0, 24 * 60, HUMAN),
    task_rule(1, 72 * 60, COORDINATOR),
)

DURATION_PART = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*([smhd])")
UNIT_MINUTES = {"s": 1 / 60, "m": 1, "h": 60, "d": 1440}
MAX_DURATION_MINUTES = 36_500 * 1440  # 100 years: added to any time, still a time


def parse_duration_minutes(text: str) -> float:
    """`90m`, `2h`, `1h30m`, `1.5d`, `45s`: a positive duration in minutes."""
    value = text.strip().lower().replace(" ", "")
    parts = DURATION_PART.findall(value)
    if not parts or "".join(f"{n}{u}" for n, u in parts) != value:
        raise InvalidValue(f"invalid duration {text!r}: use e.g. 15m, 2h, 1h30m or 1d")
    minutes = sum(float(n) * UNIT_MINUTES[u] for n, u in parts)
    if minutes <= 0:
        raise InvalidValue(f"invalid duration {text!r}: it must be more than zero")
    if minutes > MAX_DURATION_MINUTES:
        raise InvalidValue(f"invalid duration {text!r}: longer than 100 years (36500d)")
    return minutes


def format_minutes(minutes: float) -> str:
    if isinstance(minutes, bool) or not isinstance(minutes, int | float):
        return repr(minutes)  # a row edited by hand
    if minutes >= 1440 and minutes % 1440 == 0:
        return f"{minutes / 1440:g}d"
    if minutes >= 60 and minutes % 60 == 0:
        return f"{minutes / 60:g}h"
    return f"{minutes:g}m"


def parse_escalate_to(text: str) -> str:
    """`human`, `coordinator`, or an agent: `agent:3`, `3`."""
    value = text.strip().lower()
    if value == HUMAN:
        return HUMAN
    if value == COORDINATOR:
        return COORDINATOR
    number = value.removeprefix("agent:")
    if number.isdigit() and number.isascii() and len(number) <= 9:
        agent = int(number)
        return COORDINATOR if agent == REVIEWER_AGENTS["coordinator"] else f"agent:{agent}"
    raise InvalidValue(f"invalid escalation target {text!r}: use human, coordinator or agent:N")


def rule_for_item(item: str, tier: int | None,
                  stages: Mapping[int, Sequence[Sequence[str]]] = TIER_STAGES) -> tuple[str, dict]:
    """Which rule `sla policy set ITEM [--tier N]` names: a review type with a tier, or P0-P3.

    `stages` is the review policy in force (tiers and the review types each asks for)."""
    value = item.strip().lower()
    review_types = {name for tier_stages in stages.values() for stage in tier_stages
                    for name in stage} or set(REVIEW_TYPES)
    if value in review_types:
        if tier is None:
            raise InvalidValue(f"a {value} review rule needs --tier "
                               f"({', '.join(str(t) for t in sorted(stages))})")
        if tier not in stages or not any(value in stage for stage in stages[tier]):
            raise InvalidValue(f"tier {tier} has no {value} review")
        return review_rule_key(value, tier), {"review_type": value, "review_tier": tier}
    priority = value.upper().removeprefix("P")
    if priority in ("0", "1", "2", "3"):
        if tier is not None:
            raise InvalidValue("--tier applies to review rules only")
        return task_rule_key(int(priority)), {"priority": int(priority)}
    raise InvalidValue(f"unknown SLA item {item!r}: use a review type "
                       f"({', '.join(sorted(review_types))}) with --tier, or a priority P0-P3")


class Standing(NamedTuple):
    """How an open item stands against its rule at a moment."""

    rule: Rule
    due_at: datetime
    hours_over: float  # negative while within the limit
    breached: bool
    warning: bool


AGENT_TARGET = re.compile(r"agent:([0-9]{1,9})", re.ASCII)


def _known_target(target: object, agents: set[int]) -> bool:
    if target in (HUMAN, COORDINATOR):
        return True
    match = AGENT_TARGET.fullmatch(target) if isinstance(target, str) else None
    return match is not None and int(match.group(1)) in agents


def rule_problem(rule: Rule, agents: set[int]) -> str | None:
    """What is wrong with a stored rule (the table can be edited with SQL), or None."""
    limit = rule.limit_minutes
    if isinstance(limit, bool) or not isinstance(limit, int | float):
        return f"SLA rule {rule.key}: its limit {limit!r} is not a number of minutes"
    if not 0 < limit <= MAX_DURATION_MINUTES:
        return (f"SLA rule {rule.key}: its limit of {limit!r} minutes is not between zero "
                "and 100 years")
    if not _known_target(rule.escalate_to, agents):
        return (f"SLA rule {rule.key}: it escalates to {rule.escalate_to!r}, which is not "
                "human, coordinator or an existing agent (see `idolq agent list`)")
    return None


def evaluate(rule: Rule, started_at: datetime, at: datetime) -> Standing:
    try:
        due = started_at + timedelta(minutes=rule.limit_minutes)
    except OverflowError:  # due after the calendar's end: never
        due = datetime.max.replace(tzinfo=started_at.tzinfo)
    elapsed = (at - started_at).total_seconds() / 60
    over = (at - due).total_seconds() / 3600
    return Standing(rule, due, round(over, 4), breached=at > due,
                    warning=at <= due and elapsed >= WARN_FRACTION * rule.limit_minutes)
