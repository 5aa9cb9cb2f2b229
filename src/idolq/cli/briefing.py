"""An agent's briefing (`idolq prime`) as JSON and as Markdown for an agent's context."""

from __future__ import annotations

from idolq.domain.documents import agent_json, review_json, task_json

TITLE_CHARS = 80
NOTES_CHARS = 300


def briefing_json(briefing) -> dict:
    """A services.prime.Briefing: the contract's keys, then `totals` (sizes before capping)."""
    return {
        "agent": agent_json(briefing.agent),
        "claimed": [task_json(t) for t in briefing.claimed],
        "ready": [task_json(t) for t in briefing.ready],
        "reviews": [review_json(r) for r in briefing.reviews],
        "returned": [{**task_json(t), "rejections": [_rejection(r) for r in notes]}
                     for t, notes in briefing.returned],
        "warnings": [w._asdict() for w in briefing.warnings],
        "totals": briefing.totals,
    }


def _rejection(review) -> dict:
    return {"review_id": review.id, "review_type": review.review_type,
            "reviewer_agent": review.reviewer_agent, "notes": review.notes,
            "completed_at": review.completed_at}


def _text(value: str | None, limit: int) -> str:
    """User text on one line, control characters shown escaped, shortened to `limit`."""
    if not value:
        return ""
    flat = " ".join(value.split())
    flat = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in flat)
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def _task_line(task, extra: str = "") -> str:
    parts = [f"- **{task.code}** P{task.priority} {_text(task.title, TITLE_CHARS)}"]
    if task.deadline:
        parts.append(f"(deadline {task.deadline})")
    if task.review_tier is not None:
        parts.append(f"[tier {task.review_tier}]")
    return " ".join(parts) + extra


def _more(shown: int, total: int, command: str) -> list[str]:
    return [f"- … and {total - shown} more: `{command}`"] if total > shown else []


def briefing_markdown(briefing) -> str:
    agent, totals = briefing.agent, briefing.totals
    n = agent.number
    lines = [f"# Briefing for agent:{n:02d} ({_text(agent.name, 60)})", "",
             f"At {briefing.at}. {agent.active_tasks} of {agent.max_concurrent_tasks} tasks in "
             "progress. Take the next task with `idolq task claim`; keep a claim alive with "
             "`idolq task heartbeat TASK`; submit with `idolq task complete TASK`."]
    if briefing.warnings:
        lines += ["", "## Warnings", *(f"- {w.message}" for w in briefing.warnings)]
    if briefing.returned:
        lines += ["", f"## Sent back for rework ({totals['returned']})"]
        for task, notes in briefing.returned:
            lines.append(_task_line(task, f" (round {task.review_round})"))
            lines += [f"  - {r.review_type} review {r.id} by agent:{r.reviewer_agent:02d}: "
                      f"{_text(r.notes, NOTES_CHARS)}" for r in notes]
        lines += _more(len(briefing.returned), totals["returned"],
                       f"idolq task list --agent {n} --status in_progress")
    lines += ["", f"## In progress ({totals['claimed']})"]
    lines += [_task_line(t, f" lease until {t.lease_expires_at}" if t.lease_expires_at else "")
              for t in briefing.claimed] or ["- none"]
    lines += _more(len(briefing.claimed), totals["claimed"],
                   f"idolq task list --agent {n} --status in_progress")
    lines += ["", f"## Ready ({totals['ready']})"]
    lines += [_task_line(t) for t in briefing.ready] or ["- nothing ready"]
    lines += _more(len(briefing.ready), totals["ready"], f"idolq task ready --agent {n}")
    lines += ["", f"## Reviews waiting for you ({totals['reviews']})"]
    lines += [f"- review **{r.id}**: {r.review_type} of {r.task_code} (round {r.round}), "
              f"requested {r.requested_at}" for r in briefing.reviews] or ["- none"]
    lines += _more(len(briefing.reviews), totals["reviews"],
                   f"idolq review list --status pending --agent {n}")
    return "\n".join(lines) + "\n"


def show_briefing(briefing, json_mode: bool) -> None:
    from idolq.cli import output

    output.emit(briefing_json(briefing), json_mode,
                lambda _: output.print_line(briefing_markdown(briefing).rstrip("\n")))
