"""The fast path: the commands agents run most, parsed without loading Typer, Click or Rich.

Importing Typer costs more than the rest of a command. For the hot commands, written in
their simple forms, this reads argv against a static copy of each command's options and
calls the same body the Typer command calls (cli/hot.py). On any doubt (an unknown command
or option, `--help`, `--`, a value that looks like an option, a repeated option, a value
Typer might read differently, a missing argument) it declines, and the full Typer app runs:
help, completion and every usage error keep Typer's behaviour.

The table below is checked against the Typer declarations by a test
(tests/cli/test_fast_path.py), so the two cannot drift.
"""

from __future__ import annotations

import os
import sys

REQUIRED = object()  # an argument or option without a default
FLAG = "flag"  # a boolean option: no value; `negative` names turn it off
INT, FLOAT, TEXT, TEXTS = "int", "float", "text", "texts"  # TEXTS: repeatable text

# One entry per option name: (parameter, kind, default, environment variable).
DB = {"--db": ("db", TEXT, None, "IDOLQ_DB")}
ACTOR = {"--actor": ("actor", TEXT, None, "IDOLQ_ACTOR")}
JSON = {"--json": ("json_", FLAG, False, None)}
AGENT = {"--agent": ("agent", INT, None, None)}
LIMIT = {"--limit": ("limit", INT, None, None)}
LEASE = {"--lease": ("lease", TEXT, None, None)}
WRITE = {**DB, **ACTOR, **JSON}
READ = {**DB, **JSON}

# (group, command) -> (body in cli/hot.py, positional parameters, options)
COMMANDS: dict[tuple[str, ...], tuple[str, tuple[str, ...], dict]] = {
    ("task", "create"): ("task_create", ("title",), {
        "--type": ("task_type", TEXT, REQUIRED, None),
        "--content-type": ("content_type", TEXT, None, None),
        "--priority": ("priority", TEXT, "P2", None),
        "-p": ("priority", TEXT, "P2", None),
        "--tier": ("tier", TEXT, None, None),
        **AGENT,
        "--deadline": ("deadline", TEXT, None, None),
        "--description": ("description", TEXT, None, None),
        "--depends-on": ("depends_on", TEXTS, None, None),
        "--estimate": ("estimate", FLOAT, None, None),
        **WRITE}),
    # Commands that take several ids take one here (several, or `-`, go to Typer).
    ("task", "start"): ("task_start", ("tasks",), WRITE),
    ("task", "complete"): ("task_complete", ("tasks",), {
        "--output": ("output", TEXT, None, None), **WRITE}),
    ("task", "show"): ("task_show", ("tasks",), READ),
    ("task", "edit"): ("task_edit", ("tasks",), {
        "--title": ("title", TEXT, None, None),
        "--description": ("description", TEXT, None, None),
        "--priority": ("priority", TEXT, None, None), "-p": ("priority", TEXT, None, None),
        "--deadline": ("deadline", TEXT, None, None),
        "--content-type": ("content_type", TEXT, None, None),
        "--estimate": ("estimate", FLOAT, None, None), **WRITE}),
    ("task", "assign"): ("task_assign", ("tasks",), {
        "--agent": ("agent", INT, REQUIRED, None), **WRITE}),
    ("task", "comment"): ("task_comment", ("task", "text"), WRITE),
    ("task", "defer"): ("task_defer", ("tasks",), {
        "--until": ("until", TEXT, None, None), **WRITE}),
    ("task", "resume"): ("task_resume", ("tasks",), WRITE),
    ("task", "claim"): ("task_claim", (), {**AGENT, **LEASE, **WRITE}),
    ("task", "heartbeat"): ("task_heartbeat", ("task",), {**LEASE, **WRITE}),
    ("task", "release"): ("task_release", ("task",), WRITE),
    ("task", "list"): ("task_list", (), {
        "--status": ("status", TEXTS, None, None), **AGENT,
        "--type": ("task_type", TEXT, None, None), **LIMIT, **READ}),
    ("task", "ready"): ("task_ready", (), {**AGENT, **LIMIT, **READ}),
    ("review", "list"): ("review_list", (), {
        "--status": ("status", TEXTS, None, None), **AGENT,
        "--task": ("task", TEXT, None, None), **LIMIT, **READ}),
    ("review", "approve"): ("review_approve", ("reviews",), {
        "--notes": ("notes", TEXT, None, None), "--ds-rating": ("ds_rating", FLOAT, None, None),
        **WRITE}),
    ("review", "reject"): ("review_reject", ("reviews",), {
        "--notes": ("notes", TEXT, None, None), "--ds-rating": ("ds_rating", FLOAT, None, None),
        **WRITE}),
    ("status",): ("status", (), READ),
    ("sla", "check"): ("sla_check", (), {
        "--at": ("at", TEXT, None, None), "--dry-run": ("dry_run", FLAG, False, None),
        "--notify": ("notify", FLAG, True, None), **WRITE}),
    ("events", "tail"): ("events_tail", (), {
        "-n": ("count", INT, None, None), "--lines": ("count", INT, None, None),
        "--after": ("after", INT, None, None),
        "--all": ("everything", FLAG, False, None),
        "--type": ("event_type", TEXT, None, None), "--since": ("since", TEXT, None, None),
        "--follow": ("follow", FLAG, False, None), "-f": ("follow", FLAG, False, None),
        **READ}),
}
NEGATIVE = {"--no-notify": "--notify"}  # boolean options' off switches
MAX_INT = 2**63

# Options the contract accepts before the command too; --db and --actor as the environment
# variables they default from.
GLOBAL_OPTIONS = {"--db": "IDOLQ_DB", "--actor": "IDOLQ_ACTOR"}


def hoist_global_options(argv: list[str]) -> tuple[list[str], dict[str, str]]:
    """`idolq --db x.db --json task list`: options before the command apply to it.

    --db and --actor become the environment they default from (for this run only); --json
    moves after the command.
    """
    env: dict[str, str] = {}
    json_mode, index = False, 0
    while index < len(argv) and argv[index].startswith("-"):
        name, eq, value = argv[index].partition("=")
        if name in GLOBAL_OPTIONS and (eq or index + 1 < len(argv)):
            env[GLOBAL_OPTIONS[name]] = value if eq else argv[index + 1]
            index += 1 if eq else 2
        elif name == "--json":
            json_mode, index = True, index + 1
        else:
            break
    rest = argv[index:]
    if json_mode:
        cut = rest.index("--") if "--" in rest else len(rest)
        rest = [*rest[:cut], "--json", *rest[cut:]] if rest else ["--json"]
    return rest, env


def parse(argv: list[str]) -> tuple[str, dict] | None:
    """(body, keyword arguments) for a simple hot command line, else None (ask Typer).

    Options before the command (`idolq --db x.db --json task start 7`) count as Typer's
    root group counts them (hoist_global_options)."""
    argv, hoisted = hoist_global_options(argv)
    if not all(hoisted.values()):
        return None  # `--db=` before the command: Typer's reading of an empty environment
    environ = {**os.environ, **hoisted} if hoisted else os.environ
    for size in (2, 1):
        if tuple(argv[:size]) in COMMANDS:
            body, positional, options = COMMANDS[tuple(argv[:size])]
            return _parse_arguments(argv[size:], body, positional, options, environ)
    return None


def _parse_arguments(args: list[str], body: str, positional: tuple[str, ...],
                     options: dict, environ) -> tuple[str, dict] | None:
    given: dict[str, object] = {}
    values: list[str] = []
    tokens = iter(args)
    for token in tokens:
        if token == "-":
            return None  # ids on stdin: Typer's
        if not token.startswith("-"):
            values.append(token)
            continue
        token, attached, text = token.partition("=") if token.startswith("--") else (token, "", "")
        name = NEGATIVE.get(token, token)
        if name not in options:
            return None  # --help, --, an unknown option: Typer decides
        parameter, kind, _, _ = options[name]
        if kind == FLAG:
            if attached:
                return None  # `--json=x`: Typer's error
            value: object = token not in NEGATIVE
        else:  # `--db x.db` or `--db=x.db`
            value = _convert(kind, text if attached else next(tokens, None))
            if value is None or value == "":
                return None
        if parameter in given and kind != TEXTS:
            return None  # repeated: Typer's rule (the last wins) is not ours to copy
        given[parameter] = [*given.get(parameter, []), value] if kind == TEXTS else value
    if len(values) != len(positional):
        return None
    arguments = dict(zip(positional, values, strict=True))
    for parameter, kind, default, envvar in options.values():
        if parameter in given or parameter in arguments:
            continue
        value = environ.get(envvar) if envvar else None
        if value and _convert(kind, value) is None:
            return None
        if default is REQUIRED:
            return None
        given[parameter] = value or default
    if any(not _is_text(value) for value in values):
        return None
    return body, {**arguments, **given}


def _convert(kind: str, text: str | None) -> object | None:
    """The value Typer would give, or None when the text is not plainly valid."""
    if text is None or (text.startswith("-") and text != "-") or not _is_text(text):
        return None
    if kind == INT:
        if not (text.isascii() and text.isdigit()) or len(text) > 19 or int(text) >= MAX_INT:
            return None
        return int(text)
    if kind == FLOAT:
        whole, _, fraction = text.partition(".")
        if len(text) > 30 or not (text.isascii() and whole.isdigit()
                                  and (fraction.isdigit() or not fraction)):
            return None
        return float(text)
    return text


def _is_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes on the command line: Typer refuses them
        return False
    return True


# Hot commands that always run in their own process, even with IDOLQ_SERVER set: `sla check`
# may deliver notifications for as long as their timeouts allow, which would hold the server.
LOCAL_ONLY = frozenset({"sla_check"})


def servable(body: str, arguments: dict) -> bool:
    """Whether `idolq serve` may run this command (see LOCAL_ONLY; `--follow` never ends)."""
    return body not in LOCAL_ONLY and not arguments.get("follow")


def run(argv: list[str]) -> bool:
    """Run a hot command if argv is one in a simple form; False means: use Typer."""
    parsed = parse(argv)
    if parsed is None:
        return False
    body, arguments = parsed
    server = os.environ.get("IDOLQ_SERVER")
    if server and servable(body, arguments) and not sys.stdout.isatty():
        from idolq.cli.remote import call

        status = call(server, argv)
        if status is not None:
            _flush(status)
    execute(body, arguments)
    return True


def execute(body: str, arguments: dict) -> None:
    """Run a parsed hot command here, then exit with its status (SystemExit)."""
    from idolq.cli import hot

    status = 0
    try:
        getattr(hot, body)(**arguments)
    except SystemExit as done:
        status = done.code if isinstance(done.code, int) else int(done.code is not None)
    except KeyboardInterrupt:
        status = 130
    except BrokenPipeError:  # e.g. `idolq task list | head -1`
        _silence_stdout()
        status = 1
    except Exception as error:
        status = _exit_status(error)
        if status is None:  # a bug: still one line, never a traceback
            _report_bug(error, arguments)
            status = 1
    _flush(status)


def _exit_status(error: Exception) -> int | None:
    """Typer's Exit (raised when Typer happens to be loaded, as in tests) carries a status."""
    code = getattr(error, "exit_code", None)
    return code if type(error).__name__ == "Exit" and isinstance(code, int) else None


def _report_bug(error: Exception, arguments: dict) -> None:
    if os.environ.get("IDOLQ_DEBUG"):
        raise error
    from idolq.cli.errors import report

    report("internal", f"internal error ({type(error).__name__}: {error}); "
           "rerun with IDOLQ_DEBUG=1 for details and report it", bool(arguments.get("json_")))


def _flush(status: int) -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        status = status or 1
    sys.exit(status)


def _silence_stdout() -> None:
    """After a closed pipe, stdout goes nowhere (so that exiting does not fail again)."""
    try:
        target = sys.stdout.fileno()
    except (OSError, ValueError):
        return  # not a file: `idolq serve`'s relay to a client that is gone
    os.dup2(os.open(os.devnull, os.O_WRONLY), target)
