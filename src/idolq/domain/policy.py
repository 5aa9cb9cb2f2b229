"""Policies as data: review tiers, reviewers, routing and default agents.

The constants here are the defaults `idolq init` writes to the database; the workflow reads
the team's current policy from there and passes it to these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from idolq.domain.errors import InvalidValue

REVIEW_TYPES = ("canon", "cultural", "coordinator")
REVIEWER_AGENTS = {"canon": 8, "cultural": 9, "coordinator": 0}
FINAL_REVIEW_TYPE = "coordinator"
DS_RATING_REVIEW_TYPE = "cultural"
DS_RATING_RANGE = (0.0, 4.0)

# Stages of review by tier: the reviews of a stage are requested together, and the
# next stage is requested when every review of the stage before it is approved.
TIER_STAGES: dict[int, tuple[tuple[str, ...], ...]] = {
    1: (("canon", "cultural"), ("coordinator",)),
    2: (("cultural",), ("coordinator",)),
    3: (("coordinator",),),
}

# The review tier of a task created without one, by task type (absent: no review).
DEFAULT_TIERS: dict[str, int] = {"content": 2}


class TierNotGiven:
    """A review tier not given (unlike None, "no review"): the task type's default applies."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "TYPE_DEFAULT"


TYPE_DEFAULT = TierNotGiven()

# (task_type, content_type, agent_number): the seed of the routing rules, which are also the
# vocabulary of task and content types. A None content type matches any; most specific wins.
DEFAULT_ROUTING: tuple[tuple[str | None, str | None, int], ...] = (
    *(("content", c, 2) for c in ("tweet", "thread")),
    *(("content", c, 3) for c in ("discord", "event", "community")),
    *(("content", c, 4) for c in ("banner", "gacha", "seasonal")),
    *(("content", c, 7) for c in ("novel", "chapter", "story")),
    ("content", None, 2),
    ("asset", None, 6),
    ("lore", None, 1),
    ("analytics", None, 5),
    ("coordination", None, 0),
)

# (number, name, role)
DEFAULT_AGENTS: tuple[tuple[int, str, str], ...] = (
    (0, "Coordinator", "Orchestrates the team and gives final approval"),
    (1, "Lore Architect", "Designs world lore and canon"),
    (2, "Content Strategist", "Writes tweets, threads and general content"),
    (3, "Community Manager", "Runs Discord, events and community content"),
    (4, "Gacha Designer", "Designs banners, gacha and seasonal content"),
    (5, "Analytics Observer", "Measures and reports performance"),
    (6, "Asset Coordinator", "Produces and tracks visual assets"),
    (7, "Light Novel Writer", "Writes novels, chapters and stories"),
    (8, "Lore Guardian", "Reviews content for canon"),
    (9, "Resident Degen", "Reviews content for cultural fit"),
)
DEFAULT_MAX_CONCURRENT_TASKS = 3


def route(
    rules: Iterable[tuple[str | None, str | None, int]], task_type: str, content_type: str | None
) -> int:
    """The agent for a task: the most specific matching rule wins."""
    best: tuple[int, int] | None = None
    for rule_type, rule_content, agent in rules:
        if rule_type not in (None, task_type) or rule_content not in (None, content_type):
            continue
        specificity = (rule_type is not None) * 2 + (rule_content is not None)
        if best is None or specificity > best[0]:
            best = (specificity, agent)
    if best is None:
        raise InvalidValue(f"no routing rule matches task type {task_type!r}")
    return best[1]


def review_tier(task_type: str, asked: int | None | TierNotGiven) -> int | None:
    """The tier of a new task: the one asked for (None: no review), else its type's default."""
    return DEFAULT_TIERS.get(task_type) if asked is TYPE_DEFAULT else asked


Stages = Mapping[int, Sequence[Sequence[str]]]


class ReviewPolicy(NamedTuple):
    """Which review types each tier asks for, stage by stage, and who reviews each type."""

    stages: Mapping[int, tuple[tuple[str, ...], ...]]
    reviewers: Mapping[str, int]

    def reviewer(self, review_type: str) -> int:
        return self.reviewers[review_type]


DEFAULT_REVIEW_POLICY = ReviewPolicy(TIER_STAGES, REVIEWER_AGENTS)


def first_stage(tier: int, stages: Stages = TIER_STAGES) -> tuple[str, ...]:
    return tuple(stages[tier][0])


def review_types_to_request(tier: int, round_reviews: Sequence[tuple[str, str]],
                            stages: Stages = TIER_STAGES) -> tuple[str, ...]:
    """Which reviews to request next, given the (type, status) of a round's reviews.

    Returns the missing reviews of the first stage not yet fully approved, or an
    empty tuple when that stage is still waiting on reviews already requested or
    when every stage is approved (see `round_is_approved`).
    """
    approved = {rtype for rtype, status in round_reviews if status == "approved"}
    requested = {rtype for rtype, _ in round_reviews}
    for stage in stages[tier]:
        if all(rtype in approved for rtype in stage):
            continue
        return tuple(rtype for rtype in stage if rtype not in requested)
    return ()


def round_is_approved(tier: int, round_reviews: Sequence[tuple[str, str]],
                      stages: Stages = TIER_STAGES) -> bool:
    approved = {rtype for rtype, status in round_reviews if status == "approved"}
    return all(rtype in approved for stage in stages[tier] for rtype in stage)


def parse_stages(text: str) -> tuple[tuple[str, ...], ...]:
    """`canon,cultural;coordinator`: stages separated by `;`, review types in one by `,`."""
    from idolq.domain.values import parse_review_type

    stages = tuple(tuple(parse_review_type(name) for name in part.split(",") if name.strip())
                   for part in text.split(";"))
    if not stages or any(not stage for stage in stages):
        raise InvalidValue(f"invalid stages {text!r}: write e.g. 'canon,cultural;coordinator'"
                           " (stages separated by ';', review types in a stage by ',')")
    names = [name for stage in stages for name in stage]
    if len(set(names)) != len(names):
        raise InvalidValue(f"invalid stages {text!r}: a review type appears twice")
    return stages


def check_stage_types(stages: Sequence[Sequence[str]], reviewers: Mapping[str, int]) -> None:
    """Every review type a tier asks for must have a reviewer."""
    unknown = sorted({name for stage in stages for name in stage} - set(reviewers))
    if unknown:
        raise InvalidValue(
            f"unknown review type {', '.join(unknown)}: known types are "
            f"{', '.join(sorted(reviewers))}; add one with "
            f"`idolq review policy reviewer TYPE --agent N`")


def check_tier(tier: int | None, stages: Stages) -> int | None:
    """A task's tier must be one the policy defines (or none)."""
    if tier is not None and tier not in stages:
        known = ", ".join(str(t) for t in sorted(stages))
        raise InvalidValue(f"invalid review tier {tier}: use {known} or none")
    return tier
