"""`idolq calendar ...`"""

from typing import Annotated

import typer

from idolq.cli.errors import reporting
from idolq.cli.group import command_group
from idolq.cli.options import ActorOpt, DbOpt, JsonOpt, TaskArg, resolve_actor

app = command_group("calendar", "The content calendar: schedule, publish, export.")

ItemArg = Annotated[str, typer.Argument(metavar="ITEM", help="Calendar item number.")]
CountOpt = Annotated[int | None, typer.Option(help="A count (0 or more).")]


def _item_operation(operation: str, item: str, db, actor, json_: bool, **options) -> None:
    from idolq.cli.calendar_views import show_item
    from idolq.domain.calendar import parse_item_ref
    from idolq.services import calendar
    from idolq.store.connection import open_database

    with reporting(json_):
        item_id = parse_item_ref(item)
        parsed = {name: parse() for name, parse in options.items()}
        conn = open_database(db)
        changed = getattr(calendar, operation)(conn, item_id, resolve_actor(actor), **parsed)
        show_item(changed, calendar.display_zone(conn), json_)


@app.command("schedule")
def schedule(
    task: TaskArg,
    at: Annotated[str, typer.Option("--at", help="When it goes out: ISO 8601 time.")],
    platform: Annotated[str | None, typer.Option(help="twitter, discord, ...")] = None,
    pillar: Annotated[str | None, typer.Option(help="Content pillar, e.g. 'Ika Voice'.")]
    = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Put a content task on the calendar (it can be published once approved).

    Example: idolq calendar schedule CONTENT-007 --at 2026-01-13T09:00+09:00 --platform twitter
    """
    from idolq.cli.calendar_views import show_item
    from idolq.cli.parsing import parse_optional_time
    from idolq.domain.calendar import parse_label
    from idolq.domain.values import parse_task_ref
    from idolq.services import calendar
    from idolq.store.connection import open_database

    with reporting(json_):
        ref, when = parse_task_ref(task), parse_optional_time(at)
        labels = {"platform": parse_label("platform", platform),
                  "pillar": parse_label("pillar", pillar)}
        conn = open_database(db)
        item = calendar.schedule(conn, ref, when, resolve_actor(actor), **labels)
        show_item(item, calendar.display_zone(conn), json_)


@app.command("list")
def list_(
    from_: Annotated[str | None, typer.Option(
        "--from", help="From this time [default: today 00:00 in the display zone].")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Until this time (excluded).")] = None,
    db: DbOpt = None, json_: JsonOpt = False,
) -> None:
    """Calendar items in time order; a week view on a terminal.

    Example: idolq calendar list --from 2026-01-12 --to 2026-01-19
    """
    from idolq.cli.calendar_views import show_items, start_of_today
    from idolq.cli.parsing import parse_optional_time
    from idolq.services import calendar
    from idolq.store.connection import open_database

    with reporting(json_):
        conn = open_database(db)
        zone = calendar.display_zone(conn)
        start = parse_optional_time(from_) if from_ else start_of_today(zone)
        items = calendar.list_items(conn, start, parse_optional_time(to))
        show_items(items, zone, json_)


@app.command("publish")
def publish(
    item: ItemArg,
    post_id: Annotated[str | None, typer.Option(help="The platform's id for the post.")]
    = None,
    url: Annotated[str | None, typer.Option(help="Where the post is.")] = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Record that an item went out (refused unless its task is complete).

    Example: idolq calendar publish 3 --post-id 1878 --url https://x.com/ika/status/1878
    """
    from idolq.domain.calendar import parse_label, parse_url

    _item_operation("publish", item, db, actor, json_,
                    post_id=lambda: parse_label("post id", post_id), url=lambda: parse_url(url))


@app.command("cancel")
def cancel(
    item: ItemArg,
    reason: Annotated[str | None, typer.Option(help="Why.")] = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Take a scheduled item off the calendar.

    Example: idolq calendar cancel 4 --reason "moved to Friday"
    """
    from idolq.domain.values import check_text

    _item_operation("cancel", item, db, actor, json_,
                    reason=lambda: check_text("reason", reason))


@app.command("stats")
def stats(
    item: ItemArg,
    likes: CountOpt = None, reposts: CountOpt = None, comments: CountOpt = None,
    impressions: CountOpt = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Record engagement numbers of a published item (those given replace the old ones).

    Example: idolq calendar stats 3 --likes 120 --reposts 14 --impressions 5400
    """
    from idolq.domain.calendar import parse_engagement

    numbers = {"likes": likes, "reposts": reposts, "comments": comments,
               "impressions": impressions}
    _item_operation("record_engagement", item, db, actor, json_,
                    numbers=lambda: parse_engagement(numbers))


@app.command("export")
def export(
    ics: Annotated[bool, typer.Option("--ics", help="As an iCalendar file.")] = False,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="FILE", help="Write to FILE [default: stdout].")] = None,
    db: DbOpt = None, json_: JsonOpt = False,
) -> None:
    """Export the calendar for Google Calendar, Thunderbird and the like (--ics).

    Example: idolq calendar export --ics --output team.ics
    """
    from idolq.cli.calendar_views import write_export
    from idolq.domain.errors import InvalidValue
    from idolq.services import calendar
    from idolq.store.connection import open_database

    with reporting(json_):
        if not ics:
            raise InvalidValue("choose a format: --ics")
        from idolq.adapters.ics import calendar_ics

        items, identity = calendar.all_items(open_database(db))
        write_export(calendar_ics(items, identity), output, json_)


@app.command("zone")
def zone(
    name: Annotated[str | None, typer.Argument(
        help="IANA zone, e.g. Asia/Tokyo; 'local' for the machine's.")] = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Show or set the team's display zone (IDOLQ_TZ overrides it).

    Example: idolq calendar zone Asia/Tokyo
    """
    from idolq.cli.calendar_views import show_zone
    from idolq.services import calendar
    from idolq.store.connection import open_database

    with reporting(json_):
        conn = open_database(db)
        if name is not None:
            wanted = None if name.strip().lower() == "local" else name
            calendar.set_display_zone(conn, wanted, resolve_actor(actor))
        show_zone(calendar.display_zone(conn), json_)
