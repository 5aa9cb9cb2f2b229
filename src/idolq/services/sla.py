"""SLA checks: report every open breach, escalate each one once."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from idolq import clock
from idolq.domain import events
from idolq.domain.documents import review_json, task_json
from idolq.domain.sla import Rule, Standing, deadline_standing, evaluate
from idolq.domain.values import format_time
from idolq.services.queries import snapshot
from idolq.services.sla_policy import usable_rules
from idolq.services.task_edits import resume_due
from idolq.services.uow import UnitOfWork, retried
from idolq.store import sla as sla_store


class Finding:
    """An open item past (or near) its limit."""

    def __init__(self, subject: str, subject_id: int, document: dict, standing: Standing,
                 escalated_at: str | None) -> None:
        self.subject = subject  # "review" or "task"
        self.subject_id = subject_id
        self.document = document
        self.standing = standing
        self.escalated_at = escalated_at

    def as_violation(self) -> dict:
        rule = self.standing.rule
        return {**self.document, "rule": rule.key, "threshold_hours": rule.limit_hours,
                "hours_over": self.standing.hours_over, "escalate_to": rule.escalate_to,
                "due_at": format_time(self.standing.due_at), "escalated_at": self.escalated_at}


class SlaReport:
    """What a check found: breaches by kind, warnings, and how many it escalated."""

    def __init__(self, checked_at: str) -> None:
        self.checked_at = checked_at
        self.reviews: list[Finding] = []
        self.tasks: list[Finding] = []
        self.warnings: list[Finding] = []
        self.problems: list[str] = []  # stored rows (rules, times) it had to skip
        self.new_escalations = 0
        self.released: list[str] = []  # codes of tasks whose lease expired

    @property
    def breached(self) -> bool:
        return bool(self.reviews or self.tasks)


@retried
def check_sla(conn: sqlite3.Connection, actor: str, at: datetime | None = None,
              dry_run: bool = False) -> SlaReport:
    """Evaluate the policy as of `at` (default now); escalate new breaches unless dry_run."""
    moment = at or clock.now()
    if dry_run:
        with snapshot(conn):
            return find_breaches(conn, moment)
    with UnitOfWork(conn, actor, source="sla") as uow:
        from idolq.services.claims import release_expired_leases

        released = [task.code for task in release_expired_leases(uow)]
        resume_due(uow)
        report = find_breaches(conn, moment)
        report.released = released
        for finding in (*report.reviews, *report.tasks):
            if finding.escalated_at is None:
                report.new_escalations += escalate(uow, finding, report.checked_at)
    return report


def find_breaches(conn: sqlite3.Connection, moment: datetime) -> SlaReport:
    policy, problems = usable_rules(conn)
    report = SlaReport(checked_at=format_time(moment))
    report.problems = problems
    for finding in _review_findings(conn, policy, moment, report.problems):
        _file(report, finding, report.reviews)
    for finding in _task_findings(conn, policy, moment, report.problems):
        _file(report, finding, report.tasks)
    for findings in (report.reviews, report.tasks, report.warnings):
        findings.sort(key=lambda f: f.standing.hours_over, reverse=True)
    return report


def _file(report: SlaReport, finding: Finding, breaches: list[Finding]) -> None:
    if finding.standing.breached:
        breaches.append(finding)
    elif finding.standing.warning:
        report.warnings.append(finding)


def _review_findings(conn: sqlite3.Connection, policy: list[Rule], moment: datetime,
                     problems: list[str]):
    rules = {(r.review_type, r.review_tier): r for r in policy if r.subject == "review"}
    for review, tier, escalated_at in sla_store.pending_reviews_with_tier(conn):
        rule = rules.get((review.review_type, tier))
        started = _stored_time(review.requested_at, f"review {review.id}: requested_at",
                               problems)
        if rule is not None and started is not None:
            standing = evaluate(rule, started, moment)
            yield Finding("review", review.id, review_json(review), standing, escalated_at)


def _task_findings(conn: sqlite3.Connection, policy: list[Rule], moment: datetime,
                   problems: list[str]):
    rules = {r.priority: r for r in policy if r.subject == "task"}
    for task, escalated_at in sla_store.open_tasks_with_priorities(conn, sorted(rules)):
        started = _stored_time(task.created_at, f"task {task.code}: created_at", problems)
        if started is not None:
            standing = evaluate(rules[task.priority], started, moment)
            yield Finding("task", task.id, task_json(task), standing, escalated_at)
    # A deadline (any priority) is reported and escalated once as rule `deadline`; the
    # lookahead brings in the tasks near it, for warnings.
    soon = format_time(moment + timedelta(days=7))
    for task, escalated_at in sla_store.open_tasks_with_deadlines(conn, soon):
        started = _stored_time(task.created_at, f"task {task.code}: created_at", problems)
        deadline = _stored_time(task.deadline, f"task {task.code}: deadline", problems)
        if started is not None and deadline is not None:
            standing = deadline_standing(started, deadline, moment)
            yield Finding("task", task.id, task_json(task), standing, escalated_at)


def _stored_time(text: object, what: str, problems: list[str]) -> datetime | None:
    """A time read back from the database; one edited into something else is a problem."""
    try:
        moment = datetime.fromisoformat(text)  # type: ignore[arg-type]
        if moment.tzinfo is not None:
            return moment
    except (TypeError, ValueError):
        pass
    problems.append(f"{what} {text!r} is not a time with an offset; it is skipped")
    return None


def escalate(uow: UnitOfWork, finding: Finding, checked_at: str) -> int:
    """Record the escalation and publish its event, once per review or task ever."""
    rule = finding.standing.rule
    if not sla_store.record_escalation(uow.conn, finding.subject, finding.subject_id, rule.key,
                                       rule.escalate_to, finding.standing.hours_over,
                                       checked_at):
        return 0
    finding.escalated_at = checked_at
    violation = finding.as_violation()
    if finding.subject == "review":
        uow.publish(events.SlaExceeded(violation["id"], violation))
    else:
        uow.publish(events.TaskEscalated(violation["id"], violation["code"], violation))
    return 1
