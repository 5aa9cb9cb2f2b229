"""`idolq import ...` and `idolq export ...`: backups (JSON Lines) and V1's Markdown queue.

Each is a group whose default command takes the arguments that name no command of the
group: `idolq export` is `idolq export jsonl`, `idolq import -` is `idolq import jsonl -`.
"""

from typing import Annotated

import typer

from idolq.cli.errors import reporting
from idolq.cli.group import DefaultCommandGroup
from idolq.cli.options import ActorOpt, DbOpt, JsonOpt, resolve_actor


def _group(name: str, help: str) -> typer.Typer:
    return typer.Typer(cls=DefaultCommandGroup, name=name, help=help, add_completion=False)


import_app = _group(
    "import", "Restore a backup: `idolq import FILE|-` (jsonl, the default), or import V1's "
    "task queue: `idolq import v1 FILE...`.")
export_app = _group(
    "export", "Back up everything as JSON Lines: `idolq export [--output FILE]` (jsonl, the "
    "default), or write the queue in V1's layout: `idolq export v1`.")

OutputOpt = Annotated[str | None, typer.Option(
    "--output", "-o", metavar="FILE", help="Write here instead of stdout.")]


@import_app.command("jsonl")
def import_jsonl(
    file: Annotated[str, typer.Argument(metavar="FILE|-", help="An export; - reads stdin.")],
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Restore an `idolq export` into a database that holds no work yet (the default).

    Example: idolq import backup.jsonl --db restored.db
    """
    from idolq.cli.progress import progress_bar
    from idolq.cli.views_transfer import show_restore
    from idolq.services.transfer import open_lines, restore
    from idolq.store.connection import open_database

    with reporting(json_), open_lines(file) as lines, progress_bar("import", json_) as advance:
        counts = restore(open_database(db), lines, resolve_actor(actor), advance)
    show_restore(counts, json_)


@import_app.command("v1")
def import_v1(
    files: Annotated[list[str] | None, typer.Argument(
        metavar="FILE", help="V1 task-queue.md files.")] = None,
    calendar: Annotated[list[str] | None, typer.Option(
        "--calendar", metavar="FILE", help="A V1 master-calendar.md (repeatable).")] = None,
    year: Annotated[int | None, typer.Option(
        "--year", help="Year of calendar dates without one (default: the file's Last "
        "Updated year).")] = None,
    start: Annotated[str | None, typer.Option(
        "--start", metavar="DATE", help="The date of a calendar's \"Day 1\".")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report, change nothing.")] = False,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Import V1 Markdown task queues (each V1 id becomes a task with that code), or with
    --calendar a V1 content calendar (each dated, timed row naming a content task).

    Example: idolq import v1 automation/task-queue.md --dry-run
    """
    from idolq.cli.progress import progress_bar
    from idolq.cli.views_transfer import show_v1_import
    from idolq.services.v1_import import import_v1 as run
    from idolq.store.connection import open_database

    with reporting(json_):
        _check_v1_arguments(files, calendar, year, start)
        if calendar:
            report = _import_calendars(calendar, year, start, dry_run, db, actor)
        else:
            with progress_bar("import v1", json_) as advance:
                report = run(open_database(db), files, resolve_actor(actor), dry_run, advance)
    show_v1_import(report, dry_run, json_)


def _check_v1_arguments(files, calendar, year, start) -> None:
    from idolq.domain.errors import InvalidValue

    if bool(files) == bool(calendar):
        raise InvalidValue("give V1 task-queue files, or --calendar FILE (not both)")
    if not calendar and (year is not None or start is not None):
        raise InvalidValue("--year and --start apply to --calendar only")
    if year is not None and not 1970 <= year <= 9999:
        raise InvalidValue(f"invalid year {year}")


def _import_calendars(paths, year, start, dry_run, db, actor):
    from datetime import date

    from idolq.domain.errors import InvalidValue
    from idolq.services.v1_calendar_import import import_calendars
    from idolq.store.connection import open_database

    try:
        day_one = date.fromisoformat(start) if start is not None else None
    except ValueError:
        raise InvalidValue(f"invalid --start {start!r}: give a date, YYYY-MM-DD") from None
    return import_calendars(open_database(db), paths, resolve_actor(actor), dry_run, year,
                            day_one)


@export_app.command("jsonl")
def export_jsonl(output: OutputOpt = None, db: DbOpt = None, json_: JsonOpt = False) -> None:
    """Everything, as JSON Lines: the first line names the format, then one line per row.

    Example: idolq export --output backup.jsonl
    """
    from idolq.cli.progress import progress_bar
    from idolq.cli.views_transfer import show_written
    from idolq.services.transfer import dump, open_output
    from idolq.store.connection import open_database

    with reporting(json_), open_output(output) as write, progress_bar("export", json_) as advance:
        records = dump(open_database(db), write, advance)
    show_written(output, records, json_)


@export_app.command("v1")
def export_v1(output: OutputOpt = None, db: DbOpt = None, json_: JsonOpt = False) -> None:
    """The queue in V1's Markdown layout: a section per agent, then the archive.

    Example: idolq export v1 --output automation/task-queue.md
    """
    from idolq.cli.views_transfer import show_written
    from idolq.services.transfer import open_output
    from idolq.services.v1_export import export_v1 as run
    from idolq.store.connection import open_database

    with reporting(json_), open_output(output) as write:
        records = run(open_database(db), write)
    show_written(output, records, json_)
