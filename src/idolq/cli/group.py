"""The command group class every idolq group uses: one-line usage errors, fast parameters."""

from __future__ import annotations

import os
import sys
from typing import Any

import typer
from typer.core import TyperGroup
from typer.exceptions import Abort

from idolq.cli._typer_compat import ClickException, NoArgsIsHelpError, UsageError
from idolq.cli.errors import INTERRUPTED_EXIT, report
from idolq.cli.fast import hoist_global_options


class IdolqGroup(TyperGroup):
    """Reports bad usage as one line (JSON with --json) and exits 2, like every other error."""

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        try:
            result = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except NoArgsIsHelpError as error:  # help was printed: nothing to add
            result = error.exit_code
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

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """An unknown command is refused with the nearest names (`did you mean list?`)."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            from idolq.domain.vocabulary import nearest

            close = nearest(name, self.list_commands(ctx))
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise UsageError(f"no such command {name!r}{hint}", ctx=ctx)
        return super().resolve_command(ctx, args)


def _usage_message(error: ClickException) -> str:
    message = error.format_message()
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        return f"{message} (see `{ctx.command_path} --help`)"
    return message


# Where the root's commands live; a run imports only the module of the command it runs.
ROOT_COMMANDS = ("idolq.cli.root", "idolq.cli.lanes")  # modules of the root's commands
SUBGROUPS = {
    "task": "idolq.cli.task",
    "review": "idolq.cli.review",
    "events": "idolq.cli.events",
    "agent": "idolq.cli.agent",
    "sla": "idolq.cli.sla",
    "notify": "idolq.cli.notify",
    "config": "idolq.cli.config",
    "route": "idolq.cli.route",
    "import": "idolq.cli.transfer:import_app",
    "export": "idolq.cli.transfer:export_app",
    "calendar": "idolq.cli.calendar",
}


class RootGroup(IdolqGroup):
    """`idolq`: loads only the module of the command or group a run needs (help loads all)."""

    def main(self, args: Any = None, *rest: Any, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        argv, env = hoist_global_options(argv)
        saved = {name: os.environ.get(name) for name in env}
        os.environ.update(env)
        try:
            return super().main(argv, *rest, **extra)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value

    def list_commands(self, ctx: Any) -> list[str]:
        self._load_root_commands()
        return sorted({*super().list_commands(ctx), *SUBGROUPS})

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in SUBGROUPS:
            if cmd_name not in self.commands:
                self.commands[cmd_name] = load_group(cmd_name)
            return self.commands[cmd_name]
        self._load_root_commands()
        return super().get_command(ctx, cmd_name)

    def _load_root_commands(self) -> None:
        if not getattr(self, "_root_loaded", False):
            from importlib import import_module

            from typer.main import get_command

            for module in ROOT_COMMANDS:
                root = get_command(import_module(module).commands)
                self.commands.update({**root.commands, **self.commands})
            self._root_loaded = True


def load_group(name: str) -> IdolqGroup:
    from importlib import import_module

    from typer.main import get_command

    module_name, _, attribute = SUBGROUPS[name].partition(":")
    group_app = getattr(import_module(module_name), attribute or "app")
    command = get_command(group_app)
    if isinstance(command, IdolqGroup):
        return command
    # Typer turns a group of one command into that command: keep `idolq agent list`
    return IdolqGroup(name=name, help=group_app.info.help, no_args_is_help=True,
                      commands=[command])


class DefaultCommandGroup(IdolqGroup):
    """A group whose arguments go to a default command unless they name one of its commands:
    `idolq import FILE` is `idolq import jsonl FILE`, while `idolq import v1 FILE` is v1's."""

    default_command = "jsonl"

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        first = args[0] if args else None
        if first not in (*self.commands, "--help", "-h"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


def command_group(name: str, help: str) -> typer.Typer:
    """A sub-command group (`idolq task`, `idolq review`, ...)."""
    return typer.Typer(cls=IdolqGroup, name=name, help=help, no_args_is_help=True,
                       add_completion=False)
