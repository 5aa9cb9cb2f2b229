"""Command targets run only when the user who delivers has allowed that exact command in
their own configuration: a row written into a shared database is only a request."""

from __future__ import annotations

import json
import os
import stat
import sys

import pytest

from idolq.adapters import user_config
from idolq.domain.errors import InvalidValue, NotFound, UnsafeConfiguration
from idolq.services import notify, notify_targets

from helpers import create


def _recorder(tmp_path, name: str = "ran") -> tuple[list[str], object]:
    """A command that writes the event it receives to a file; and that file."""
    out = tmp_path / f"{name}.json"
    script = f"import sys, pathlib; pathlib.Path({str(out)!r}).write_text(sys.stdin.read())"
    return [sys.executable, "-c", script], out


def _insert_with_sql(conn, argv: list[str], on: str = "task.created") -> int:
    cursor = conn.execute(
        "INSERT INTO webhook_triggers (trigger_event, action_type, action_config, is_active)"
        " VALUES (?, 'command', ?, TRUE)", (on, json.dumps({"command": argv})))
    conn.commit()
    return cursor.lastrowid


def _as_other_user(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "someone-else"))


def test_a_command_written_into_the_database_with_sql_never_runs(conn, tmp_path):
    argv, out = _recorder(tmp_path)
    target_id = _insert_with_sql(conn, argv)
    create(conn)
    report = notify.deliver_due(conn)
    assert (report.sent, report.retrying, report.failed, report.not_allowed) == (0, 0, 0, 1)
    assert not out.exists()
    (row,) = notify.list_notifications(conn)
    assert (row["status"], row["attempts"], row["target_status"]) == (
        "pending", 0, "not_allowed_here")
    (target,) = notify_targets.list_targets(conn)
    assert target["status"] == "not_allowed_here"
    assert f"idolq notify allow {target_id}" in target["problem"]


def test_a_command_allowed_later_delivers_what_waited(conn, tmp_path):
    argv, out = _recorder(tmp_path)
    target_id = _insert_with_sql(conn, argv)
    create(conn)
    notify.deliver_due(conn)
    assert notify_targets.allow_target(conn, target_id)["status"] == "ok"
    assert notify.deliver_due(conn).sent == 1
    assert json.loads(out.read_text())["type"] == "task.created"


def test_adding_a_command_allows_it_for_the_user_who_adds_it(conn, tmp_path):
    argv, out = _recorder(tmp_path)
    target = notify_targets.add_target(conn, "task.created", "human:lead", command=argv)
    assert target["status"] == "ok"
    create(conn)
    assert notify.deliver_due(conn).sent == 1
    assert out.exists()
    saved = json.loads(user_config.allowed_commands_path().read_text())
    assert [entry["command"] for entry in saved["commands"]] == [argv]


def test_rewriting_an_allowed_rows_command_with_sql_does_not_inherit_the_allowance(
        conn, tmp_path):
    argv, out = _recorder(tmp_path)
    evil, evil_out = _recorder(tmp_path, "evil")
    notify_targets.add_target(conn, "task.created", "human:lead", command=argv)
    conn.execute("UPDATE webhook_triggers SET action_config = ?",
                 (json.dumps({"command": evil}),))
    conn.commit()
    create(conn)
    assert notify.deliver_due(conn).sent == 0
    assert not evil_out.exists() and not out.exists()
    assert notify.list_notifications(conn)[0]["status"] == "pending"


def test_a_row_rewritten_between_claim_and_send_is_checked_as_sent(conn, tmp_path,
                                                                   monkeypatch):
    argv, _ = _recorder(tmp_path)
    evil, evil_out = _recorder(tmp_path, "evil")
    notify_targets.add_target(conn, "task.created", "human:lead", command=argv)
    create(conn)
    real_rows = notify.store.notification_rows

    def rewritten(connection, ids):
        return [{**row, "action_config": json.dumps({"command": evil})}
                for row in real_rows(connection, ids)]

    monkeypatch.setattr(notify.store, "notification_rows", rewritten)
    report = notify.deliver_due(conn)
    assert (report.sent, report.not_allowed) == (0, 1)
    assert not evil_out.exists()
    row = notify.list_notifications(conn)[0]
    assert (row["status"], row["attempts"]) == ("pending", 0)


def test_another_user_sees_not_allowed_here_until_they_allow_it(conn, tmp_path, monkeypatch):
    argv, out = _recorder(tmp_path)
    target = notify_targets.add_target(conn, "task.created", "human:lead", command=argv)
    create(conn)
    _as_other_user(monkeypatch, tmp_path)
    assert notify_targets.list_targets(conn)[0]["status"] == "not_allowed_here"
    assert notify.deliver_due(conn).sent == 0
    assert not out.exists()
    notify_targets.allow_target(conn, target["id"])
    assert notify.deliver_due(conn).sent == 1


def test_disallowing_leaves_notifications_queued_not_failed(conn, tmp_path):
    argv, out = _recorder(tmp_path)
    target = notify_targets.add_target(conn, "task.created", "human:lead", command=argv)
    assert notify_targets.allow_target(conn, target["id"], allow=False)["status"] == \
        "not_allowed_here"
    create(conn)
    for _ in range(notify.MAX_ATTEMPTS + 1):
        notify.deliver_due(conn)
    assert notify.list_notifications(conn)[0]["status"] == "pending"
    assert not out.exists()


def test_notifications_waiting_for_an_allowance_do_not_hold_up_the_others(conn, tmp_path):
    argv, _ = _recorder(tmp_path)
    allowed, out = _recorder(tmp_path, "allowed")
    _insert_with_sql(conn, argv)
    notify_targets.add_target(conn, "task.created", "human:lead", command=allowed)
    for _ in range(3):
        create(conn)
    assert notify.deliver_due(conn, limit=2).sent == 2
    assert out.exists()


def test_a_configuration_others_may_write_is_not_trusted(conn, tmp_path):
    argv, out = _recorder(tmp_path)
    target = notify_targets.add_target(conn, "task.created", "human:lead", command=argv)
    path = user_config.allowed_commands_path()
    path.chmod(0o666)
    create(conn)
    assert notify.deliver_due(conn).sent == 0
    assert not out.exists()
    (shown,) = notify_targets.list_targets(conn)
    assert shown["status"] == "not_allowed_here"
    assert "others may write it" in shown["problem"]
    with pytest.raises(UnsafeConfiguration, match="others may write it"):
        notify_targets.allow_target(conn, target["id"])


def test_a_configuration_folder_others_may_write_is_not_trusted(conn, tmp_path):
    argv, out = _recorder(tmp_path)
    notify_targets.add_target(conn, "task.created", "human:lead", command=argv)
    user_config.config_dir().chmod(0o777)
    create(conn)
    assert notify.deliver_due(conn).sent == 0
    assert not out.exists()


def test_adding_a_command_is_refused_whole_if_it_cannot_be_allowed(conn, tmp_path):
    argv, _ = _recorder(tmp_path)
    folder = user_config.config_dir()
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    with pytest.raises(UnsafeConfiguration):
        notify_targets.add_target(conn, "task.created", "human:lead", command=argv)
    assert conn.execute("SELECT COUNT(*) FROM webhook_triggers").fetchone()[0] == 0


def test_the_configuration_is_private_and_written_whole(conn, tmp_path):
    argv, _ = _recorder(tmp_path)
    notify_targets.add_target(conn, "task.created", "human:lead", command=argv)
    notify_targets.add_target(conn, "task.created", "human:lead", command=argv + ["again"])
    folder = user_config.config_dir()
    assert folder == tmp_path / "config" / "idolq"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(user_config.allowed_commands_path().stat().st_mode) == 0o600
    assert sorted(os.listdir(folder)) == [".lock", "allowed-commands.json"]
    assert user_config.load_allowances().commands == [argv, argv + ["again"]]


def test_without_xdg_config_home_the_configuration_is_under_home(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert user_config.config_dir() == tmp_path / "home" / ".config" / "idolq"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/path")
    assert user_config.config_dir() == tmp_path / "home" / ".config" / "idolq"


@pytest.mark.parametrize("text", ["{", "[]", '{"commands": "ls"}', '{"commands": [["ls"]]}'])
def test_an_unreadable_configuration_allows_nothing_and_says_why(text):
    folder = user_config.config_dir()
    folder.mkdir(parents=True, mode=0o700)
    user_config.allowed_commands_path().write_text(text)
    allowances = user_config.load_allowances()
    assert not allowances.allows(["ls"])
    assert str(user_config.allowed_commands_path()) in allowances.problem


def test_only_commands_of_active_targets_can_be_allowed(conn):
    notify_targets.add_target(conn, "task.created", "human:lead", url="http://127.0.0.1:9/x")
    with pytest.raises(InvalidValue, match="is a webhook"):
        notify_targets.allow_target(conn, 1)
    with pytest.raises(NotFound):
        notify_targets.allow_target(conn, 2)
    _insert_with_sql(conn, ["x"])
    conn.execute("UPDATE webhook_triggers SET action_config = '{\"command\": \"x\"}' WHERE id = 2")
    with pytest.raises(InvalidValue, match="target 2 is broken"):
        notify_targets.allow_target(conn, 2)
    assert not user_config.allowed_commands_path().exists()


def test_the_command_of_a_removed_target_can_still_be_disallowed(conn, tmp_path):
    argv, _ = _recorder(tmp_path)
    target = notify_targets.add_target(conn, "task.created", "human:lead", command=argv)
    notify_targets.remove_target(conn, target["id"], "human:lead")
    with pytest.raises(NotFound):
        notify_targets.allow_target(conn, target["id"])
    notify_targets.allow_target(conn, target["id"], allow=False)
    assert user_config.load_allowances().commands == []
