"""The notification outbox: written with the event, sent after commit, retried, never lost."""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from freezegun import freeze_time

from idolq.domain.errors import InvalidTransition, InvalidValue
from idolq.services import notify
from idolq.services.sla import check_sla
from idolq.store.connection import open_database
from idolq.store.dialect import SQLITE, dialect_of
from idolq.store.transaction import transaction

from helpers import create, submit

OVERDUE = "2026-01-09T12:00:00Z"


class Hook:
    """An HTTP server on 127.0.0.1 that fails its first `failures` requests."""

    def __init__(self, failures: int = 0, on_request=None):
        self.failures = failures
        self.bodies: list[dict] = []
        self.on_request = on_request
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                hook.bodies.append(body)
                if hook.on_request:
                    hook.on_request()
                failing = len(hook.bodies) <= hook.failures
                self.send_response(500 if failing else 200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _breach(conn) -> None:
    """One coordinator review, overdue at OVERDUE, escalated by a check then."""
    with freeze_time("2026-01-09T10:00:00Z"):
        task = create(conn, review_tier=3)
        submit(conn, task.id)
    with freeze_time(OVERDUE):
        assert check_sla(conn, "cron").new_escalations == 1


def test_the_outbox_row_is_written_in_the_same_transaction_as_its_event(conn):
    notify.add_target(conn, "sla.exceeded", "human:lead", url="http://127.0.0.1:9/x")
    _breach(conn)
    rows = conn.execute("SELECT n.status, e.event_type FROM notifications n JOIN event_log e"
                        " ON e.id = n.event_id").fetchall()
    assert [tuple(r) for r in rows] == [("pending", "sla.exceeded")]


def test_events_nobody_subscribed_to_make_no_notifications(conn):
    notify.add_target(conn, "task.escalated", "human:lead", url="http://127.0.0.1:9/x")
    _breach(conn)
    assert conn.execute("SELECT COUNT(*) FROM notifications").fetchone()[0] == 0


def test_a_family_pattern_subscribes_to_every_event_of_the_family(conn):
    notify.add_target(conn, "review.*", "human:lead", url="http://127.0.0.1:9/x")
    task = create(conn, review_tier=3)
    submit(conn, task.id)
    kinds = [r[0] for r in conn.execute("SELECT e.event_type FROM notifications n JOIN event_log"
                                        " e ON e.id = n.event_id")]
    assert kinds == ["review.requested"]


def test_a_webhook_that_fails_first_is_retried_with_backoff_and_then_delivered(conn):
    with Hook(failures=1) as hook:
        notify.add_target(conn, "sla.exceeded", "human:lead", url=hook.url)
        _breach(conn)
        with freeze_time(OVERDUE):
            first = notify.deliver_due(conn)
            assert (first.sent, first.retrying) == (0, 1)
            pending = notify.list_notifications(conn)[0]
            assert (pending["status"], pending["attempts"]) == ("pending", 1)
            assert pending["next_attempt_at"] == "2026-01-09T12:00:30+00:00"
            assert "HTTP 500" in pending["last_error"]
            assert notify.deliver_due(conn).sent == 0  # not due yet
        with freeze_time("2026-01-09T12:00:31Z"):
            assert notify.deliver_due(conn).sent == 1
        assert len(hook.bodies) == 2
    body = hook.bodies[-1]
    assert body["text"] == body["content"]  # Slack reads text, Discord reads content
    assert body["text"].startswith("[idolq] SLA exceeded: coordinator review 1 of CONTENT-001")
    assert body["event"]["type"] == "sla.exceeded"
    sent = notify.list_notifications(conn, "sent")
    assert len(sent) == 1 and sent[0]["attempts"] == 2
    assert notify.deliver_due(conn).sent == 0  # delivered once only


def test_slack_and_discord_formats(conn):
    with Hook() as hook:
        notify.add_target(conn, "sla.exceeded", "human:lead", url=hook.url, fmt="slack")
        notify.add_target(conn, "sla.exceeded", "human:lead", url=hook.url, fmt="discord")
        _breach(conn)
        with freeze_time(OVERDUE):
            assert notify.deliver_due(conn).sent == 2
    assert sorted(sorted(b) for b in hook.bodies) == [["allowed_mentions", "content"], ["text"]]


def test_delivery_does_not_hold_the_database_while_the_target_answers(conn, db_path):
    writes = []

    def write_meanwhile():
        other = open_database(db_path)
        if dialect_of(other) == SQLITE:  # SQLite: give up soon if the database were held
            other.execute("PRAGMA busy_timeout = 200")
        with transaction(other):
            other.execute("INSERT INTO agents (agent_number, agent_name) VALUES (42, 'Meanwhile')")
        other.close()
        writes.append("ok")

    with Hook(on_request=write_meanwhile) as hook:
        notify.add_target(conn, "sla.exceeded", "human:lead", url=hook.url)
        _breach(conn)
        with freeze_time(OVERDUE):
            assert notify.deliver_due(conn).sent == 1
    assert writes == ["ok"]


def test_after_the_last_attempt_a_notification_is_failed_until_retried(conn):
    with Hook(failures=notify.MAX_ATTEMPTS) as hook:
        notify.add_target(conn, "sla.exceeded", "human:lead", url=hook.url)
        _breach(conn)
        with freeze_time(OVERDUE) as frozen:
            outcomes = []
            for _ in range(notify.MAX_ATTEMPTS):
                outcomes.append(notify.deliver_due(conn))
                frozen.tick(notify.MAX_RETRY_SECONDS + 1)
            assert [o.failed for o in outcomes] == [0] * (notify.MAX_ATTEMPTS - 1) + [1]
            (failed,) = notify.list_notifications(conn, "failed")
            assert notify.deliver_due(conn).sent == 0
            assert notify.retry(conn, None, "human:lead") == [failed["id"]]
            assert notify.deliver_due(conn).sent == 1
            with pytest.raises(InvalidTransition):
                notify.retry(conn, [failed["id"]], "human:lead")


def test_a_command_hook_gets_the_event_as_json_on_stdin(conn, tmp_path):
    out = tmp_path / "received.json"
    script = f"import sys, pathlib; pathlib.Path({str(out)!r}).write_text(sys.stdin.read())"
    notify.add_target(conn, "task.escalated", "human:lead", command=[sys.executable, "-c", script])
    with freeze_time("2026-01-09T10:00:00Z"):
        create(conn, task_type="lore", priority=0, title="Server down")
    with freeze_time("2026-01-10T11:00:00Z"):
        check_sla(conn, "cron")
        assert notify.deliver_due(conn).sent == 1
    event = json.loads(out.read_text())
    assert (event["type"], event["payload"]["task_code"]) == ("task.escalated", "LORE-001")


def test_a_failing_command_hook_is_retried_with_its_error_recorded(conn):
    notify.add_target(conn, "task.escalated", "human:lead",
                      command=[sys.executable, "-c", "import sys; sys.exit('no pager today')"])
    with freeze_time("2026-01-09T10:00:00Z"):
        create(conn, task_type="lore", priority=0)
    with freeze_time("2026-01-10T11:00:00Z"):
        check_sla(conn, "cron")
        assert notify.deliver_due(conn).retrying == 1
    assert "no pager today" in notify.list_notifications(conn)[0]["last_error"]


def test_a_claim_left_by_a_killed_sender_is_taken_again_later(conn):
    with Hook() as hook:
        notify.add_target(conn, "sla.exceeded", "human:lead", url=hook.url)
        _breach(conn)
        conn.execute("UPDATE notifications SET status = 'sending', claimed_at = ?",
                     ("2026-01-09T12:00:00+00:00",))
        with freeze_time("2026-01-09T12:01:00Z"):
            assert notify.deliver_due(conn).sent == 0
        with freeze_time("2026-01-09T12:06:00Z"):
            assert notify.deliver_due(conn).sent == 1


@pytest.mark.parametrize("kwargs", [{}, {"url": "ftp://x"}, {"url": "http://x", "command": ["a"]},
                                    {"url": "http://x", "fmt": "teams"}, {"command": []}])
def test_bad_targets_are_refused(conn, kwargs):
    with pytest.raises(InvalidValue):
        notify.add_target(conn, "sla.exceeded", "human:lead", **kwargs)


def test_backoff_doubles_up_to_an_hour():
    assert [notify.backoff_seconds(n) for n in (1, 2, 3, 10)] == [30, 60, 120, 3600]


def test_a_rolled_back_operation_leaves_no_notification(conn, monkeypatch):
    from idolq.domain.events import TaskCreated
    from idolq.services import handlers

    notify.add_target(conn, "task.created", "human:lead", url="http://127.0.0.1:9/x")

    def explode(event, uow):
        raise RuntimeError("boom")

    monkeypatch.setitem(handlers.HANDLERS, TaskCreated, [explode])
    with pytest.raises(RuntimeError):
        create(conn)
    assert conn.execute("SELECT COUNT(*) FROM notifications").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0] == 0
