"""The root command: `idolq`. Its commands and groups are built only when they run.

`main()` first offers the command line to the fast path (cli/fast.py), which runs the hot
commands' simple forms without importing Typer; anything else goes to the Typer app,
built on first use (`idolq.cli.app.app`).
"""

import sys


def _print_version(value: bool) -> None:
    if value:
        import typer

        from idolq import __version__

        print(f"idolq {__version__}")
        raise typer.Exit()


def _build_app():
    from typing import Annotated

    import typer

    from idolq.cli.group import RootGroup

    def _root(
        version: Annotated[bool, typer.Option("--version", is_eager=True,
                                              callback=_print_version,
                                              help="Print the version and exit.")] = False,
    ) -> None:
        """The root's callback: `--version`; it also keeps the root a group of lazy commands."""

    return typer.Typer(
        cls=RootGroup,
        callback=_root,
        help="idolq: a task queue for teams of agents that hand work to each other.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )


def __getattr__(name: str):
    if name == "app":
        app = globals()["app"] = _build_app()
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """The `idolq` program: the fast path for hot commands in simple forms (no Typer);
    otherwise Typer, with its compatibility patches installed, then the command."""
    from idolq.cli import fast

    if fast.run(sys.argv[1:]):
        return
    from idolq.cli._typer_compat import install

    install()
    __getattr__("app")()
