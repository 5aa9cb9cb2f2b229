"""SLA results as JSON documents and as human output."""

from __future__ import annotations

from idolq.cli import output
from idolq.domain.documents import review_times_json, rule_json, sla_report_json
from idolq.domain.sla import format_minutes

BREACH_COLUMNS = (("kind", "Kind"), ("subject", "Item"), ("detail", "Type"),
                  ("over", "Over by"), ("limit", "Limit"), ("escalate_to", "Escalates to"),
                  ("escalated_at", "Escalated at"))
POLICY_COLUMNS = (("rule", "Rule"), ("limit", "Limit"), ("escalate_to", "Escalates to"))
STATS_COLUMNS = (("review_type", "Review type"), ("count", "Count"),
                 ("average_minutes", "Avg min"), ("median_minutes", "Median"),
                 ("p90_minutes", "p90"), ("max_minutes", "Max"), ("met", "Met limit"))


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
    """`sla check`: the human rendering works from the findings (how far over, the rule)."""
    output.emit(sla_report_json(report), json_mode, lambda _: _render_report(report))


def _render_report(report) -> None:
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
    if report.released:
        output.print_line(f"Released (lease expired): {', '.join(report.released)}")


def _render_policy(rules: list[dict]) -> None:
    output.print_table([{**r, "limit": format_minutes(r["limit_minutes"])} for r in rules],
                       POLICY_COLUMNS)


def show_policy(rules, json_mode: bool, single: bool = False) -> None:
    documents = [rule_json(r) for r in rules]
    if single:
        output.emit(documents[0], json_mode, lambda rule: _render_policy([rule]))
    else:
        output.emit(documents, json_mode, _render_policy)


def show_removed_rule(key: str, json_mode: bool) -> None:
    output.emit({"removed": key}, json_mode, lambda doc: output.print_line(
        f"Removed {doc['removed']}"))


def _render_stats(stats: dict) -> None:
    table = [{**r, "met": f"{r['met_limit']}/{r['with_limit']}"
              + (f" ({r['met_percent']:g}%)" if r["met_percent"] is not None else "")}
             for r in stats["review_types"]]
    since = stats["since"]
    output.print_table(table, STATS_COLUMNS,
                       title=f"Review times since {since}" if since else "Review times")


def show_stats(rows, since: str | None, json_mode: bool) -> None:
    output.emit(review_times_json(rows, since), json_mode, _render_stats)
