"""The bodies of the commands agents run most, importable without Typer.

The Typer commands (cli/task.py, review.py, root.py, sla.py, events.py) declare the options
and call these; the fast path (cli/fast.py) parses the same options without Typer and calls
the same functions. So each command has one body, whichever path runs it.
"""

from __future__ import annotations

from idolq.cli.errors import exit_with, reporting
from idolq.cli.parsing import resolve_actor

POLL_SECONDS = 0.25
BREACH_EXIT = 3


def task_create(title: str, task_type: str, content_type: str | None, priority: str,
                tier: str | None, agent: int | None, deadline: str | None,
                description: str | None, depends_on: list[str] | None, estimate: float | None,
                db: str | None, actor: str | None, json_: bool) -> None:
    from idolq.cli.parsing import new_task
    from idolq.cli.views import show_task
    from idolq.services.tasks import create_task
    from idolq.store.connection import open_database

    with reporting(json_):
        new = new_task(title, task_type, content_type, priority, tier, agent, deadline,
                       description, depends_on or [], estimate)
        show_task(create_task(open_database(db), new, resolve_actor(actor)), json_)


def transition(operation: str, task: str, db: str | None, actor: str | None, json_: bool,
               options=dict, module: str = "tasks") -> None:
    """Run a task operation of services/<module>.py; `options` parses its own arguments,
    under the same error reporting as everything else."""
    from importlib import import_module

    from idolq.cli.views import show_task
    from idolq.domain.values import parse_task_ref
    from idolq.store.connection import open_database

    with reporting(json_):
        ref, parsed = parse_task_ref(task), options()
        service = import_module(f"idolq.services.{module}")
        changed = getattr(service, operation)(open_database(db), ref, resolve_actor(actor),
                                              **parsed)
        show_task(changed, json_)


def task_start(task: str, db: str | None, actor: str | None, json_: bool) -> None:
    transition("start_task", task, db, actor, json_)


def task_complete(task: str, output: str | None, db: str | None, actor: str | None,
                  json_: bool) -> None:
    from idolq.domain.values import check_text

    transition("complete_task", task, db, actor, json_,
               lambda: {"output_file": check_text("output path", output, 4096)})


def task_show(task: str, db: str | None, json_: bool) -> None:
    from idolq.cli.views import show_task_detail
    from idolq.domain.values import parse_task_ref
    from idolq.services.queries import show_task as query
    from idolq.store.connection import open_database

    with reporting(json_):
        show_task_detail(query(open_database(db), parse_task_ref(task)), json_)


def task_list(status: list[str] | None, agent: int | None, task_type: str | None,
              limit: int | None, db: str | None, json_: bool) -> None:
    from idolq.cli.views import show_tasks, terminal_cap
    from idolq.domain.values import parse_limit, parse_task_status, parse_task_type
    from idolq.services.queries import iter_tasks
    from idolq.store.connection import open_database

    with reporting(json_):
        statuses = [parse_task_status(s) for s in status or []]
        kind = parse_task_type(task_type) if task_type else None
        cap, limit = terminal_cap(parse_limit(limit), json_)
        show_tasks(iter_tasks(open_database(db), statuses, agent, kind, limit), json_, cap)


def task_ready(agent: int | None, limit: int | None, db: str | None, json_: bool) -> None:
    from idolq.cli.views import show_tasks, terminal_cap
    from idolq.domain.values import parse_limit
    from idolq.services.queries import iter_ready_tasks
    from idolq.store.connection import open_database

    with reporting(json_):
        cap, limit = terminal_cap(parse_limit(limit), json_)
        show_tasks(iter_ready_tasks(open_database(db), agent, limit), json_, cap)


def review_list(status: str | None, agent: int | None, task: str | None, limit: int | None,
                db: str | None, json_: bool) -> None:
    from idolq.cli.views import show_reviews, terminal_cap
    from idolq.domain import values
    from idolq.services.queries import iter_reviews
    from idolq.store.connection import open_database

    with reporting(json_):
        wanted = values.parse_review_status(status) if status else None
        task_ref = values.parse_task_ref(task) if task else None
        cap, limit = terminal_cap(values.parse_limit(limit), json_)
        show_reviews(iter_reviews(open_database(db), wanted, agent, task_ref, limit), json_, cap)


def decide(operation: str, review: str, db: str | None, actor: str | None, json_: bool,
           notes: str | None, ds_rating: float | None) -> None:
    from idolq.cli.views import show_review
    from idolq.domain import values
    from idolq.services import reviews
    from idolq.store.connection import open_database

    with reporting(json_):
        review_id = values.parse_review_ref(review)
        notes = values.check_text("notes", notes)
        rating = values.parse_ds_rating(ds_rating)
        decided = getattr(reviews, operation)(open_database(db), review_id, resolve_actor(actor),
                                              notes=notes, ds_rating=rating)
        show_review(decided, json_)


def review_approve(review: str, notes: str | None, ds_rating: float | None, db: str | None,
                   actor: str | None, json_: bool) -> None:
    decide("approve_review", review, db, actor, json_, notes, ds_rating)


def review_reject(review: str, notes: str | None, ds_rating: float | None, db: str | None,
                  actor: str | None, json_: bool) -> None:
    decide("reject_review", review, db, actor, json_, notes, ds_rating)


def status(db: str | None, json_: bool) -> None:
    from idolq.cli.views import show_status
    from idolq.services.queries import status as query
    from idolq.store.connection import open_database

    with reporting(json_):
        show_status(query(open_database(db)), json_)


def sla_check(at: str | None, dry_run: bool, notify: bool, db: str | None, actor: str | None,
              json_: bool) -> None:
    from idolq.cli.parsing import parse_optional_moment
    from idolq.cli.sla_views import show_report
    from idolq.services.sla import check_sla
    from idolq.store.connection import open_database

    with reporting(json_):
        moment = parse_optional_moment(at)
        conn = open_database(db)
        report = check_sla(conn, resolve_actor(actor), moment, dry_run=dry_run)
        show_report(report, json_)
    if notify and not dry_run:
        _deliver_after_check(conn, json_)
    if report.breached:
        raise exit_with(BREACH_EXIT)


def _deliver_after_check(conn, json_: bool) -> None:
    """Send what is due. The check is already committed and reported: a delivery problem
    leaves the notifications queued for the next run and does not change the exit status."""
    import sqlite3
    import sys

    from idolq.domain.errors import IdolqError
    from idolq.services.notify import deliver_due

    try:
        deliver_due(conn)
    except (IdolqError, sqlite3.Error) as error:
        if not json_:
            message = getattr(error, "message", str(error))
            print(f"idolq: warning: notifications stay queued: {message}", file=sys.stderr)


def events_tail(count: int | None, event_type: str | None, since: str | None, follow: bool,
                db: str | None, json_: bool, after: int | None = None) -> None:
    """The last `count` events (default 20), or with `after` the events after that id."""
    from idolq.cli.parsing import parse_event_type, parse_optional_time
    from idolq.cli.views import show_event
    from idolq.services.queries import events_since, iter_last_events, latest_event_id
    from idolq.store.connection import open_database

    with reporting(json_):
        wanted = parse_event_type(event_type)
        since_time = parse_optional_time(since)
        conn = open_database(db)
        last_id = None if after is None else max(after, 0)
        found = (iter_last_events(conn, 20 if count is None else count, wanted, since_time)
                 if after is None else events_since(conn, after, wanted, count, since_time))
        for event in found:
            show_event(event, json_)
            last_id = event.id
        if follow:
            if last_id is None:
                last_id = latest_event_id(conn)
            with stop_on_signals():
                _follow(conn, last_id, wanted, since_time, json_)


def _follow(conn, last_id: int, wanted: str | None, since_time: str | None,
            json_: bool) -> None:
    """Print new events as other processes log them, until interrupted."""
    import time

    from idolq.cli.views import show_event
    from idolq.services.queries import events_after

    while True:
        time.sleep(POLL_SECONDS)
        for event in events_after(conn, last_id, wanted):
            if since_time is None or event.timestamp >= since_time:
                show_event(event, json_)
            last_id = event.id


class stop_on_signals:  # noqa: N801 (used as a context manager)
    """SIGINT or SIGTERM end the loop inside cleanly, with exit status 0."""

    def __enter__(self) -> None:
        import signal

        def interrupt(signum, frame):
            raise KeyboardInterrupt

        self.previous = signal.signal(signal.SIGTERM, interrupt)

    def __exit__(self, exc_type, exc, tb) -> bool:
        import signal

        signal.signal(signal.SIGTERM, self.previous)
        return exc_type is KeyboardInterrupt


NOTHING_TO_DO_EXIT = 4


def _lease_minutes(lease: str | None) -> float | None:
    from idolq.domain.sla import parse_duration_minutes

    return parse_duration_minutes(lease) if lease is not None else None


def task_claim(agent: int | None, lease: str | None, db: str | None, actor: str | None,
               json_: bool) -> None:
    """Exit 4 (and `null` with --json) when there is nothing to claim."""
    from idolq.cli import output
    from idolq.cli.views import show_task
    from idolq.services.claims import claim_task
    from idolq.store.connection import open_database

    with reporting(json_):
        claimed = claim_task(open_database(db), resolve_actor(actor), agent,
                             _lease_minutes(lease))
    if claimed is None:
        output.emit(None, json_, lambda _: output.print_line("Nothing to claim."))
        raise exit_with(NOTHING_TO_DO_EXIT)
    show_task(claimed, json_)


def task_heartbeat(task: str, lease: str | None, db: str | None, actor: str | None,
                   json_: bool) -> None:
    transition("heartbeat_task", task, db, actor, json_,
               lambda: {"lease": _lease_minutes(lease)}, module="claims")


def task_release(task: str, db: str | None, actor: str | None, json_: bool) -> None:
    transition("release_task", task, db, actor, json_, module="claims")
