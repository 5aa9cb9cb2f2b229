"""idolq shell: the same commands in one process, with completion and history."""

from __future__ import annotations

import subprocess
import sys

from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from idolq.cli.shell import make_completer, run_shell


def test_the_shell_runs_commands_and_keeps_history(cli, db_path, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    with create_pipe_input() as pipe:
        pipe.send_text('task create "From the shell" --type lore\rtask start 1\rtsk list\rexit\r')
        status = run_shell(str(db_path), "agent:01", session_input=pipe, output=DummyOutput())
    assert status == 2  # the last command's (a typo)
    task = cli.json("task", "show", "1")
    assert (task["title"], task["status"]) == ("From the shell", "in_progress")
    assert task["history"][0]["actor"] == "agent:01"
    history = (tmp_path / "state" / "idolq" / "history").read_text()
    assert "task start 1" in history
    assert "did you mean" in capsys.readouterr().err


def test_the_shell_completes_commands_and_live_task_codes(cli, db_path):
    cli.json("task", "create", "x", "--type", "lore")
    completer = make_completer(str(db_path))

    def complete(text: str) -> list[str]:
        return [c.text for c in completer.get_completions(Document(text), None)]

    assert complete("ta") == ["task"]
    assert complete("task sh") == ["show"]
    assert complete("task show L") == ["LORE-001"]
    assert complete('task create "a b" --type lo') == ["lore"]


def test_piped_into_the_shell_each_line_runs(db_path):
    process = subprocess.run([sys.executable, "-m", "idolq", "shell", "--db", str(db_path)],
                             input="task create a --type lore\ntask list\nshell\n",
                             capture_output=True, text=True, timeout=60)
    assert "LORE-001" in process.stdout
    assert "does not run inside the shell" in process.stderr
    assert process.returncode == 2


def test_the_shell_without_a_database_says_so(tmp_path):
    process = subprocess.run([sys.executable, "-m", "idolq", "shell"], cwd=tmp_path,
                             input="", capture_output=True, text=True, timeout=60)
    assert process.returncode == 1 and "idolq init" in process.stderr
