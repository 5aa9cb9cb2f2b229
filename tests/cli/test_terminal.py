"""What a person sees: user text is never obeyed by the terminal, and rendering never changes
an outcome. Run under a real pseudo-terminal, where Rich draws its tables."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time

import pytest

from conftest import run_idolq

ESCAPES = "\x1b]0;pwned\x07 \x1b[31mred"


def run_in_terminal(*args, timeout: float = 60) -> tuple[int, bytes]:
    """idolq with stdin, stdout and stderr on a pseudo-terminal 80 columns wide."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 80, 0, 0))
    env = {**os.environ, "COLUMNS": "80", "LINES": "40", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen([sys.executable, "-m", "idolq", *map(str, args)], stdin=slave,
                               stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    chunks, deadline = [], time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        return process.wait(timeout=10), b"".join(chunks)
    finally:
        os.close(master)


def test_a_title_with_rich_markup_is_created_and_listed_literally_on_a_terminal(db_path):
    code, created = run_in_terminal("task", "create", "[/] [b]", "--type", "lore",
                                    "--db", db_path)
    assert code == 0, created
    assert b"[/] [b]" in created
    code, listed = run_in_terminal("task", "list", "--db", db_path)
    assert code == 0, listed
    assert b"[/] [b]" in listed and b"LORE-001" in listed
    assert b"internal error" not in created + listed


def test_escape_sequences_in_user_text_never_reach_the_terminal_raw(db_path):
    code, created = run_in_terminal("task", "create", ESCAPES, "--type", "lore",
                                    "--description", ESCAPES, "--db", db_path)
    assert code == 0, created
    for args in (["task", "list"], ["task", "show", "1"], ["events", "tail"]):
        code, shown = run_in_terminal(*args, "--db", db_path)
        assert code == 0, shown
        assert b"\x1b]0;" not in shown and b"\x07" not in shown and b"\x1b[31m" not in shown
    code, created_shown = run_in_terminal("task", "show", "1", "--db", db_path)
    assert b"\\x1b]0;pwned\\x07" in created_shown.replace(b"\r\n", b"")
    assert b"\x1b]0;" not in created


def test_review_notes_with_markup_are_approved_and_reported_as_approved(db_path):
    assert run_idolq("task", "create", "t", "--type", "coordination", "--tier", "3",
                     "--db", db_path).returncode == 0
    assert run_idolq("task", "start", "1", "--db", db_path).returncode == 0
    assert run_idolq("task", "complete", "1", "--db", db_path).returncode == 0
    code, shown = run_in_terminal("review", "approve", "1", "--notes", "[/] ok [red]",
                                  "--db", db_path)
    assert code == 0, shown
    assert b"[/] ok [red]" in shown
    review = json.loads(run_idolq("review", "list", "--db", db_path, "--json").stdout)[0]
    assert review["status"] == "approved"


def test_plain_output_shows_control_characters_escaped(db_path):
    assert run_idolq("task", "create", ESCAPES, "--type", "lore", "--priority", "0",
                     "--actor", "human:zoë", "--db", db_path).returncode == 0
    for args in (["task", "list"], ["task", "show", "1"], ["events", "tail"],
                 ["sla", "check", "--dry-run", "--at", "2100-01-01"]):
        result = run_idolq(*args, "--db", db_path)
        assert result.returncode in (0, 3), result.stderr
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
        assert "LORE-001" in result.stdout
    assert "\\x1b]0;pwned\\x07" in run_idolq("task", "list", "--db", db_path).stdout


def test_json_keeps_user_text_exactly(db_path):
    created = run_idolq("task", "create", ESCAPES, "--type", "lore", "--db", db_path, "--json")
    assert json.loads(created.stdout)["title"] == ESCAPES


def test_a_stdout_that_cannot_encode_the_text_still_reports_success(db_path):
    result = run_idolq("task", "create", "アイドル ✨", "--type", "lore", "--db", db_path,
                       env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert "\\u30a2" in result.stdout
    assert json.loads(run_idolq("task", "list", "--db", db_path, "--json").stdout)[0][
        "title"] == "アイドル ✨"


@pytest.mark.parametrize("drawer", ["_rich_table", "_rich_record"])
def test_a_table_rich_cannot_draw_is_printed_plain_and_the_command_succeeds(
        cli, monkeypatch, drawer):
    from idolq.cli import output

    def broken(*args, **kwargs):
        raise RuntimeError("cannot draw")

    monkeypatch.setattr(output, "use_rich", lambda: True)
    monkeypatch.setattr(output, drawer, broken)
    created = cli("task", "create", "kept", "--type", "lore")
    assert created.exit_code == 0, created.stderr
    listed = cli("task", "list")
    assert listed.exit_code == 0 and "kept" in listed.stdout
    assert cli.json("task", "list")[0]["title"] == "kept"


def test_an_error_line_shows_control_characters_escaped(db_path):
    result = run_idolq("task", "show", "\x1b]0;pwned\x07-1", "--db", db_path)
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


def test_codes_are_shown_whole_in_a_table_80_columns_wide(db_path):
    for _ in range(2):
        assert run_idolq("task", "create", "long words " * 20, "--type", "coordination",
                         "--db", db_path).returncode == 0
    assert run_idolq("task", "create", "waits", "--type", "coordination", "--depends-on", "1",
                     "--db", db_path).returncode == 0
    code, listed = run_in_terminal("task", "list", "--db", db_path)
    assert code == 0, listed
    assert b"COORDINATION-001" in listed and b"COORDINATION-002" in listed
    drawn = re.sub(r"\x1b\[[0-9;]*m", "", listed.decode())
    assert max(len(line) for line in drawn.splitlines()) <= 80
