"""Asking SQLite not to checkpoint the WAL when a connection closes.

By default, the last connection to close a WAL database copies the WAL into the database
file, fsyncs it and deletes the WAL: on every exit of a short-lived `idolq` process, more
writing than the command's own commit. SQLite has an option for this
(SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE): the WAL stays. SQLite alone would then never start it
over (a process's first connection rebuilds the WAL's index and forgets what was
checkpointed), so store/connection.py's `bound_wal` checkpoints and truncates it once it
passes 1 MiB, when a process opens the database.

Durability is unchanged: with `synchronous = FULL` every commit is already fsynced in the WAL,
and any later connection (sqlite3, Datasette, idolq) reads the WAL with the database.

Python 3.12 exposes the option as `Connection.setconfig`. Python 3.11's sqlite3 does not, so
there it is set through ctypes on the connection's handle, only when the shape relied on is
checked first (CPython 3.11's connection layout, the library's entry points, and the handle
naming the same file); on any mismatch nothing is touched and SQLite's default stays.
"""

from __future__ import annotations

import sqlite3
import sys

NO_CKPT_ON_CLOSE = 1006  # SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, SQLite 3.25+
CPYTHON_311_CONNECTION_SIZE = 216  # sizeof(pysqlite_Connection) on 64-bit CPython 3.11

_library = None


def keep_wal_on_close(conn: sqlite3.Connection, path: str) -> bool:
    """Set NO_CKPT_ON_CLOSE on `conn` (a connection to `path`); False if it could not be."""
    setconfig = getattr(conn, "setconfig", None)
    constant = getattr(sqlite3, "SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE", None)
    if setconfig is not None and constant is not None:
        setconfig(constant, True)
        return True
    try:
        return _set_through_ctypes(conn, path)
    except (ImportError, OSError, AttributeError, ValueError):
        return False


def _shape_is_known(conn: sqlite3.Connection) -> bool:
    return (sys.implementation.name == "cpython" and sys.version_info[:2] == (3, 11)
            and sys.maxsize > 2**32 and sqlite3.sqlite_version_info >= (3, 25)
            and type(conn) is sqlite3.Connection
            and sqlite3.Connection.__basicsize__ == CPYTHON_311_CONNECTION_SIZE)


def _set_through_ctypes(conn: sqlite3.Connection, path: str) -> bool:
    if not _shape_is_known(conn):
        return False
    import ctypes

    library = _sqlite_library(ctypes)
    # pysqlite_Connection starts with PyObject_HEAD, then `sqlite3 *db`.
    handle = ctypes.c_void_p.from_address(id(conn) + object.__basicsize__).value
    if not handle or library.sqlite3_db_filename(handle, b"main") != path.encode():
        return False
    state = ctypes.c_int(-1)
    if library.sqlite3_db_config(handle, NO_CKPT_ON_CLOSE, 1, ctypes.byref(state)) != 0:
        return False
    return state.value == 1


def _sqlite_library(ctypes):
    """The SQLite library the sqlite3 module uses (its symbols, through the extension)."""
    global _library
    if _library is None:
        import _sqlite3

        library = ctypes.CDLL(_sqlite3.__file__)
        library.sqlite3_db_filename.restype = ctypes.c_char_p
        library.sqlite3_db_filename.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        library.sqlite3_db_config.restype = ctypes.c_int
        library.sqlite3_db_config.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int,
                                              ctypes.POINTER(ctypes.c_int)]
        _library = library
    return _library
