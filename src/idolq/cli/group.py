"""The command group class every idolq group uses: one-line usage errors, fast parameters."""

from __future__ import annotations

import os
import sys
from typing import Any

import typer
from typer._click.exceptions import ClickException
from typer.core import TyperGroup
from typer.exceptions import Abort

from idolq.cli.coercion import install
from idolq.cli.errors import INTERRUPTED_EXIT, report


class IdolqGroup(TyperGroup):
    """Reports bad usage as one line (JSON with --json) and exits 2, like every other error."""

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        try:
            result = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except ClickException as error:
            report("usage", _usage_message(error), "--json" in argv)
            result = error.exit_code
        except Abort:
            result = INTERRUPTED_EXIT
        except BrokenPipeError:  # e.g. `idolq events tail | head -1`
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            result = 1
        except Exception as error:  # a bug: still one line, never a traceback
            if os.environ.get("IDOLQ_DEBUG"):
                raise
            report("internal", f"internal error ({type(error).__name__}: {error}); "
                   "rerun with IDOLQ_DEBUG=1 for details and report it", "--json" in argv)
            result = 1
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)


install()


def _usage_message(error: ClickException) -> str:
    message = error.format_message()
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        return f"{message} (see `{ctx.command_path} --help`)"
    return message


# Sub-command groups, each built only when it is invoked (or when help lists them all).
SUBGROUPS = {
    "task": "idolq.cli.task",
    "review": "idolq.cli.review",
    "events": "idolq.cli.events",
    "agent": "idolq.cli.agent",
    "sla": "idolq.cli.sla",
    "notify": "idolq.cli.notify",
}


class RootGroup(IdolqGroup):
    """`idolq`: builds only the sub-command group a run needs, not all of them."""

    def list_commands(self, ctx: Any) -> list[str]:
        return sorted({*super().list_commands(ctx), *SUBGROUPS})

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in SUBGROUPS:
            return super().get_command(ctx, cmd_name)
        from importlib import import_module

        from typer.main import get_command

        return get_command(import_module(SUBGROUPS[cmd_name]).app)


def command_group(name: str, help: str) -> typer.Typer:
    """A sub-command group (`idolq task`, `idolq review`, ...)."""
    return typer.Typer(cls=IdolqGroup, name=name, help=help, no_args_is_help=True,
                       callback=_keep_as_group)


def _keep_as_group() -> None:
    """A group callback, so that a group with one command stays a group."""
