"""The client side of `idolq serve`: a hot command handed to a running server.

With IDOLQ_SERVER naming the socket of an `idolq serve`, a hot command in its simple form
(cli/fast.py) whose output is not a terminal is sent to the server, which runs the same body
in its warm process, with this process's arguments, environment and working directory, and
answers with the exit status and what the command printed. This process then imports
nothing of idolq beyond the fast path: it costs little more than Python's own start.

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
MAX_REQUEST_BYTES = 16 * 1024 * 1024


def request(argv: list[str]) -> bytes:
    from idolq import __version__

    return json.dumps({"protocol": PROTOCOL, "version": __version__, "argv": argv,
                       "cwd": os.getcwd(), "env": dict(os.environ)}).encode() + b"\n"


def call(path: str, argv: list[str]) -> int | None:
    """Run argv on the server at `path`: its exit status once printed here, or None when
    the command must run in this process (no server there, or it declined)."""
    try:
        payload = request(argv)
    except (UnicodeEncodeError, OSError):  # undecodable arguments, a deleted cwd: run here
        return None
    connection = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        try:
            connection.connect(path)
            connection.sendall(payload)
            connection.shutdown(_socket.SHUT_WR)
        except OSError:
            return None  # no server, a stale socket, or it would not take the command
        try:
            answer = json.loads(_read_all(connection))
        except (OSError, ValueError):
            sys.stderr.write(f"idolq: error: the idolq server at {path} stopped before "
                             "answering; whether the command ran is unknown (see `idolq "
                             "events tail`)\n")
            return UNKNOWN_EXIT
    finally:
        connection.close()
    if answer.get("declined"):
        return None
    _write(sys.stdout, answer["stdout"])
    _write(sys.stderr, answer["stderr"])
    return int(answer["exit"])


def _read_all(connection) -> bytes:
    chunks = []
    while chunk := connection.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _write(stream, text: str) -> None:
    if not text:
        return
    try:
        stream.write(text)
    except UnicodeEncodeError:  # as cli/output.py writes: what the encoding cannot hold, escaped
        encoding = stream.encoding or "ascii"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
