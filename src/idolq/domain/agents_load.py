"""Each agent's load: its work in progress against its limit, reviews waiting, busy hours."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from idolq.domain.model import Agent


class AgentLoad(NamedTuple):
    number: int
    name: str
    active_tasks: int
    max_concurrent_tasks: int
    pending_reviews: int
    busy_hours_per_day: float
    is_active: bool

    @property
    def load_pct(self) -> float:
        if not self.max_concurrent_tasks:
            return 0.0
        return round(100 * self.active_tasks / self.max_concurrent_tasks, 1)


def agent_loads(agents: Sequence[Agent], busy: dict[str, float]) -> list[AgentLoad]:
    return [AgentLoad(a.number, a.name, a.active_tasks, a.max_concurrent_tasks,
                      a.pending_reviews, busy.get(str(a.number), 0.0), a.is_active)
            for a in agents]
