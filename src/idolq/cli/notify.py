"""`idolq notify ...`"""

from typing import Annotated

import typer

from idolq.cli.errors import reporting
from idolq.cli.group import command_group
from idolq.cli.options import ActorOpt, DbOpt, JsonOpt, LimitOpt, resolve_actor

app = command_group("notify", "Send events (escalations first) to people: webhooks, commands.")

TARGET_COLUMNS = (("id", "Id"), ("trigger_event", "On"), ("action_type", "Kind"),
                  ("where", "Target"), ("is_active", "Active"), ("here", "Status"),
                  ("last_triggered", "Last sent"))
NOTIFICATION_COLUMNS = (("id", "Id"), ("event_type", "Event"), ("event_id", "Event id"),
                        ("trigger_id", "Target"), ("shown_status", "Status"),
                        ("attempts", "Tries"), ("next_attempt_at", "Next try"),
                        ("last_error", "Last error"))
TargetArg = Annotated[int, typer.Argument(help="Target id.")]


@app.command("add")
def add(
    on: Annotated[str, typer.Option(help="Event type, a family (task.*) or *.")],
    webhook: Annotated[str | None, typer.Option(metavar="URL", help="POST JSON here.")] = None,
    command: Annotated[str | None, typer.Option(
        metavar="CMD", help="Run this, with the event as JSON on stdin.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="json (Slack and Discord compatible), "
                                     "slack, discord or raw.")] = "json",
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the target.")] = 10.0,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Subscribe a webhook or a command to an event type.

    Example: idolq notify add --on sla.exceeded --webhook https://chat.example/hook
    """
    from idolq.cli.parsing import parse_command_line, parse_event_type
    from idolq.services.notify_targets import add_target
    from idolq.store.connection import open_database

    with reporting(json_):
        pattern = "*" if on.strip() == "*" else parse_event_type(on)
        argv = parse_command_line(command)
        target = add_target(open_database(db), pattern, resolve_actor(actor), url=webhook,
                            command=argv, fmt=fmt, timeout=timeout)
        _show_targets([target], json_, single=True)


@app.command("targets")
def targets(db: DbOpt = None, json_: JsonOpt = False) -> None:
    """List notification targets.

    Example: idolq notify targets
    """
    from idolq.services.notify_targets import list_targets
    from idolq.store.connection import open_database

    with reporting(json_):
        _show_targets(list_targets(open_database(db)), json_)


@app.command("remove")
def remove(target: TargetArg, db: DbOpt = None,
           actor: ActorOpt = None, json_: JsonOpt = False) -> None:
    """Stop sending to a target (its unsent notifications are dropped).

    Example: idolq notify remove 2
    """
    from idolq.cli import output
    from idolq.services.notify_targets import remove_target
    from idolq.store.connection import open_database

    with reporting(json_):
        remove_target(open_database(db), target, resolve_actor(actor))
        output.emit({"removed": target}, json_, lambda doc: output.print_line(
            f"Removed target {doc['removed']}"))


@app.command("allow")
def allow(target: TargetArg, db: DbOpt = None, json_: JsonOpt = False) -> None:
    """Let this target's command run when you deliver (kept in your own configuration).

    Example: idolq notify allow 2
    """
    _allow(target, db, json_, allow=True)


@app.command("disallow")
def disallow(target: TargetArg, db: DbOpt = None, json_: JsonOpt = False) -> None:
    """Stop this target's command from running when you deliver (it stays queued).

    Example: idolq notify disallow 2
    """
    _allow(target, db, json_, allow=False)


def _allow(target: int, db, json_: bool, allow: bool) -> None:
    from idolq.services.notify_targets import allow_target
    from idolq.store.connection import open_database

    with reporting(json_):
        _show_targets([allow_target(open_database(db), target, allow)], json_, single=True)


@app.command("list")
def list_(
    status: Annotated[str | None, typer.Option(help="pending, sending, sent or failed.")] = None,
    limit: LimitOpt = None, db: DbOpt = None, json_: JsonOpt = False,
) -> None:
    """Notifications in the outbox: pending, failed and sent.

    Example: idolq notify list --status failed
    """
    from idolq.cli import output
    from idolq.cli.views import table_of, terminal_cap
    from idolq.domain.errors import InvalidValue
    from idolq.domain.values import parse_limit
    from idolq.services.notify import iter_notifications
    from idolq.store.connection import open_database

    with reporting(json_):
        if status is not None and status not in ("pending", "sending", "sent", "failed"):
            raise InvalidValue(f"invalid status {status!r}: use pending, sending, sent or failed")
        cap, limit = terminal_cap(parse_limit(limit), json_)
        rows = iter_notifications(open_database(db), status, limit)
        output.emit_rows(rows, json_, table_of(NOTIFICATION_COLUMNS, cap, "notifications",
                                               _shown_notification))


@app.command("retry")
def retry(
    ids: Annotated[list[int] | None, typer.Argument(help="Notification ids (default: all "
                                                     "failed).")] = None,
    send: Annotated[bool, typer.Option(help="Send them now.")] = True,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Put failed notifications back in the queue (and send them now).

    Example: idolq notify retry
    """
    from idolq.services.notify import deliver_due, retry
    from idolq.store.connection import open_database

    with reporting(json_):
        conn = open_database(db)
        requeued = retry(conn, ids or None, resolve_actor(actor))
        report = deliver_due(conn) if send else None
        _show_delivery(report, json_, requeued=requeued)


@app.command("send")
def send(db: DbOpt = None, json_: JsonOpt = False) -> None:
    """Deliver the notifications that are due now.

    Example: idolq notify send
    """
    from idolq.services.notify import deliver_due
    from idolq.store.connection import open_database

    with reporting(json_):
        _show_delivery(deliver_due(open_database(db)), json_)


def _render_targets(rows: list[dict]) -> None:
    import shlex

    from idolq.cli import output

    for row in rows:
        config = row["action_config"] or {}
        row["where"] = config.get("url") or shlex.join(config.get("command", [])) or None
        row["here"] = _target_status(row)
    output.print_table(rows, TARGET_COLUMNS)


def _target_status(row: dict) -> str:
    if row["status"] == "broken":
        return f"broken: {row['problem']}"
    if row["status"] == "not_allowed_here":
        return f"not allowed here: {row['problem']}"
    return "allowed" if row["action_type"] == "command" else "ok"


def _shown_notification(row: dict) -> dict:
    waiting = row["status"] == "pending" and row["target_status"] != "ok"
    shown = f"pending ({row['target_status'].replace('_', ' ')})" if waiting else row["status"]
    return {**row, "shown_status": shown}


def _show_targets(rows: list[dict], json_mode: bool, single: bool = False) -> None:
    from idolq.cli import output

    if single:
        output.emit(rows[0], json_mode, lambda row: _render_targets([row]))
    else:
        output.emit(rows, json_mode, _render_targets)


def _show_delivery(report, json_mode: bool, requeued: list[int] | None = None) -> None:
    from idolq.cli import output
    from idolq.domain.documents import delivery_json

    if report and report.not_allowed and not json_mode:
        import sys

        print(f"idolq: warning: {report.not_allowed} notification(s) wait for a command you"
              " have not allowed (see `idolq notify targets`)", file=sys.stderr)
    output.emit(delivery_json(report, requeued), json_mode, lambda doc: output.print_line(
        ", ".join(f"{k}: {len(v) if isinstance(v, list) else v}" for k, v in doc.items())))
