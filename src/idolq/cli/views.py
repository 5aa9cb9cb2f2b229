"""Each kind of result as a JSON document and as human output, side by side."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from idolq.cli import output
from idolq.domain.documents import (
    AGENT_KEYS,
    REVIEW_KEYS,
    TASK_KEYS,
    agent_json,
    commented_json,
    cycle_json,
    demo_json,
    diagnosis_json,
    event_json,
    init_json,
    review_detail_json,
    review_json,
    route_json,
    status_json,
    task_detail_json,
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


def _task_row(task: dict) -> dict:
    return {**task, "priority_label": f"P{task['priority']}"}


def _render_task(task: dict) -> None:
    fields = [("priority_label" if key == "priority" else key, key) for key in TASK_KEYS]
    output.print_record(_task_row(task), fields, title=f"{task['code']}: {task['title']}")


TERMINAL_LIMIT = 30  # rows a listing shows a person on a terminal without --limit


def terminal_cap(limit: int | None, json_mode: bool) -> tuple[int | None, int | None]:
    """(cap, limit to read). A person on a terminal who gave no --limit sees the first
    TERMINAL_LIMIT rows and a note if there are more (one more row is read to know);
    --json, pipes and files always get every row."""
    if limit is None and not json_mode and output.is_terminal():
        return TERMINAL_LIMIT, TERMINAL_LIMIT + 1
    return None, limit


def table_of(columns, cap: int | None, noun: str, row=lambda document: document):
    """A renderer for rows as they come; with a cap, at most `cap` rows, then a note on
    stderr if more matched."""
    def render(documents: Iterable[dict]) -> None:
        rows = map(row, documents)
        empty = f"No {noun}."
        if cap is None:
            output.print_table(rows, columns, empty=empty)
            return
        first = list(islice(rows, cap + 1))
        output.print_table(first[:cap], columns, empty=empty)
        if len(first) > cap:
            output.print_note(f"Showing the first {cap} {noun}; more match: use --limit N or "
                              "a filter to see others (--json and pipes get them all).")
    return render


def _render_review(review: dict) -> None:
    output.print_record(review, [(key, key) for key in REVIEW_KEYS],
                        title=f"Review {review['id']} ({review['review_type']}) of "
                              f"{review['task_code']}")


def _render_agents(agents: list[dict]) -> None:
    output.print_table(agents, AGENT_COLUMNS, empty="No agents.")


def show_task(task: Task, json_mode: bool) -> None:
    output.emit(task_json(task), json_mode, _render_task)


def show_tasks(tasks: Iterable[Task], json_mode: bool, cap: int | None = None) -> None:
    """Tasks as they come from the cursor: a JSON array written item by item, or a table."""
    output.emit_rows(map(task_json, tasks), json_mode,
                     table_of(TASK_COLUMNS, cap, "tasks", _task_row))


def show_review(review: Review, json_mode: bool) -> None:
    output.emit(review_json(review), json_mode, _render_review)


def show_reviews(reviews: Iterable[Review], json_mode: bool, cap: int | None = None) -> None:
    """Reviews as they come from the cursor (see show_tasks)."""
    output.emit_rows(map(review_json, reviews), json_mode,
                     table_of(REVIEW_COLUMNS, cap, "reviews"))


def show_agent(agent: Agent, json_mode: bool) -> None:
    output.emit(agent_json(agent), json_mode, lambda doc: output.print_record(
        doc, [(key, key) for key in AGENT_KEYS], title=f"Agent {doc['number']}: {doc['name']}"))


def show_agents(agents: list[Agent], json_mode: bool) -> None:
    output.emit([agent_json(agent) for agent in agents], json_mode, _render_agents)


def event_line(event: dict) -> str:
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


def show_event(event: Event, json_mode: bool) -> None:
    output.emit_line(event_json(event), json_mode, event_line)


def _render_task_detail(detail: dict) -> None:
    """The task, its reviews, their notes in full (why work came back), comments, history."""
    _render_task({key: detail[key] for key in TASK_KEYS})
    if detail["reviews"]:
        output.print_line("")
        output.print_table(detail["reviews"], REVIEW_COLUMNS[:-1], title="Reviews")
    noted = [r for r in detail["reviews"] if r["notes"]]
    if noted:
        output.print_line("\nReview notes")
        for review in noted:
            output.print_line(f"  review {review['id']} ({review['review_type']}, round "
                              f"{review['round']}, {review['status']}): {review['notes']}")
    if detail["comments"]:
        output.print_line("\nComments")
        for comment in detail["comments"]:
            output.print_line(f"  {output.compact_time(comment['timestamp'])}  "
                              f"{comment['actor']}: {comment['text']}")
    output.print_line("\nHistory")
    for event in detail["history"]:
        output.print_line(event_line(event))


def show_task_detail(detail, json_mode: bool) -> None:
    """`task show`: the task, its reviews, comments and history (a queries.TaskDetail)."""
    output.emit(task_detail_json(detail), json_mode, _render_task_detail)


def _render_review_detail(detail: dict) -> None:
    _render_review({key: detail[key] for key in REVIEW_KEYS})
    output.print_line("")
    _render_task(detail["task"])


def show_review_detail(detail, json_mode: bool) -> None:
    """`review show`: the review and the task it is about (a queries.ReviewDetail)."""
    output.emit(review_detail_json(detail), json_mode, _render_review_detail)


def _render_routes(routes: list[dict]) -> None:
    output.print_table([{**r, "content_type": r["content_type"] or "(any)"} for r in routes],
                       ROUTE_COLUMNS, empty="No routing rules.")


def show_routes(rules, json_mode: bool) -> None:
    """`route list|set|remove`: the routing rules, which are also the vocabulary."""
    output.emit([route_json(rule) for rule in rules], json_mode, _render_routes)


def show_comment(result, json_mode: bool) -> None:
    """`task comment`: a task_edits.Commented."""
    output.emit(commented_json(result), json_mode, lambda doc: output.print_line(
        f"Commented on {doc['task']['code']} (comment {doc['comment']['id']})"))


def show_init(result, json_mode: bool) -> None:
    """`init`: a setup.InitResult."""
    verb = "Created" if result.created else "Up to date:"
    output.emit(init_json(result), json_mode, lambda doc: output.print_line(
        f"{verb} {doc['db']} (schema version {doc['schema_version']}, {doc['agents']} agents)"))


def _render_status(status: dict) -> None:
    counts = [{"kind": "tasks", **status["tasks"]}, {"kind": "reviews", **status["reviews"]}]
    output.print_table(counts[:1], [("kind", ""), *((s, s) for s in status["tasks"])])
    output.print_table(counts[1:], [("kind", ""), *((s, s) for s in status["reviews"])])
    _render_agents(status["agents"])


def show_status(status, json_mode: bool) -> None:
    """`status`: a queries.Status."""
    output.emit(status_json(status), json_mode, _render_status)


def _render_demo(demo: dict) -> None:
    for number, step in enumerate(demo["steps"], 1):
        output.print_line(f"{number:>2}. {step['actor']:<11} {step['action']:<48} -> "
                          f"{step['outcome']}")
    if demo["db"]:
        output.print_line(f"\nThe demo database is kept at {demo['db']}")


def show_demo(db: str | None, steps: list, json_mode: bool) -> None:
    """`demo`: the steps walked through, and where the database is kept if it is."""
    output.emit(demo_json(db, steps), json_mode, _render_demo)


def show_version(version: str, json_mode: bool) -> None:
    output.emit({"version": version}, json_mode,
                lambda doc: output.print_line(f"idolq {doc['version']}"))


def show_cycle(cycle, json_mode: bool) -> None:
    """One `daemon` cycle: a JSON line on stdout, or a line of the log on stderr."""
    if json_mode:
        output.print_json_line(cycle_json(cycle))
    else:
        output.print_log(cycle.line())


DIAGNOSIS_FIELDS = (("db", "Database"), ("backend", "Backend"), ("size_bytes", "Size (bytes)"),
                    ("schema_version", "Schema version"), ("integrity", "Integrity"),
                    ("journal_mode", "Journal mode"))
SERVER_FIELDS = (("version", "Server version"), ("answers", "Answers"),
                 ("round_trip_ms", "Round trip (ms)"), ("connections", "Connections"),
                 ("longest_lock_wait_seconds", "Longest lock wait (s)"))


def _render_diagnosis(diagnosis: dict) -> None:
    server = diagnosis["server"]
    if server is None:
        output.print_record(diagnosis, DIAGNOSIS_FIELDS)
    else:  # no file of its own: what the server says instead
        in_use, most = server["connections"], server["max_connections"]
        output.print_record({**diagnosis, **server, "connections": None if in_use is None
                             else f"{in_use} of {most}"},
                            DIAGNOSIS_FIELDS[:4] + SERVER_FIELDS)
    count = len(diagnosis["problems"])
    output.print_line("No problems found." if not count else f"{count} problem(s):")
    for problem in diagnosis["problems"]:
        output.print_line(f"  - {problem['check']}: {problem['message']}")


def show_diagnosis(diagnosis, json_mode: bool) -> None:
    """`doctor`: a services.doctor.Diagnosis."""
    output.emit(diagnosis_json(diagnosis), json_mode, _render_diagnosis)


def review_policy_json(policy) -> dict:
    """A domain.policy.ReviewPolicy as `review policy` prints it."""
    return {"tiers": [{"tier": tier, "stages": [list(stage) for stage in stages]}
                      for tier, stages in sorted(policy.stages.items())],
            "reviewers": [{"review_type": name, "reviewer_agent": agent}
                          for name, agent in sorted(policy.reviewers.items())]}


def _render_review_policy(document: dict) -> None:
    output.print_table([{"tier": t["tier"], "stages": " then ".join(
        " + ".join(stage) for stage in t["stages"])} for t in document["tiers"]],
        (("tier", "Tier"), ("stages", "Stages")))
    output.print_table(document["reviewers"],
                       (("review_type", "Review type"), ("reviewer_agent", "Reviewer")))


def show_review_policy(policy, json_mode: bool) -> None:
    output.emit(review_policy_json(policy), json_mode, _render_review_policy)
