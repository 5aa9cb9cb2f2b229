"""The root command: `idolq`. Its commands and groups are built only when they run."""

import typer

from idolq.cli.group import RootGroup


def _root() -> None:
    """A callback, so that the root is a group even though its commands load lazily."""


app = typer.Typer(
    cls=RootGroup,
    callback=_root,
    help="idolq: a task queue for teams of agents that hand work to each other.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def main() -> None:
    app()
