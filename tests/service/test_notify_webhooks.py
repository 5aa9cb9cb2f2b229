"""Webhooks and commands cannot be turned against the sender: no redirects, a total deadline,
bounded reads, killed children; a target broken with SQL fails alone; secrets stay hidden."""

from __future__ import annotations

import base64
import json
import socketserver
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from idolq.adapters import delivery
from idolq.services import notify, notify_targets

from helpers import create


class Server:
    """An HTTP server on 127.0.0.1 whose POST answer is `answer(handler)`."""

    def __init__(self, answer=None):
        self.requests: list[tuple[str, str, dict]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server.requests.append((self.command, self.path, {
                    "headers": dict(self.headers), "body": json.loads(body or b"null")}))

            def do_POST(self):  # noqa: N802 (http.server's name)
                self._record()
                (answer or ok)(self)

            def do_GET(self):  # noqa: N802
                self._record()
                ok(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def ok(handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", "2")
    handler.end_headers()
    handler.wfile.write(b"ok")


def redirect(code: int, location: str):
    def answer(handler) -> None:
        handler.send_response(code)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return answer


class Dripper:
    """A raw TCP server that answers any request with `reply`, one byte every `pause` s."""

    def __init__(self, reply: bytes, pause: float = 0.2):
        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                self.request.recv(65536)
                try:
                    for byte in reply:
                        self.request.sendall(bytes([byte]))
                        time.sleep(pause)
                except OSError:
                    return

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_webhook_that_redirects_fails_and_the_redirect_is_not_followed(conn, code):
    with Server(redirect(code, "ftp://user:pw@elsewhere.example/x?k=s3cret")) as server:
        notify_targets.add_target(conn, "task.created", "human:lead", url=server.url)
        create(conn)
        report = notify.deliver_due(conn)
    assert (report.sent, report.retrying) == (0, 1)
    assert [(method, path) for method, path, _ in server.requests] == [("POST", "/hook")]
    (row,) = notify.list_notifications(conn)
    assert row["status"] == "pending"
    assert f"HTTP {code}" in row["last_error"]
    assert "redirects to ftp://***@elsewhere.example/x?*** are not followed" in row["last_error"]
    assert "s3cret" not in row["last_error"] and "pw" not in row["last_error"]


def test_a_303_to_the_same_host_is_not_turned_into_a_get_recorded_as_sent(conn):
    with Server(redirect(303, "/landing")) as server:
        notify_targets.add_target(conn, "task.created", "human:lead", url=server.url)
        create(conn)
        assert notify.deliver_due(conn).sent == 0
    assert [method for method, _, _ in server.requests] == ["POST"]
    assert notify.list_notifications(conn, "sent") == []


def test_the_timeout_is_a_deadline_for_the_whole_delivery_not_each_read():
    reply = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Slow: " + b"z" * 40 + b"\r\n\r\nok"
    with Dripper(reply) as server:
        started = time.monotonic()
        with pytest.raises(delivery.DeliveryFailed, match="did not answer within 1s"):
            delivery.post_json(server.url, {"text": "hi"}, timeout=1)
        elapsed = time.monotonic() - started
    assert 0.9 < elapsed < 2.5


def test_a_2xx_whose_body_drips_is_delivered_at_the_deadline():
    reply = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b"x" * 100
    with Dripper(reply, pause=0.02) as server:
        started = time.monotonic()
        delivery.post_json(server.url, {"text": "hi"}, timeout=1.5)
    assert time.monotonic() - started < 3


def test_a_huge_response_body_is_not_read_whole():
    def endless(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", str(10**12))
        handler.end_headers()
        try:
            while True:
                handler.wfile.write(b"x" * 65536)
        except OSError:
            pass

    with Server(endless) as server:
        started = time.monotonic()
        delivery.post_json(server.url, {"text": "hi"}, timeout=5)
    assert time.monotonic() - started < 3


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return "gone"


def test_a_command_past_its_timeout_is_killed_with_the_programs_it_started(tmp_path):
    pid_file = tmp_path / "grandchild.pid"
    script = ("import pathlib, subprocess, sys, time\n"
              "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
              f"pathlib.Path({str(pid_file)!r}).write_text(str(child.pid))\n"
              "time.sleep(60)\n")
    started = time.monotonic()
    with pytest.raises(delivery.DeliveryFailed, match="did not finish within 1s"):
        delivery.run_command([sys.executable, "-c", script], {"type": "x"}, timeout=1)
    assert time.monotonic() - started < 4
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 3
    while _state(grandchild) not in ("gone", "Z") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _state(grandchild) in ("gone", "Z")


def test_a_command_that_floods_its_output_keeps_only_the_tail_of_it():
    script = "import sys; sys.stderr.write('x' * 10_000_000 + '\\nlast words'); sys.exit(3)"
    with pytest.raises(delivery.DeliveryFailed, match="exited 3: last words"):
        delivery.run_command([sys.executable, "-c", script], {}, timeout=10)


BROKEN_WEBHOOKS = ["{", "[]", '"http://x"', "null", '{"url": 5}', "{}",
                   '{"url": "http://x", "timeout": "soon"}', '{"url": "gopher://x"}',
                   '{"url": "http://x", "format": ["slack"]}', b"\xff\xfe"]


@pytest.mark.parametrize("stored", BROKEN_WEBHOOKS, ids=[str(s)[:20] for s in BROKEN_WEBHOOKS])
def test_a_target_broken_with_sql_fails_alone_and_is_listed_as_broken(conn, stored):
    with Server() as server:
        notify_targets.add_target(conn, "task.created", "human:lead", url=server.url)
        conn.execute("INSERT INTO webhook_triggers (trigger_event, action_type, action_config)"
                     " VALUES ('task.created', 'webhook', ?)", (stored,))
        conn.commit()
        create(conn)
        report = notify.deliver_due(conn)
    assert (report.sent, report.retrying) == (1, 1)
    assert len(server.requests) == 1
    good, broken = notify_targets.list_targets(conn)
    assert (good["status"], broken["status"]) == ("ok", "broken")
    assert broken["action_config"] is None and broken["problem"]
    failing = notify.list_notifications(conn, "pending")[0]
    assert failing["last_error"] == f"target 2 is broken: {broken['problem']}"
    assert failing["target_status"] == "broken"


@pytest.mark.parametrize("stored", ['{"command": "ls"}', '{"command": []}', '{"cmd": ["ls"]}'])
def test_a_command_target_broken_with_sql_is_listed_as_broken(conn, stored):
    conn.execute("INSERT INTO webhook_triggers (trigger_event, action_type, action_config)"
                 " VALUES ('task.created', 'command', ?)", (stored,))
    conn.commit()
    create(conn)
    assert notify.deliver_due(conn).retrying == 1
    assert notify_targets.list_targets(conn)[0]["status"] == "broken"


def test_a_trigger_event_that_is_not_text_subscribes_to_nothing(conn):
    conn.execute("INSERT INTO webhook_triggers (trigger_event, action_type, action_config)"
                 " VALUES (X'2A', 'webhook', '{\"url\": \"http://127.0.0.1:9/\"}')")
    conn.commit()
    create(conn)
    assert conn.execute("SELECT COUNT(*) FROM notifications").fetchone()[0] == 0


def test_chat_text_from_users_cannot_ping_a_channel(conn):
    title = "Ping <!channel> <@U123> @everyone @here <@&42>"
    with Server() as server:
        for fmt in ("slack", "discord", "json"):
            notify_targets.add_target(conn, "task.created", "human:lead", url=server.url,
                                      fmt=fmt)
        create(conn, title=title)
        assert notify.deliver_due(conn).sent == 3
    slack, discord, both = (body for _, _, request in server.requests
                            for body in [request["body"]])
    for text in (slack["text"], both["text"]):
        assert "<" not in text and "&lt;!channel&gt;" in text
    for body in (discord, both):
        assert body["allowed_mentions"] == {"parse": []}
        for mention in ("@everyone", "@here", "<@U123>", "<@&42>"):
            assert mention not in body["content"]
    assert both["event"]["payload"]["title"] == title  # the data itself is unchanged


def test_credentials_in_a_webhook_url_are_sent_but_never_shown(conn):
    with Server() as server:
        url = server.url.replace("http://", "http://bot:s3cret@") + "?token=s3cret"
        target = notify_targets.add_target(conn, "task.created", "human:lead", url=url)
        create(conn)
        assert notify.deliver_due(conn).sent == 1
    headers = server.requests[0][2]["headers"]
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"bot:s3cret").decode()
    shown = json.dumps([target, notify_targets.list_targets(conn),
                        notify.list_notifications(conn)])
    assert "s3cret" not in shown and "bot" not in shown


def test_an_unreachable_webhook_with_credentials_fails_without_showing_them(conn):
    notify_targets.add_target(conn, "task.created", "human:lead",
                              url="http://bot:s3cret@127.0.0.1:9/x?token=s3cret")
    create(conn)
    assert notify.deliver_due(conn).retrying == 1
    (row,) = notify.list_notifications(conn)
    assert row["last_error"].startswith("cannot reach http://***@127.0.0.1:9/x?***:")
    stored = conn.execute("SELECT last_error FROM notifications").fetchone()[0]
    assert "s3cret" not in stored


def test_an_event_payload_edited_with_sql_fails_its_notification_not_the_round(conn):
    with Server() as server:
        notify_targets.add_target(conn, "*", "human:lead", url=server.url)
        create(conn)
        create(conn)
        conn.execute("UPDATE event_log SET event_type = 'sla.exceeded',"
                     " payload = '{\"hours_over\": \"lots\"}' WHERE id = 1")
        conn.commit()
        report = notify.deliver_due(conn)
    assert (report.sent, report.retrying) == (1, 1)
    assert notify.list_notifications(conn, "pending")[0]["last_error"].startswith(
        "event 1 cannot be described:")
