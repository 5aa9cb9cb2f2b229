"""Each kind of result as a JSON document and as human output, side by side."""

from __future__ import annotations

from idolq.cli import output
from idolq.domain.documents import (
    REVIEW_KEYS,
    TASK_KEYS,
    agent_json,
    comment_json,
    event_json,
    review_json,
    route_json,
    task_json,
)
from idolq.domain.model import Agent, Event, Review, Task

TASK_COLUMNS = (("code", "Code"), ("status", "Status"), ("priority_label", "Pri"),
                ("assigned_agent", "Agent"), ("review_tier", "Tier"), ("title", "Title"),
                ("deadline", "Deadline"), ("blocked_by", "Blocked by"))
REVIEW_COLUMNS = (("id", "Review"), ("task_code", "Task"), ("review_type", "Type"),
                  ("reviewer_agent", "Reviewer"), ("round", "Round"), ("status", "Status"),
                  ("requested_at", "Requested"), ("review_time_minutes", "Minutes"),
                  ("notes", "Notes"))
ROUTE_COLUMNS = (("task_type", "Task type"), ("content_type", "Content type"),
                 ("agent", "Agent"))
AGENT_COLUMNS = (("number", "#"), ("name", "Name"), ("active_tasks", "Active"),
                 ("max_concurrent_tasks", "Max"), ("pending_reviews", "Reviews"),
                 ("available", "Available"))


def _task_row(task: Task) -> dict:
    return {**task_json(task), "priority_label": f"P{task.priority}"}


def show_task(task: Task, json_mode: bool) -> None:
    if json_mode:
        output.print_json(task_json(task))
        return
    fields = [("priority_label" if key == "priority" else key, key) for key in TASK_KEYS]
    output.print_record(_task_row(task), fields, title=f"{task.code}: {task.title}")


def show_tasks(tasks: list[Task], json_mode: bool) -> None:
    if json_mode:
        output.print_json([task_json(task) for task in tasks])
        return
    output.print_table([_task_row(task) for task in tasks], TASK_COLUMNS, empty="No tasks.")


def show_review(review: Review, json_mode: bool) -> None:
    if json_mode:
        output.print_json(review_json(review))
        return
    output.print_record(review_json(review), [(key, key) for key in REVIEW_KEYS],
                        title=f"Review {review.id} ({review.review_type}) of {review.task_code}")


def show_reviews(reviews: list[Review], json_mode: bool) -> None:
    if json_mode:
        output.print_json([review_json(review) for review in reviews])
        return
    output.print_table([review_json(review) for review in reviews], REVIEW_COLUMNS,
                       empty="No reviews.")


def show_agents(agents: list[Agent], json_mode: bool) -> None:
    if json_mode:
        output.print_json([agent_json(agent) for agent in agents])
        return
    output.print_table([agent_json(agent) for agent in agents], AGENT_COLUMNS,
                       empty="No agents.")


def show_event(event: Event, json_mode: bool) -> None:
    if json_mode:
        output.print_json_line(event_json(event))
    else:
        output.print_line(event_line(event))


def event_line(event: Event) -> str:
    """One aligned line (a terminal) or one tab-separated line (a pipe)."""
    from idolq.cli.events_views import event_fields

    when, number, kind, subject, actor, detail = event_fields(event)
    if not output.use_rich():
        return "\t".join(output.tsv_cell(v) for v in (number, when, kind, subject, actor,
                                                      detail))
    line = (f"{output.compact_time(when):>12}  #{number:<5} {kind:<18} {subject:<22} "
            f"{actor}")
    return f"{line}  {detail}" if detail else line


EVENT_HEADER = "ID\tTIMESTAMP\tTYPE\tSUBJECT\tACTOR\tDETAIL"


def show_task_detail(detail, json_mode: bool) -> None:
    """`task show`: the task, its reviews (with their notes), comments and history."""
    if json_mode:
        output.print_json(task_detail_json(detail))
        return
    show_task(detail.task, json_mode=False)
    if detail.reviews:
        output.print_line("")
        output.print_table([review_json(r) for r in detail.reviews], REVIEW_COLUMNS[:-1],
                           title="Reviews")
    noted = [r for r in detail.reviews if r.notes]
    if noted:  # in full: why work was sent back is the point
        output.print_line("\nReview notes")
        for review in noted:
            output.print_line(f"  review {review.id} ({review.review_type}, round "
                              f"{review.round}, {review.status}): {review.notes}")
    if detail.comments:
        output.print_line("\nComments")
        for comment in detail.comments:
            output.print_line(f"  {output.compact_time(comment.timestamp)}  {comment.actor}: "
                              f"{comment.text}")
    output.print_line("\nHistory")
    for event in detail.history:
        output.print_line(event_line(event))


def task_detail_json(detail) -> dict:
    return {**task_json(detail.task), "reviews": [review_json(r) for r in detail.reviews],
            "history": [event_json(e) for e in detail.history],
            "comments": [comment_json(c) for c in detail.comments]}


def review_detail_json(detail) -> dict:
    return {**review_json(detail.review), "task": task_json(detail.task)}


def show_review_detail(detail, json_mode: bool) -> None:
    """`review show`: the review and the task it is about."""
    if json_mode:
        output.print_json(review_detail_json(detail))
        return
    show_review(detail.review, json_mode=False)
    output.print_line("")
    show_task(detail.task, json_mode=False)


def show_routes(rules, json_mode: bool) -> None:
    """`route list|set|remove`: the routing rules, which are also the vocabulary."""
    documents = [route_json(rule) for rule in rules]
    if json_mode:
        output.print_json(documents)
        return
    output.print_table([{**d, "content_type": d["content_type"] or "(any)"} for d in documents],
                       ROUTE_COLUMNS, empty="No routing rules.")


def show_comment(result, json_mode: bool) -> None:
    """`task comment`: a task_edits.Commented."""
    if json_mode:
        output.print_json({"task": task_json(result.task),
                           "comment": comment_json(result.comment)})
        return
    output.print_line(f"Commented on {result.task.code} (comment {result.comment.id})")


def show_init(result, json_mode: bool) -> None:
    """`init`: a setup.InitResult."""
    document = {"db": result.db, "schema_version": result.schema_version,
                "agents": result.agents}
    if json_mode:
        output.print_json(document)
        return
    verb = "Created" if result.created else "Up to date:"
    output.print_line(f"{verb} {result.db} (schema version {result.schema_version}, "
                      f"{result.agents} agents)")


def show_status(status, json_mode: bool) -> None:
    """`status`: a queries.Status."""
    if json_mode:
        output.print_json({"tasks": status.tasks, "reviews": status.reviews,
                           "agents": [agent_json(a) for a in status.agents]})
        return
    counts = [{"kind": "tasks", **status.tasks}, {"kind": "reviews", **status.reviews}]
    output.print_table(counts[:1], [("kind", ""), *((s, s) for s in status.tasks)])
    output.print_table(counts[1:], [("kind", ""), *((s, s) for s in status.reviews)])
    show_agents(status.agents, json_mode=False)


def show_demo_step(number: int, step, json_mode: bool) -> None:
    if not json_mode:
        output.print_line(f"{number:>2}. {step.actor:<11} {step.action:<48} -> {step.outcome}")


DIAGNOSIS_FIELDS = (("db", "Database"), ("backend", "Backend"), ("size_bytes", "Size (bytes)"),
                    ("schema_version", "Schema version"), ("integrity", "Integrity"),
                    ("journal_mode", "Journal mode"))


def show_diagnosis(diagnosis, json_mode: bool) -> None:
    """`doctor`: a services.doctor.Diagnosis."""
    document = {"db": diagnosis.db, "backend": diagnosis.backend,
                "schema_version": diagnosis.schema_version, "integrity": diagnosis.integrity,
                "journal_mode": diagnosis.journal_mode, "size_bytes": diagnosis.size_bytes,
                "problems": diagnosis.problems}
    if json_mode:
        output.print_json(document)
        return
    output.print_record(document, DIAGNOSIS_FIELDS)
    count = len(diagnosis.problems)
    output.print_line("No problems found." if not count else f"{count} problem(s):")
    for problem in diagnosis.problems:
        output.print_line(f"  - {problem['check']}: {problem['message']}")
