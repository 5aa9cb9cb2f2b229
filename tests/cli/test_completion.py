"""Shell completion: the shipped scripts are current, and bash completes live values."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from idolq.cli.completion import SCRIPT_FILES, build_tree

from conftest import run_idolq

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("shell", sorted(SCRIPT_FILES))
def test_the_scripts_in_the_repository_are_what_idolq_completion_prints(cli, shell):
    run = cli("completion", shell, db=False)
    assert run.exit_code == 0
    assert (REPO / "completions" / SCRIPT_FILES[shell]).read_text() == run.stdout


def test_the_command_tree_completion_reads_is_current():
    from idolq.cli.app import app
    from idolq.cli.complete_tree import TREE

    assert build_tree(app) == TREE, "run: python -c 'from idolq.cli.completion import " \
                                    "write_tree; write_tree()'"


def test_an_unknown_shell_is_bad_usage(cli):
    run = cli("completion", "tcsh", db=False)
    assert run.exit_code == 2 and "bash, zsh or fish" in run.stderr


@pytest.fixture
def shell_env(tmp_path):
    """PATH with an `idolq` that runs these sources."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "idolq"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m idolq "$@"\n')
    wrapper.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}


def bash_complete(words: list[str], env: dict, cwd: Path) -> list[str]:
    script = REPO / "completions" / "idolq.bash"
    array = " ".join(f"'{w}'" for w in ["idolq", *words])
    program = (f"source '{script}'; COMP_WORDS=({array}); COMP_CWORD={len(words)}; _idolq; "
               'printf "%s\\n" "${COMPREPLY[@]}"')
    result = subprocess.run(["bash", "-c", program], env=env, cwd=cwd, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line]


@pytest.fixture
def team(tmp_path):
    folder = tmp_path / "team"
    folder.mkdir()
    assert run_idolq("init", cwd=folder).returncode == 0
    for args in (["x", "--type", "content", "--content-type", "tweet"], ["y", "--type", "lore"],
                 ["z", "--type", "content", "--tier", "3"]):
        assert run_idolq("task", "create", *args, cwd=folder).returncode == 0
    for step in (["task", "start", "CONTENT-002"], ["task", "complete", "CONTENT-002"]):
        assert run_idolq(*step, cwd=folder).returncode == 0
    return folder


def test_bash_completes_commands_and_options(shell_env, team):
    assert bash_complete(["ta"], shell_env, team) == ["task"]
    assert "start" in bash_complete(["task", ""], shell_env, team)
    assert bash_complete(["task", "list", "--st"], shell_env, team) == ["--status"]
    assert bash_complete(["task", "list", "--status", "def"], shell_env, team) == ["deferred"]


def test_bash_completes_live_task_codes_review_ids_agents_and_types(shell_env, team):
    assert bash_complete(["task", "start", "CONTENT"], shell_env, team) == \
        ["CONTENT-001", "CONTENT-002"]
    assert bash_complete(["task", "show", "lo"], shell_env, team) == ["LORE-001"]
    assert bash_complete(["review", "approve", ""], shell_env, team) == ["1"]
    assert bash_complete(["task", "assign", "1", "--agent", ""], shell_env, team) == \
        [str(n) for n in range(10)]
    assert bash_complete(["task", "create", "t", "--type", "co"], shell_env, team) == \
        ["content", "coordination"]
    assert "tweet" in bash_complete(["task", "create", "t", "--type", "content",
                                     "--content-type", "t"], shell_env, team)


def test_completion_reads_the_database_named_before_the_command(shell_env, team, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    db = team / ".idolq" / "idolq.db"
    assert bash_complete(["--db", str(db), "task", "show", "LO"], shell_env, elsewhere) == \
        ["LORE-001"]
    assert bash_complete(["task", "show", "LO"], shell_env, elsewhere) == []


def test_completion_without_a_database_offers_nothing_and_never_fails(shell_env, tmp_path):
    assert bash_complete(["task", "start", ""], shell_env, tmp_path) == []


def test_zsh_completes_live_task_codes_with_the_shipped_script(shell_env, team):
    script = REPO / "completions" / "_idolq"
    program = ("compdef() { : }; compadd() { [[ $1 == -- ]] && shift; printf '%s\\n' \"$@\" }; "
               f"_files() {{ echo FILES }}; source '{script}'; "
               "words=(idolq task show CON); CURRENT=4; _idolq; "
               "words=(idolq task create t --db ''); CURRENT=6; _idolq")
    result = subprocess.run(["zsh", "-f", "-c", program], env=shell_env, cwd=team,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["CONTENT-001", "CONTENT-002", "FILES"]


def test_fish_completes_commands_and_live_task_codes_with_the_shipped_script(shell_env, team):
    script = REPO / "completions" / "idolq.fish"
    program = (f"source '{script}'; complete -C 'idolq task sh'; "
               "complete -C 'idolq task show LO'")
    result = subprocess.run(["fish", "--no-config", "-c", program], env=shell_env, cwd=team,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["show", "LORE-001"]
