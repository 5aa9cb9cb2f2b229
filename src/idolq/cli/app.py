"""The root command: `idolq`. Its commands and groups are built only when they run."""

from typing import Annotated

import typer

from idolq.cli.group import RootGroup


def _print_version(value: bool) -> None:
    if value:
        from idolq import __version__

        print(f"idolq {__version__}")
        raise typer.Exit()


def _root(
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_print_version,
                                          help="Print the version and exit.")] = False,
) -> None:
    """The root's callback: `--version`; it also keeps the root a group of lazy commands."""


app = typer.Typer(
    cls=RootGroup,
    callback=_root,
    help="idolq: a task queue for teams of agents that hand work to each other.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def main() -> None:
    """The `idolq` program: Typer's fast path for plain options, then the command."""
    from idolq.cli._typer_compat import install

    install()
    app()
