"""The root command: `idolq`. Its commands and groups are built only when they run.

`main()` first offers the command line to the fast path (cli/fast.py), which runs the hot
commands' simple forms without importing Typer; anything else goes to the Typer app,
built on first use (`idolq.cli.app.app`). `idolq __complete ...` (what the shell completion
scripts call on every Tab) answers before either.
"""

import sys

EPILOG = (
    "--db, --actor and --json may also come before the command (idolq --db x.db task list). "
    "Exit status: 0 done; 1 refused (not found, illegal change, conflict); 2 bad usage or "
    "value; 3 open SLA breach (sla check); 4 nothing to do (task claim); 130 interrupted."
)


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
        epilog=EPILOG,
        context_settings={"help_option_names": ["-h", "--help"]},
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )


def __getattr__(name: str):
    if name == "app":
        app = globals()["app"] = _build_app()
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run(argv: list[str]) -> int:
    """Run one command line in this process (`idolq shell`, `idolq batch`): its exit status."""
    global _root_command
    if _root_command is None:
        from typer.main import get_command

        _root_command = get_command(__getattr__("app"))
    code = _root_command.main(argv, prog_name="idolq", standalone_mode=False)
    return code if isinstance(code, int) else 0


_root_command = None


def main() -> None:
    """The `idolq` program: completion answers at once; the fast path runs hot commands in
    simple forms (no Typer); otherwise Typer, with its compatibility patches, then the
    command."""
    if sys.argv[1:2] == ["__complete"]:
        from idolq.cli.complete import main as complete

        sys.exit(complete(sys.argv[2:]))
    from idolq.cli import fast

    if fast.run(sys.argv[1:]):
        return
    from idolq.cli._typer_compat import install

    install()
    __getattr__("app")()
