"""The hot bodies beyond tasks: reviews, and the commands that watch the queue (status,
sla check, events tail). The Typer commands (cli/review.py, root.py, sla.py, events.py) call
them; the fast path finds them through cli/hot.py, which looks them up by name.
"""

from __future__ import annotations

from idolq.cli.errors import exit_with, reporting
from idolq.cli.parsing import resolve_actor

POLL_SECONDS = 0.25
BREACH_EXIT = 3


def review_list(status: str | list[str] | None, agent: int | None, task: str | None,
                limit: int | None, db: str | None, json_: bool) -> None:
    from idolq.cli.views import show_reviews, terminal_cap
    from idolq.domain import values
    from idolq.services.queries import iter_reviews
    from idolq.store.connection import open_database

    with reporting(json_):
        given = [status] if isinstance(status, str) else status or []
        wanted = [values.parse_review_status(s) for s in given]
        task_ref = values.parse_task_ref(task) if task else None
        cap, limit = terminal_cap(values.parse_limit(limit), json_)
        show_reviews(iter_reviews(open_database(db), wanted, agent, task_ref, limit), json_, cap)


def decide(operation: str, reviews: str | list[str], db: str | None, actor: str | None,
           json_: bool, notes: str | None, ds_rating: float | None) -> None:
    """Decide each review given (cli/ids.py), saying what each decision led to."""
    from idolq.cli.ids import Done, for_each_id, show_with_outcomes
    from idolq.cli.views import show_review
    from idolq.domain import values
    from idolq.domain.documents import review_json
    from idolq.services import reviews as service
    from idolq.services.uow import recording
    from idolq.store.connection import open_database

    with reporting(json_):
        notes = values.check_text("notes", notes)
        rating = values.parse_ds_rating(ds_rating)
        conn, who = open_database(db), resolve_actor(actor)

    def act(ident: str) -> Done:
        with recording() as happened:
            decided = getattr(service, operation)(conn, values.parse_review_ref(ident), who,
                                                  notes=notes, ds_rating=rating)
        return Done(review_json(decided),
                    show_with_outcomes(lambda: show_review(decided, False), happened))

    for_each_id([reviews] if isinstance(reviews, str) else reviews, json_, act)


def review_approve(reviews: str | list[str], notes: str | None, ds_rating: float | None,
                   db: str | None, actor: str | None, json_: bool) -> None:
    decide("approve_review", reviews, db, actor, json_, notes, ds_rating)


def review_reject(reviews: str | list[str], notes: str | None, ds_rating: float | None,
                  db: str | None, actor: str | None, json_: bool) -> None:
    decide("reject_review", reviews, db, actor, json_, notes, ds_rating)


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
        moment = parse_optional_moment(at, prefer="future")
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
                db: str | None, json_: bool, after: int | None = None,
                everything: bool = False) -> None:
    """The last `count` events (default 20; all with `everything`; none with 0), or with
    `after` the events after that id; then new ones with `follow`. Piped, a header row
    first; `No events.` when there are none."""
    from idolq.cli import output
    from idolq.cli.parsing import parse_event_type, parse_optional_time
    from idolq.cli.views import EVENT_HEADER, show_event
    from idolq.domain.errors import InvalidValue
    from idolq.services.queries import events_since, iter_last_events, latest_event_id
    from idolq.store.connection import open_database

    with reporting(json_):
        wanted = parse_event_type(event_type)
        since_time = parse_optional_time(since)
        if count is not None and count < 0:
            raise InvalidValue(f"invalid count {count}: it must be 0 or more (or use --all)")
        conn = open_database(db)
        last_id = None if after is None else max(after, 0)
        if everything:
            count = None
        elif count is None and after is None:
            count = 20
        found = (iter_last_events(conn, count, wanted, since_time)
                 if after is None else events_since(conn, after, wanted, count, since_time))
        header, shown = not json_ and not output.use_rich(), False
        for event in found:
            if header:
                output.print_line(EVENT_HEADER)
                header = False
            show_event(event, json_)
            last_id, shown = event.id, True
        if not shown and not follow and not json_:
            output.print_line("No events.")
        if header and follow:
            output.print_line(EVENT_HEADER)
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
