"""SLA results as JSON documents and as human output."""

from __future__ import annotations

from idolq.cli import output
from idolq.domain.sla import format_minutes

BREACH_COLUMNS = (("kind", "Kind"), ("subject", "Item"), ("detail", "Type"),
                  ("over", "Over by"), ("limit", "Limit"), ("escalate_to", "Escalates to"),
                  ("escalated_at", "Escalated at"))
POLICY_COLUMNS = (("rule", "Rule"), ("limit", "Limit"), ("escalate_to", "Escalates to"))
STATS_COLUMNS = (("review_type", "Review type"), ("count", "Count"),
                 ("average_minutes", "Avg min"), ("median_minutes", "Median"),
                 ("p90_minutes", "p90"), ("max_minutes", "Max"), ("met", "Met limit"))


def report_json(report) -> dict:
    return {
        "checked_at": report.checked_at,
        "review_violations": len(report.reviews),
        "task_violations": len(report.tasks),
        "new_escalations": report.new_escalations,
        "reviews": [f.as_violation() for f in report.reviews],
        "tasks": [f.as_violation() for f in report.tasks],
        "warnings": [{"kind": f.subject, **f.as_violation()} for f in report.warnings],
        "problems": report.problems,
    }


def _row(finding) -> dict:
    doc = finding.as_violation()
    if finding.subject == "review":
        subject, detail = f"review {doc['id']} of {doc['task_code']}", doc["review_type"]
    else:
        subject, detail = f"{doc['code']}: {doc['title']}", f"P{doc['priority']}"
        if doc["rule"] == "deadline":
            detail = "deadline"
    span = _span(abs(finding.standing.hours_over))
    return {"kind": finding.subject, "subject": subject, "detail": detail,
            "over": span if finding.standing.breached else f"due in {span}",
            "limit": (f"by {output.compact_time(doc['deadline'])}" if doc["rule"] == "deadline"
                      else format_minutes(finding.standing.rule.limit_minutes)),
            "escalate_to": doc["escalate_to"], "escalated_at": doc["escalated_at"]}


def _span(hours: float) -> str:
    if hours < 1:
        return f"{hours * 60:.0f}m"
    if hours < 48:
        return f"{hours:.1f}h"
    return f"{hours / 24:.1f}d"


def show_report(report, json_mode: bool) -> None:
    if json_mode:
        output.print_json(report_json(report))
        return
    breaches = sorted((*report.reviews, *report.tasks), key=lambda f: f.standing.hours_over,
                      reverse=True)
    if breaches:
        output.print_table([_row(f) for f in breaches], BREACH_COLUMNS,
                           title=f"SLA breaches at {report.checked_at}")
    else:
        output.print_line(f"No open SLA breach at {report.checked_at}.")
    if report.warnings:
        output.print_table([_row(f) for f in report.warnings], BREACH_COLUMNS,
                           title="Nearing their limit (80%)")
    output.print_line(f"{len(breaches)} open breach(es), {report.new_escalations} newly "
                      "escalated.")
    for problem in report.problems:
        output.print_line(f"Problem: {problem}")


def rule_json(rule) -> dict:
    return {"rule": rule.key, "subject": rule.subject, "review_type": rule.review_type,
            "review_tier": rule.review_tier, "priority": rule.priority,
            "limit_minutes": rule.limit_minutes, "limit_hours": rule.limit_hours,
            "escalate_to": rule.escalate_to}


def show_policy(rules, json_mode: bool, single: bool = False) -> None:
    if json_mode:
        output.print_json(rule_json(rules[0]) if single else [rule_json(r) for r in rules])
        return
    output.print_table([{**rule_json(r), "limit": format_minutes(r.limit_minutes)}
                        for r in rules], POLICY_COLUMNS)


def stats_json(row) -> dict:
    return {"review_type": row.review_type, "count": row.count,
            "average_minutes": row.average_minutes, "median_minutes": row.median_minutes,
            "p90_minutes": row.p90_minutes, "max_minutes": row.max_minutes,
            "met_limit": row.met_limit, "with_limit": row.with_limit,
            "met_percent": row.met_percent}


def show_stats(rows, since: str | None, json_mode: bool) -> None:
    if json_mode:
        output.print_json({"since": since, "review_types": [stats_json(r) for r in rows]})
        return
    table = [{**stats_json(r), "met": f"{r.met_limit}/{r.with_limit}"
              + (f" ({r.met_percent:g}%)" if r.met_percent is not None else "")} for r in rows]
    output.print_table(table, STATS_COLUMNS,
                       title=f"Review times since {since}" if since else "Review times")
