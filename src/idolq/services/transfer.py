"""Backup and restore as JSON Lines (`idolq export` / `idolq import FILE|-`).

The format (version 1):

    {"format": "idolq-export", "version": 1, "schema_version": N, "tables": ["agents", ...]}
    {"table": "agents", "row": {"agent_number": 0, "agent_name": "Coordinator", ...}}
    ...
    {"table": "sqlite_sequence", "row": {"name": "tasks", "seq": 42}}

Every table in a fixed order (store/transfer.py), rows by primary key, columns in the
table's order; the same database always gives the same bytes. Nothing is held in memory
beyond one chunk of rows: export walks cursors, import inserts in chunks, all in one
transaction.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from idolq.domain.errors import Conflict, InvalidValue
from idolq.services.queries import snapshot
from idolq.services.uow import UnitOfWork
from idolq.store import transfer as store
from idolq.store.connection import schema_version

FORMAT = "idolq-export"
VERSION = 1
CHUNK = 1000

Advance = Callable[..., None]


def _line(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(", ", ": ")) + "\n"


def dump(conn: sqlite3.Connection, write: Callable[[str], object],
         advance: Advance | None = None) -> int:
    """Write the whole database as JSON Lines from one consistent snapshot; returns the
    number of records (rows) written."""
    advance = advance or (lambda *_, **__: None)
    with snapshot(conn):
        names = store.tables(conn)
        total = sum(store.count_rows(conn, table) for table in names)
        write(_line({"format": FORMAT, "version": VERSION,
                     "schema_version": schema_version(conn), "tables": names}))
        records = 0
        for table in names:
            for row in store.iter_rows(conn, table):
                write(_line({"table": table, "row": row}))
                records += 1
                if records % CHUNK == 0:
                    advance(CHUNK, total=total)
        for row in store.sequences(conn):
            write(_line({"table": store.SEQUENCE_TABLE, "row": row}))
        advance(records % CHUNK, total=total)
    return records


def restore(conn: sqlite3.Connection, lines: Iterable[str], actor: str,
            advance: Advance | None = None) -> dict[str, int]:
    """Load an export into a database that holds no work; returns rows per table."""
    advance = advance or (lambda *_, **__: None)
    numbered = enumerate(lines, 1)
    header = _check_header(next(numbered, (1, "")), schema_version(conn))
    with UnitOfWork(conn, actor, source="import") as uow:
        if store.holds_work(uow.conn):
            raise Conflict("this database already holds work: import into a new one "
                           "(`idolq init --db NEW.db`, then `idolq import FILE --db NEW.db`)")
        names = store.tables(uow.conn)
        missing = set(header["tables"]).difference(names)
        if missing:
            raise InvalidValue(f"this database has no table {sorted(missing)[0]!r}")
        with store.references_checked_at_end(uow.conn):
            store.clear(uow.conn, header["tables"])  # a new database's defaults, replaced
            counts = _load(uow.conn, numbered, header["tables"], advance)
            store.reset_sequences(uow.conn)
            broken = store.first_broken_reference(uow.conn)
            if broken:
                raise InvalidValue(f"a row of {broken[0]} refers to a missing row of "
                                   f"{broken[1]}")
        return counts


def _check_header(numbered_line: tuple[int, str], current_schema: int) -> dict:
    try:
        header = _parse(*numbered_line)
    except InvalidValue:
        header = {}
    if header.get("format") != FORMAT or not isinstance(header.get("version"), int):
        raise InvalidValue("not an idolq export: the first line must be "
                           f'{{"format": "{FORMAT}", "version": N, ...}}')
    tables = header.get("tables")
    if not isinstance(tables, list) or not all(isinstance(t, str) for t in tables):
        raise InvalidValue('not an idolq export: the first line names no "tables"')
    if header["version"] > VERSION:
        raise InvalidValue(f"export format version {header['version']} is newer than this "
                           f"idolq reads ({VERSION}); upgrade idolq")
    if header.get("schema_version", 0) > current_schema:
        raise InvalidValue(f"the export has schema version {header['schema_version']}, newer "
                           f"than this database's ({current_schema}); upgrade idolq")
    return header


def _parse(number: int, text: str) -> dict:
    try:
        document = json.loads(text)
    except ValueError:
        raise InvalidValue(f"line {number}: not a JSON object") from None
    if not isinstance(document, dict):
        raise InvalidValue(f"line {number}: not a JSON object")
    return document


def _load(conn: sqlite3.Connection, numbered: Iterator[tuple[int, str]], names: list[str],
          advance: Advance) -> dict[str, int]:
    counts: dict[str, int] = {}
    known = {table: store.columns(conn, table) for table in names}
    batch: list[tuple] = []
    key: tuple[str, tuple[str, ...]] | None = None
    for number, text in numbered:
        if not text.strip():
            continue
        table, row = _record(number, text, known)
        if table == store.SEQUENCE_TABLE:
            _flush(conn, key, batch, number)
            store.set_sequence(conn, row["name"], row["seq"])
            continue
        if key != (table, tuple(row)) or len(batch) >= CHUNK:
            _flush(conn, key, batch, number)
            key = (table, tuple(row))
        batch.append(tuple(row.values()))
        counts[table] = counts.get(table, 0) + 1
        advance(1)
    _flush(conn, key, batch, "end")
    return counts


def _record(number: int, text: str, known: dict[str, list[str]]) -> tuple[str, dict]:
    document = _parse(number, text)
    table, row = document.get("table"), document.get("row")
    if not isinstance(row, dict):
        raise InvalidValue(f"line {number}: a record is {{\"table\": NAME, \"row\": {{...}}}}")
    if table == store.SEQUENCE_TABLE:
        if not isinstance(row.get("name"), str) or not isinstance(row.get("seq"), int):
            raise InvalidValue(f"line {number}: a sequence needs a name and a number")
        return table, row
    if table not in known:
        raise InvalidValue(f"line {number}: table {table!r} is not one the first line names")
    unknown = set(row).difference(known[table])
    if unknown:
        raise InvalidValue(f"line {number}: table {table} has no column {sorted(unknown)[0]!r}")
    if any(isinstance(value, list | dict) for value in row.values()):
        raise InvalidValue(f"line {number}: a column's value must be a number, text or null")
    return table, row


def _flush(conn: sqlite3.Connection, key, batch: list[tuple], number) -> None:
    if not batch:
        return
    table, names = key
    try:
        store.insert_rows(conn, table, names, batch)
    except (sqlite3.IntegrityError, sqlite3.DataError) as error:
        raise InvalidValue(f"rows of {table} before line {number} cannot be restored: "
                           f"{error}") from None
    batch.clear()


@contextmanager
def open_lines(path: str) -> Iterator[Iterable[str]]:
    """The lines of FILE, or of stdin for `-`, read as they are needed."""
    if path == "-":
        _utf8(sys.stdin)
        yield sys.stdin
        return
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as error:
        raise InvalidValue(f"cannot read {path}: {error.strerror}") from None
    with handle:
        try:
            yield handle
        except UnicodeDecodeError:
            raise InvalidValue(f"{path} is not UTF-8 text") from None


@contextmanager
def open_output(path: str | None) -> Iterator[Callable[[str], object]]:
    """stdout, or FILE written whole or not at all (a temporary file renamed at the end)."""
    if path is None:
        _utf8(sys.stdout)
        yield sys.stdout.write
        sys.stdout.flush()
        return
    target = Path(path)
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    except OSError as error:
        raise InvalidValue(f"cannot write {path}: {error.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            yield handle.write
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _utf8(stream) -> None:
    """Exports are UTF-8 whatever the locale says."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(encoding="utf-8")
