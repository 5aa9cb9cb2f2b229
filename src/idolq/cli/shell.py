"""`idolq shell`: an interactive prompt running idolq commands in one process.

Built on prompt_toolkit (imported only here): line editing, history kept across sessions,
and Tab completion from the same completer the shell scripts use (commands, options, live
task codes, review ids, agents and types).
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Iterable
from pathlib import Path

PROMPT = "idolq> "
WELCOME = ("idolq shell: type commands as after `idolq` (task list, status, events tail, "
           "sla check...); Tab completes; `help`, `exit` or Ctrl-D to leave.")
REFUSED = {"shell", "daemon", "serve"}


def history_path() -> Path:
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "idolq" / "history"


def words_of(line: str) -> list[str]:
    """The words typed so far, the last one being completed ('' after a space)."""
    try:
        words = shlex.split(line)
    except ValueError:  # an open quote: complete the word being typed
        words = shlex.split(line + '"')
    if not line or line[-1].isspace():
        words.append("")
    return words


def make_completer(db: str | None):
    from prompt_toolkit.completion import Completer, Completion

    from idolq.cli.complete import FILES, candidates

    class IdolqCompleter(Completer):
        def get_completions(self, document, complete_event):
            words = words_of(document.text_before_cursor)
            if db:
                words = ["--db", db, *words]
            current = words[-1]
            for candidate in candidates(words):
                if candidate != FILES:
                    yield Completion(candidate, start_position=-len(current))

    return IdolqCompleter()


def run_line(line: str, db: str | None, actor: str | None) -> int | None:
    """Run one line; None means leave the shell."""
    from idolq.cli.app import run
    from idolq.cli.errors import report

    try:
        argv = shlex.split(line, comments=True)
    except ValueError as error:
        report("usage", str(error), False)
        return 2
    if argv[:1] == ["idolq"]:
        argv = argv[1:]
    if not argv:
        return 0
    if argv[0] in ("exit", "quit"):
        return None
    if argv[0] == "help":
        argv = [*argv[1:], "--help"]
    if argv[0] in REFUSED:
        report("usage", f"`{argv[0]}` does not run inside the shell", False)
        return 2
    extra = [*(["--db", db] if db else []), *(["--actor", actor] if actor else [])]
    return run([*extra, *argv])


def run_lines(lines: Iterable[str], db: str | None, actor: str | None) -> int:
    """Without a terminal (input piped): each line in turn; the last exit status."""
    status = 0
    for line in lines:
        result = run_line(line, db, actor)
        if result is None:
            break
        status = result
    return status


def run_shell(db: str | None, actor: str | None, session_input=None, output=None) -> int:
    if session_input is None and not sys.stdin.isatty():
        return run_lines(sys.stdin, db, actor)
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory, InMemoryHistory

    path = history_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        history = FileHistory(str(path))
    except OSError:
        history = InMemoryHistory()
    session = PromptSession(history=history, completer=make_completer(db),
                            complete_while_typing=False, input=session_input, output=output)
    print(WELCOME)
    status = 0
    while True:
        try:
            line = session.prompt(PROMPT)
        except KeyboardInterrupt:
            continue
        except EOFError:
            return status
        result = run_line(line, db, actor)
        if result is None:
            return status
        status = result
