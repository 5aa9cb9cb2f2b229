"""The user's own configuration, outside every database: which commands idolq may run for them.

A database can be shared and edited with SQL by anyone who can write it, so a command stored
there is only a request. It runs when the user who delivers has allowed that exact command
(the argument list) in `$XDG_CONFIG_HOME/idolq/allowed-commands.json` (default
`~/.config/idolq/`), a file that only this user can write.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from idolq.domain.errors import UnsafeConfiguration

ALLOWED_COMMANDS = "allowed-commands.json"
ABOUT = ("Commands idolq may run as notification targets for this user "
         "(`idolq notify allow` / `idolq notify disallow`).")


def config_dir() -> Path:
    """`$XDG_CONFIG_HOME/idolq`, or `~/.config/idolq` (a relative XDG_CONFIG_HOME is ignored,
    as the XDG specification asks)."""
    base = os.environ.get("XDG_CONFIG_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "idolq"


def allowed_commands_path() -> Path:
    return config_dir() / ALLOWED_COMMANDS


class Allowances:
    """The commands this user allows; `problem` says why none are trusted, if so."""

    def __init__(self, commands: list[list[str]], problem: str | None = None) -> None:
        self.commands = commands
        self.problem = problem

    def allows(self, argv: list[str]) -> bool:
        return self.problem is None and list(argv) in self.commands


def load_allowances() -> Allowances:
    """What this user allows. Never raises: a missing file allows nothing, and a file that
    cannot be trusted or read allows nothing and says why."""
    path = allowed_commands_path()
    try:
        return Allowances(_read(path))
    except UnsafeConfiguration as error:
        return Allowances([], error.message)


def allow_command(argv: list[str], now: str) -> bool:
    """Allow this command; False if it already was."""
    with _locked() as path:
        entries = _entries(path)
        if any(entry["command"] == argv for entry in entries):
            return False
        _write(path, [*entries, {"command": list(argv), "allowed_at": now}])
        return True


def disallow_command(argv: list[str]) -> bool:
    """Withdraw the allowance of this command; False if it was not allowed."""
    with _locked() as path:
        entries = _entries(path)
        kept = [entry for entry in entries if entry["command"] != argv]
        if len(kept) == len(entries):
            return False
        _write(path, kept)
        return True


def check_writable() -> None:
    """Raise UnsafeConfiguration now if an allowance could not be recorded."""
    path = allowed_commands_path()
    _ensure_dir(path.parent)
    if path.exists():
        _read(path)


def _read(path: Path) -> list[list[str]]:
    return [entry["command"] for entry in _entries(path)]


def _entries(path: Path) -> list[dict]:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return []
    except OSError as error:
        raise UnsafeConfiguration(f"cannot read {path}: {error.strerror}") from None
    with os.fdopen(fd, encoding="utf-8") as file:
        _check_trusted(path.parent, os.stat(path.parent))
        _check_trusted(path, os.fstat(file.fileno()))
        try:
            document = json.load(file)
        except (ValueError, UnicodeDecodeError) as error:
            raise UnsafeConfiguration(f"{path} is not valid JSON: {error}") from None
    return _valid_entries(path, document)


def _valid_entries(path: Path, document: object) -> list[dict]:
    commands = document.get("commands") if isinstance(document, dict) else None
    if not isinstance(commands, list) or not all(
            isinstance(entry, dict) and isinstance(entry.get("command"), list)
            and all(isinstance(arg, str) for arg in entry["command"]) for entry in commands):
        raise UnsafeConfiguration(f"{path} is not an idolq allowance file"
                                  " ({\"commands\": [{\"command\": [...]}, ...]})")
    return commands


def _check_trusted(path: Path, status: os.stat_result) -> None:
    """Only a file or folder this user owns and nobody else may write is trusted."""
    geteuid = getattr(os, "geteuid", None)
    if geteuid is not None and status.st_uid != geteuid():
        raise UnsafeConfiguration(f"not trusting {path}: it belongs to another user")
    if status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UnsafeConfiguration(
            f"not trusting {path}: others may write it (run: chmod go-w {path})")


def _ensure_dir(folder: Path) -> None:
    """Create the folder (and its missing parents) for this user alone, or check it."""
    missing = []
    for parent in (folder, *folder.parents):
        if parent.exists():
            break
        missing.append(parent)
    try:
        for parent in reversed(missing):
            os.mkdir(parent, 0o700)
            os.chmod(parent, 0o700)
        _check_trusted(folder, os.stat(folder))
    except FileExistsError:
        _check_trusted(folder, os.stat(folder))
    except OSError as error:
        raise UnsafeConfiguration(f"cannot create {folder}: {error.strerror}") from None


@contextmanager
def _locked() -> Iterator[Path]:
    """The allowance file, locked against another idolq changing it at the same time."""
    path = allowed_commands_path()
    _ensure_dir(path.parent)
    try:
        lock = os.open(path.parent / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as error:
        raise UnsafeConfiguration(f"cannot lock {path}: {error.strerror}") from None
    try:
        try:
            import fcntl
        except ImportError:  # no advisory locks here: the rename is still atomic
            fcntl = None
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield path
    finally:
        os.close(lock)


def _write(path: Path, entries: list[dict]) -> None:
    """Replace the file atomically: a reader sees the old list or the new one, never half."""
    text = json.dumps({"about": ABOUT, "commands": entries}, ensure_ascii=False, indent=2)
    try:
        fd, temporary = tempfile.mkstemp(prefix=".allowed-", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(text + "\n")
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        raise UnsafeConfiguration(f"cannot write {path}: {error.strerror}") from None
