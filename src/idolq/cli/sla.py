"""`idolq sla ...`"""

from typing import Annotated

import typer

from idolq.cli.errors import reporting
from idolq.cli.group import IdolqGroup, command_group
from idolq.cli.options import ActorOpt, DbOpt, JsonOpt, resolve_actor

app = command_group("sla", "Service levels: check breaches, edit the policy, see review times.")
policy_app = typer.Typer(cls=IdolqGroup, name="policy", invoke_without_command=True,
                         help="Show the SLA policy, or change it with a subcommand.")
app.add_typer(policy_app)

TierOpt = Annotated[int | None, typer.Option("--tier", help="Review tier (review rules).")]


@app.command("check")
def check(
    at: Annotated[str | None, typer.Option(help="Evaluate as of this time.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report without escalating.")]
    = False,
    notify: Annotated[bool, typer.Option(help="Deliver due notifications afterwards.")] = True,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Report open breaches (exit 3 if any) and escalate each new one once.

    Example: idolq sla check --at "in 2h" --dry-run
    """
    from idolq.cli.hot_reviews import sla_check

    sla_check(at, dry_run, notify, db, actor, json_)


@policy_app.callback()
def policy(ctx: typer.Context, db: DbOpt = None, json_: JsonOpt = False) -> None:
    """Show the SLA policy (or change it: set, remove, reset).

    Example: idolq sla policy
    """
    if ctx.invoked_subcommand is not None:
        return
    from idolq.cli.sla_views import show_policy as render
    from idolq.services.sla_policy import show_policy
    from idolq.store.connection import open_database

    with reporting(json_):
        render(show_policy(open_database(db)), json_)


@policy_app.command("set")
def set_(
    item: Annotated[str, typer.Argument(
        help="canon, cultural, coordinator (with --tier) or P0-P3.")],
    limit: Annotated[str, typer.Option(help="How long, e.g. 30m, 2h, 1d.")],
    tier: TierOpt = None,
    escalate_to: Annotated[str | None, typer.Option(
        help="human, coordinator or agent:N (default: unchanged)")] = None,
    db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False,
) -> None:
    """Set the limit (and escalation target) for a review type and tier, or a priority.

    Example: idolq sla policy set cultural --tier 2 --limit 90m
    """
    from idolq.cli.sla_views import show_policy as render
    from idolq.domain.sla import parse_duration_minutes, parse_escalate_to
    from idolq.services.sla_policy import set_rule
    from idolq.store.connection import open_database

    with reporting(json_):
        minutes = parse_duration_minutes(limit)
        target = parse_escalate_to(escalate_to) if escalate_to else None
        rule = set_rule(open_database(db), item, tier, minutes, target, resolve_actor(actor))
        render([rule], json_, single=True)


@policy_app.command("remove")
def remove(item: Annotated[str, typer.Argument(help="As for `set`.")], tier: TierOpt = None,
           db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False) -> None:
    """Remove a rule: that item then has no limit.

    Example: idolq sla policy remove P1
    """
    from idolq.cli.sla_views import show_removed_rule
    from idolq.services.sla_policy import remove_rule
    from idolq.store.connection import open_database

    with reporting(json_):
        show_removed_rule(remove_rule(open_database(db), item, tier, resolve_actor(actor)), json_)


@policy_app.command("reset")
def reset(db: DbOpt = None, actor: ActorOpt = None, json_: JsonOpt = False) -> None:
    """Restore the default policy.

    Example: idolq sla policy reset
    """
    from idolq.cli.sla_views import show_policy as render
    from idolq.services.sla_policy import reset_policy
    from idolq.store.connection import open_database

    with reporting(json_):
        render(reset_policy(open_database(db), resolve_actor(actor)), json_)


@app.command("stats")
def stats(
    since: Annotated[str | None, typer.Option(help="Only reviews decided since this time.")]
    = None,
    db: DbOpt = None, json_: JsonOpt = False,
) -> None:
    """Review time per review type (minutes) and how many met their limit.

    Example: idolq sla stats --since 1w
    """
    from idolq.cli.parsing import parse_optional_time
    from idolq.cli.sla_views import show_stats
    from idolq.services.sla_policy import review_time_stats
    from idolq.store.connection import open_database

    with reporting(json_):
        since_time = parse_optional_time(since)
        show_stats(review_time_stats(open_database(db), since_time), since_time, json_)
