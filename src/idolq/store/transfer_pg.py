"""Backup and restore on PostgreSQL: the catalogue of the current schema, identity sequences
and foreign keys checked at the end (see store/transfer.py).

The rows are written as SQLite holds them, so that an export loads into either database and
a round trip gives the same bytes: booleans as 0 and 1; a sequence record for each
AUTOINCREMENT table whose sequence has given an id, as SQLite keeps one in sqlite_sequence.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from idolq.store.pg import PgConnection
from idolq.store.pg_version import VERSION_TABLE
from idolq.store.transfer import AUTOINCREMENT

_FOREIGN_KEYS = """
    SELECT c.conrelid::regclass::text, c.conname, c.confrelid::regclass::text,
           c.condeferrable,
           ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(n, i)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n
                 ORDER BY k.i),
           ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(n, i)
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n
                 ORDER BY k.i)
    FROM pg_constraint c
    WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
    ORDER BY 1, 2"""


def table_names(conn: PgConnection) -> set[str]:
    """The current schema's tables, but for the schema version's."""
    rows = conn.execute("SELECT table_name FROM information_schema.tables"
                        " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
    return {name for (name,) in rows if name != VERSION_TABLE}


def _columns(conn: PgConnection, table: str) -> list[tuple[str, str]]:
    return [(name, kind) for name, kind in conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
        (table,))]


def columns(conn: PgConnection, table: str) -> list[str]:
    return [name for name, _ in _columns(conn, table)]


def _booleans(conn: PgConnection, table: str, names: Sequence[str]) -> list[int]:
    kinds = dict(_columns(conn, table))
    return [i for i, name in enumerate(names) if kinds.get(name) == "boolean"]


def _order_by(conn: PgConnection, table: str) -> str:
    keys = [name for (name,) in conn.execute(
        "SELECT k.column_name FROM information_schema.table_constraints c"
        " JOIN information_schema.key_column_usage k ON k.constraint_schema = c.constraint_schema"
        " AND k.constraint_name = c.constraint_name AND k.table_name = c.table_name"
        " WHERE c.table_schema = current_schema() AND c.table_name = ?"
        " AND c.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position", (table,))]
    # Without a key: the order rows were stored in, as SQLite's rowid (a restore inserts
    # them in the export's order).
    return ", ".join(f'"{name}"' for name in keys) if keys else "ctid"


def iter_rows(conn: PgConnection, table: str, names: Sequence[str]) -> Iterator[tuple]:
    """Through a server-side cursor (in the export's snapshot): a table is never held whole."""
    booleans = _booleans(conn, table, names)
    quoted = ", ".join(f'"{name}"' for name in names)
    for row in conn.stream(f'SELECT {quoted} FROM "{table}" ORDER BY {_order_by(conn, table)}'):
        values = list(row)
        for i in booleans:
            if values[i] is not None:
                values[i] = int(values[i])
        yield tuple(values)


def insert_rows(conn: PgConnection, table: str, names: Sequence[str],
                rows: Sequence[Sequence]) -> None:
    booleans = _booleans(conn, table, names)
    if booleans:
        rows = [_as_booleans(row, booleans) for row in rows]
    quoted = ", ".join(f'"{name}"' for name in names)
    marks = ", ".join("?" * len(names))
    conn.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', rows)


def _as_booleans(row: Sequence, booleans: list[int]) -> list:
    values = list(row)
    for i in booleans:
        if isinstance(values[i], int):  # SQLite's 0 and 1 (and True, False)
            values[i] = bool(values[i])
    return values


def _identities(conn: PgConnection) -> dict[str, tuple[str, str]]:
    """table: (its identity column, that column's sequence), for the current schema."""
    rows = conn.execute(
        "SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name),"
        " column_name) FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')")
    return {table: (column, sequence) for table, column, sequence in rows if sequence}


def _last_value(conn: PgConnection, sequence: str) -> int | None:
    """The last id the sequence gave (or was set to); None if it never gave one."""
    last, called = conn.execute(f"SELECT last_value, is_called FROM {sequence}").fetchone()
    return last if called else None


def sequences(conn: PgConnection) -> Iterator[dict]:
    identities = _identities(conn)
    for table in sorted(AUTOINCREMENT):
        if table in identities:
            last = _last_value(conn, identities[table][1])
            if last is not None:
                yield {"name": table, "seq": last}


def set_sequence(conn: PgConnection, name: str, seq: int) -> None:
    """A record for a table without an identity is SQLite's alone: nothing to keep here."""
    sequence = _identities(conn).get(name)
    if sequence is not None and seq >= 1:
        conn.execute("SELECT setval(?, ?, true)", (sequence[1], seq))


def reset_sequences(conn: PgConnection) -> None:
    for table, (column, sequence) in sorted(_identities(conn).items()):
        highest = conn.execute(f'SELECT MAX("{column}") FROM "{table}"').fetchone()[0]
        last = _last_value(conn, sequence)
        if highest is not None and (last is None or last < highest):
            conn.execute("SELECT setval(?, ?, true)", (sequence, highest))


@contextmanager
def references_checked_at_end(conn: PgConnection) -> Iterator[None]:
    """Foreign keys made deferrable for this transaction only (the schema's are checked at
    once), deferred to its end, and made as they were after the check. On an error the
    transaction rolls back, and the schema with it."""
    immediate = [(table, name) for table, name, _, deferrable, _, _
                 in conn.execute(_FOREIGN_KEYS) if not deferrable]
    for table, name in immediate:
        conn.execute(f'ALTER TABLE {table} ALTER CONSTRAINT "{name}" DEFERRABLE')
    conn.execute("SET CONSTRAINTS ALL DEFERRED")
    yield
    conn.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checks what is left to check
    for table, name in immediate:
        conn.execute(f'ALTER TABLE {table} ALTER CONSTRAINT "{name}" NOT DEFERRABLE')


def first_broken_reference(conn: PgConnection) -> tuple[str, str] | None:
    for table, _, target, _, keys, targets in conn.execute(_FOREIGN_KEYS).fetchall():
        present = " AND ".join(f'c."{key}" IS NOT NULL' for key in keys)
        match = " AND ".join(f'p."{to}" = c."{key}"' for key, to in zip(keys, targets,
                                                                        strict=True))
        if conn.execute(f"SELECT 1 FROM {table} c WHERE {present} AND NOT EXISTS"
                        f" (SELECT 1 FROM {target} p WHERE {match}) LIMIT 1").fetchone():
            return table, target
    return None
