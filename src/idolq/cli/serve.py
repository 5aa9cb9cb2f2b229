"""`idolq serve SOCKET`: a warm process that runs hot commands for short-lived `idolq`s.

A whole `idolq` process spends most of its time starting Python and importing idolq; an agent
that calls idolq once per step pays that every time. With a server running and IDOLQ_SERVER
naming its socket, the hot commands in their simple forms (cli/fast.py) are sent here
(cli/remote.py) and run by the same bodies, one at a time, each in its own transaction as
in its own process: with the caller's arguments, environment (so its --db/IDOLQ_DB and
--actor/IDOLQ_ACTOR) and working directory, its output captured and sent back.

The socket is a Unix socket readable by its owner only, and the server answers only
processes of its own user: it runs commands as that user, as the user's own `idolq` would.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import stat
import struct
import sys
import time

from idolq.cli import fast
from idolq.cli.remote import MAX_REQUEST_BYTES, PROTOCOL
from idolq.domain.errors import Conflict, InvalidValue
from idolq.store.connection import closing_opened

# One request at a time: a client that does not send its request, or stops reading what its
# command prints (its own stdout blocked: `idolq task list --json | less`), holds the others
# up for at most this long, then is cut off (it exits 1, saying the outcome is unknown).
READ_TIMEOUT_SECONDS = 5
SEND_TIMEOUT_SECONDS = 5
CHUNK = 64 * 1024
POLL_SECONDS = 0.25


def listen(path: str) -> socket.socket:
    """A listening Unix socket at `path` (a stale socket left by a killed server is
    replaced; anything else there is refused)."""
    if len(os.fsencode(path)) >= 108:
        raise InvalidValue(f"socket path too long for a Unix socket: {path}")
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise InvalidValue(f"cannot use {path} as a socket: {error.strerror}") from None
    if mode is not None:
        if not stat.S_ISSOCK(mode):
            raise InvalidValue(f"{path} exists and is not a socket; choose another path")
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(path)
        except OSError:
            os.unlink(path)  # left by a server that is gone
        else:
            raise Conflict(f"an idolq server already answers at {path}")
        finally:
            probe.close()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    previous = os.umask(0o177)  # the socket is its owner's only
    try:
        server.bind(path)
    except OSError as error:
        server.close()
        raise InvalidValue(f"cannot listen at {path}: {error.strerror}") from None
    finally:
        os.umask(previous)
    server.listen(128)
    server.settimeout(POLL_SECONDS)
    return server


def serve(server: socket.socket, path: str, stopping) -> None:
    """Answer requests until `stopping()`. `path` is absolute: the server works from `/`
    between requests (each runs in its caller's folder), so that its own folder can go."""
    from idolq.cli import hot, hot_reviews  # noqa: F401  (warm: what requests will run)

    os.chdir("/")
    try:
        while not stopping():
            try:
                connection, _ = server.accept()
            except (TimeoutError, InterruptedError):
                continue  # every POLL_SECONDS: time to look at `stopping()`
            with connection:
                answer_one(connection)
    finally:
        server.close()
        with contextlib.suppress(OSError):
            os.unlink(path)


def answer_one(connection: socket.socket) -> None:
    connection.settimeout(READ_TIMEOUT_SECONDS)
    try:
        if not _same_user(connection):
            connection.sendall(b'{"declined": true}\n')  # it runs its command itself
            return
        request = _valid_request(json.loads(_read_request(connection)))
    except Exception:  # noqa: BLE001  (a client gone, a malformed request: nothing was run)
        return
    connection.settimeout(SEND_TIMEOUT_SECONDS)  # a client that stops reading is cut off

    def send(frame: dict) -> None:
        try:
            connection.sendall(json.dumps(frame).encode() + b"\n")
        except OSError:
            raise BrokenPipeError("the client is gone") from None

    try:
        run_request(request, send)
    except Exception:  # noqa: BLE001  (a client gone mid-answer, a malformed request: the
        return  # server goes on with the next one)


def _same_user(connection: socket.socket) -> bool:
    if not hasattr(socket, "SO_PEERCRED"):
        return True  # not Linux: the socket's mode (its owner's only) is the guard
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                        struct.calcsize("3i"))
    _, uid, _ = struct.unpack("3i", credentials)
    return uid == os.getuid()


def _read_request(connection: socket.socket) -> bytes:
    """The request, whole (it ends with a newline), read within READ_TIMEOUT_SECONDS."""
    chunks, size = [], 0
    deadline = time.monotonic() + READ_TIMEOUT_SECONDS
    while chunk := connection.recv(65536):
        size += len(chunk)
        if size > MAX_REQUEST_BYTES or time.monotonic() > deadline:
            raise ValueError("request too large or too slow")
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data.endswith(b"\n"):
        raise ValueError("request cut short")  # the client may run it itself: never here
    return data


def _valid_request(request) -> dict:
    def texts(value) -> bool:
        return isinstance(value, str)

    if not (isinstance(request, dict) and isinstance(request.get("argv"), list)
            and all(map(texts, request["argv"])) and texts(request.get("cwd"))
            and isinstance(request.get("env"), dict)
            and all(map(texts, request["env"])) and all(map(texts, request["env"].values()))):
        raise ValueError("malformed request")
    return request


class _Relay(io.TextIOBase):
    """A command's stdout or stderr, sent to the client as it is written (in frames of up to
    CHUNK characters), so that a long listing never sits whole in the server's memory."""

    def __init__(self, key: str, send, encoding: str | None, strict: bool = False) -> None:
        super().__init__()
        self.key, self.send, self.parts, self.size = key, send, [], 0
        self.strict = strict
        self._encoding = encoding or "utf-8"
        try:
            "".encode(self._encoding)
        except LookupError:
            self._encoding = "utf-8"

    @property
    def encoding(self) -> str:
        return self._encoding

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False  # the client only sends commands whose output is not a terminal

    def write(self, text: str) -> int:
        if self.strict:  # what the client's stdout could not hold fails here too
            text.encode(self._encoding)
        self.parts.append(text)
        self.size += len(text)
        if self.size >= CHUNK:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self.parts:
            text, self.parts, self.size = "".join(self.parts), [], 0
            self.send({self.key: text})


def run_request(request: dict, send) -> None:
    """Run one command line as the client would have (its environment, its directory),
    sending what it prints as it prints it, then its exit status; or decline it."""
    from idolq import __version__

    argv, env, cwd = request["argv"], dict(request["env"]), request["cwd"]
    if request.get("protocol") != PROTOCOL or request.get("version") != __version__:
        send({"declined": True})
        return
    env.pop("IDOLQ_SERVER", None)  # never sent on again
    try:
        os.chdir(cwd)
    except OSError:
        send({"declined": True})
        return
    out = _Relay("out", send, request.get("stdout_encoding"),
                 strict=request.get("stdout_errors") == "strict")
    err = _Relay("err", send, request.get("stderr_encoding"))
    status = 0
    try:
        _adopt_environment(env)
        parsed = fast.parse(argv)
        if parsed is None or not fast.servable(*parsed):
            send({"declined": True})
            return
        send({"started": True})  # from here on, the command may have run
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
                closing_opened():
            try:
                fast.execute(*parsed)
            except SystemExit as done:
                status = done.code if isinstance(done.code, int) else int(done.code is not None)
            except Exception as error:  # IDOLQ_DEBUG's traceback: one line here, server lives
                status = 1
                err.write(f"idolq: error: internal error ({type(error).__name__}: {error})\n")
    finally:
        os.chdir("/")
    out.flush()
    err.flush()
    send({"exit": status})


def _adopt_environment(env: dict) -> None:
    """Make the process environment the client's (libpq reads PG* variables from it too).

    Only the variables that differ are changed, and the environment stays so until the next
    request: the C library keeps every value it was ever given (setenv cannot free the old
    one), so replacing the whole environment twice per request would grow the server by a
    kilobyte or two each time. Agents of one team differ in a variable or two, if any."""
    zone = os.environ.get("TZ")
    for name in [name for name in os.environ if name not in env]:
        del os.environ[name]
    for name, value in env.items():
        if os.environ.get(name) != value:
            os.environ[name] = value
    if os.environ.get("TZ") != zone:
        time.tzset()


def report_ready(path: str, json_: bool) -> None:
    """The `server` document on stdout with --json (then stdout stays quiet), else a note."""
    from idolq.cli.output import emit, print_log

    emit({"socket": path, "pid": os.getpid()}, json_, lambda ready: print_log(
        f"idolq: serving at {ready['socket']}; set IDOLQ_SERVER={ready['socket']} for "
        "agents' commands to use it; Ctrl-C stops"))
    sys.stdout.flush()
