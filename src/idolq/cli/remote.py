"""The client side of `idolq serve`: a hot command handed to a running server.

With IDOLQ_SERVER naming the socket of an `idolq serve`, a hot command in its simple form
(cli/fast.py) whose output is not a terminal is sent to the server, which runs the same body
in its warm process, with this process's arguments, environment and working directory,
sending back what the command prints as it prints it, then its exit status. This process
imports nothing of idolq beyond the fast path: it costs little more than Python's own start.

Nothing is lost either way: when the server cannot be reached, or declines (another idolq
version, a command line it would read differently), the command runs here as usual, since
nothing was sent. Only when the server stops after taking a command and before answering is
the outcome unknown; that is said, with exit 1, and `idolq events tail` tells what happened.
"""

from __future__ import annotations

import _socket  # not `socket`: its wrappers (selectors, enums) cost more than the rest here
import json
import os
import sys

PROTOCOL = 1
UNKNOWN_EXIT = 1
PIPE_CLOSED_EXIT = 1
INTERRUPTED_EXIT = 130
HOLD_BYTES = 8 * 1024 * 1024
MAX_REQUEST_BYTES = 16 * 1024 * 1024


def request(argv: list[str]) -> bytes:
    """The command line, this process's environment and folder, as the server reads them."""
    from idolq import __version__

    return json.dumps({"protocol": PROTOCOL, "version": __version__, "argv": argv,
                       "cwd": os.getcwd(), "env": dict(os.environ),
                       "stdout_encoding": sys.stdout.encoding, "stdout_errors": sys.stdout.errors,
                       "stderr_encoding": sys.stderr.encoding}).encode() + b"\n"


def call(path: str, argv: list[str]) -> int | None:
    """Run argv on the server at `path`: its exit status once all it printed is printed
    here, or None when the command must run in this process (no server there, or it
    declined before running anything)."""
    family = getattr(_socket, "AF_UNIX", None)
    if family is None:
        return None  # no Unix sockets here
    try:
        payload = request(argv)
    except OSError:  # the folder is gone: let the command say so here
        return None
    connection = _socket.socket(family, _socket.SOCK_STREAM)
    try:
        try:
            connection.connect(path)
            connection.sendall(payload)
            connection.shutdown(_socket.SHUT_WR)
        except OSError:
            return None  # no server, a stale socket, or it would not take the command
        return _relay(connection, path)
    finally:
        connection.close()


def _relay(connection, path: str) -> int | None:
    """Print what the server sends: {"started": true}, then {"out": text} and {"err": text}
    frames, then {"exit": status}; or {"declined": true} instead of "started".

    Output is held here until the command ends (up to HOLD_BYTES; past that it is written as
    it comes), so the server never waits for this process's own stdout: one command at a time
    runs there, and a script reading our output while it runs more idolq commands
    (`idolq task list | while read ...; do idolq task show ...`) would otherwise wait on
    itself."""
    pending, held, size, started = b"", [], 0, False
    try:
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                break
            pending += chunk
            *frames, pending = pending.split(b"\n")
            for line in frames:
                frame = json.loads(line)
                if frame.get("declined") and not started:
                    return None
                if frame.get("started"):
                    started = True
                elif "exit" in frame:
                    _write_all(held)
                    return int(frame["exit"])
                else:
                    held.append(frame)
                    size += len(line)
                    if size > HOLD_BYTES:
                        _write_all(held)
                        held, size = [], 0
    except KeyboardInterrupt:
        sys.stderr.write(f"idolq: interrupted; the idolq server at {path} may still finish "
                         "the command (see `idolq events tail`)\n")
        return INTERRUPTED_EXIT
    except BrokenPipeError:  # `idolq task list | head -1`: as the fast path does
        return PIPE_CLOSED_EXIT
    except (OSError, ValueError):
        pass
    if not started:
        return None  # the server stopped before starting it: it runs here
    try:
        _write_all(held)
        sys.stdout.flush()
    except BrokenPipeError:
        return PIPE_CLOSED_EXIT
    sys.stderr.write(f"idolq: error: the idolq server at {path} stopped before answering; "
                     "whether the command ran is unknown (see `idolq events tail`)\n")
    return UNKNOWN_EXIT


def _write_all(frames: list[dict]) -> None:
    for frame in frames:
        if "out" in frame:
            _write(sys.stdout, frame["out"])
        else:
            _write(sys.stderr, frame.get("err", ""))


def _write(stream, text: str) -> None:
    try:
        stream.write(text)
    except UnicodeEncodeError:  # as cli/output.py writes: what the encoding cannot hold, escaped
        encoding = stream.encoding or "ascii"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
