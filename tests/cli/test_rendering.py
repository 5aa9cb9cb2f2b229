"""Human output under a real pseudo-terminal, 80 columns wide, as a person sees it."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

import pytest

from conftest import run_idolq

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
LONG_TITLE = ("Announce the winter live concert with a long thread that explains every "
              "stage, every idol and every ticket tier in detail")


def on_terminal(*args: str, cwd, columns: int = 80, env: dict | None = None) -> str:
    """Run idolq with stdout on a pseudo-terminal `columns` wide; what it printed, raw."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    full_env = {**os.environ, "TERM": "xterm-256color", **(env or {})}
    for name in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR"):
        if name not in (env or {}):
            full_env.pop(name, None)
    process = subprocess.Popen([sys.executable, "-m", "idolq", *args], stdout=slave,
                               stderr=subprocess.PIPE, cwd=cwd, env=full_env)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(master)
    assert process.returncode == 0, process.stderr.read()
    return b"".join(chunks).decode().replace("\r\n", "\n")


@pytest.fixture
def busy(tmp_path):
    assert run_idolq("init", cwd=tmp_path).returncode == 0
    for args in ([LONG_TITLE, "--type", "content", "--content-type", "thread",
                  "--deadline", "2030-01-01"],
                 ["Lore bible", "--type", "lore", "--depends-on", "1"],
                 ["Key art", "--type", "asset", "-p", "P0"]):
        assert run_idolq("task", "create", *args, cwd=tmp_path).returncode == 0
    assert run_idolq("task", "start", "1", cwd=tmp_path).returncode == 0
    return tmp_path


def test_task_list_fits_80_columns_with_every_code_whole(busy):
    screen = ANSI.sub("", on_terminal("task", "list", cwd=busy))
    lines = screen.splitlines()
    assert max(len(line) for line in lines) <= 80
    for code in ("CONTENT-001", "LORE-001", "ASSET-001"):
        assert any(code in line for line in lines), code
    assert sum("CONTENT-001" in line for line in lines) == 2  # itself, and LORE's blocker
    assert LONG_TITLE not in screen  # shortened, not wrapped over many lines
    assert len([line for line in lines if line.strip()]) <= 6


def test_statuses_are_coloured_on_a_terminal(busy):
    raw = on_terminal("task", "list", cwd=busy)
    assert "\x1b[" in raw
    assert re.search(r"\x1b\[[0-9;]*m\s*in_progress", raw)


def test_no_color_changes_only_the_colour_not_the_layout(busy):
    coloured = on_terminal("task", "list", cwd=busy)
    plain = on_terminal("task", "list", cwd=busy, env={"NO_COLOR": "1"})
    assert not re.search(r"\x1b\[[0-9;]*3[0-7]m", plain)  # no foreground colour
    assert ANSI.sub("", plain) == ANSI.sub("", coloured)


def test_review_and_event_lines_fit_80_columns(busy):
    assert run_idolq("task", "complete", "1", cwd=busy).returncode == 0
    reviews = ANSI.sub("", on_terminal("review", "list", cwd=busy))
    assert max(len(line) for line in reviews.splitlines()) <= 80
    assert "CONTENT-001" in reviews
    events = ANSI.sub("", on_terminal("events", "tail", cwd=busy)).splitlines()
    columns = {line.index("#") for line in events if "#" in line}
    assert len(columns) == 1  # aligned


def test_an_empty_result_says_so_in_one_line(tmp_path):
    assert run_idolq("init", cwd=tmp_path).returncode == 0
    assert ANSI.sub("", on_terminal("task", "list", cwd=tmp_path)).strip() == "No tasks."
    assert ANSI.sub("", on_terminal("review", "list", cwd=tmp_path)).strip() == "No reviews."


def test_user_text_is_never_read_as_markup(tmp_path):
    assert run_idolq("init", cwd=tmp_path).returncode == 0
    title = "[bold red]not bold[/] [link=x]y[/link]"
    assert run_idolq("task", "create", title, "--type", "lore", cwd=tmp_path).returncode == 0
    screen = ANSI.sub("", on_terminal("task", "list", cwd=tmp_path, columns=160))
    assert title in screen


def test_metrics_fit_80_columns_with_every_name_value_and_target_whole(busy):
    """The daily chart gives way on a narrow terminal; the figures never do."""
    screen = ANSI.sub("", on_terminal("metrics", cwd=busy))
    lines = screen.splitlines()
    assert max(len(line) for line in lines) <= 80
    for whole in ("Content velocity", "Manual intervention", "Agent utilisation", "Period",
                  "15-20/day", ">= 16h/day", "6h/day", "Busy h/day", "Median h"):
        assert whole in screen, whole
    assert "…" not in screen
