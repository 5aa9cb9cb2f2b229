"""idolq's fast path through Typer's internals falls back to Typer's own path on any change.

Each test puts Typer back as it ships, breaks one thing the fast path relies on the way a
Typer release could, and checks that idolq then leaves Typer alone and every command works.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import subprocess
import sys

import pytest
from typer import _coercion, core

from idolq.cli import _typer_compat, coercion


@pytest.fixture
def plain_typer(monkeypatch):
    """Typer's own coercion factory, as before `install()`."""
    factory = core.build_runtime_param
    monkeypatch.setattr(core, "build_runtime_param", getattr(factory, "__wrapped__", factory))
    return core.build_runtime_param


def _commands_still_work(cli) -> None:
    task = cli.json("task", "create", "still works", "--type", "lore", "--priority", "1",
                    "--estimate", "2.5")
    assert (task["code"], task["priority"], task["estimated_hours"]) == ("LORE-001", 1, 2.5)
    assert cli.json("task", "list", "--status", "pending", "--limit", "5")[0]["code"] == "LORE-001"
    bad = cli("task", "list", "--limit", "many")
    assert bad.exit_code == 2 and "--limit" in bad.stderr
    assert cli("sla", "check", "--json").exit_code == 0


def test_install_puts_the_plain_path_in_front_of_typers_factory(cli, plain_typer):
    assert _typer_compat.install() is True
    assert core.build_runtime_param.__wrapped__ is plain_typer
    assert _typer_compat.install() is True  # idempotent: wrapped once
    assert core.build_runtime_param.__wrapped__ is plain_typer
    _commands_still_work(cli)


def test_importing_the_cli_changes_nothing_in_typer():
    probe = ("import typer.core, idolq.cli.app, idolq.cli.task; "
             "print(getattr(typer.core.build_runtime_param, 'idolq_plain', False))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def _changed_factory_signature(monkeypatch, factory):
    def build_runtime_param(descriptor, *, context=None):
        return factory(descriptor)

    monkeypatch.setattr(core, "build_runtime_param", build_runtime_param)


def _new_required_field(monkeypatch, factory):
    @dataclasses.dataclass(frozen=True)
    class RuntimeParam(_coercion.RuntimeParam):
        source: str

    monkeypatch.setattr(_coercion, "RuntimeParam", RuntimeParam)


def _renamed_keyword(monkeypatch, factory):
    def _coerce_value(self, value, param, context):
        raise NotImplementedError

    monkeypatch.setattr(_coercion.RuntimeParam, "_coerce_value", _coerce_value)


def _renamed_factory(monkeypatch, factory):
    monkeypatch.delattr(core, "build_runtime_param")
    monkeypatch.setattr(core._TyperParameter, "get_runtime_param",
                        lambda self: factory(self.type_descriptor))


def _missing_runtime_param(monkeypatch, factory):
    monkeypatch.delattr(_coercion, "RuntimeParam")


BREAKAGES = [_changed_factory_signature, _new_required_field, _renamed_keyword,
             _renamed_factory, _missing_runtime_param]


@pytest.mark.parametrize("breakage", BREAKAGES, ids=lambda b: b.__name__.strip("_"))
def test_a_changed_typer_is_left_alone_and_commands_still_work(cli, monkeypatch, plain_typer,
                                                              breakage):
    breakage(monkeypatch, plain_typer)
    before = getattr(core, "build_runtime_param", None)
    assert _typer_compat.install() is False
    assert getattr(core, "build_runtime_param", None) is before
    _commands_still_work(cli)


def test_a_failure_while_building_a_plain_parameter_uses_typers_path(cli, monkeypatch,
                                                                     plain_typer):
    assert _typer_compat.install() is True

    def broken(*args):
        raise AttributeError("descriptor has no attribute 'file_annotation'")

    monkeypatch.setattr(_typer_compat, "_plain_runtime_param", broken)
    _commands_still_work(cli)


def test_a_failure_while_converting_hands_the_value_to_typer(cli, monkeypatch, plain_typer):
    assert _typer_compat.install() is True

    def broken(value):
        raise RuntimeError("surprise")

    for kind, (_, label) in list(coercion.CONVERTERS.items()):
        monkeypatch.setitem(coercion.CONVERTERS, kind, (broken, label))
    _commands_still_work(cli)


def test_the_verified_typer_gets_the_fast_path(plain_typer):
    """On a Typer inside the range pyproject.toml pins, the fast path must be in place."""
    from packaging.requirements import Requirement

    (pin,) = [Requirement(r) for r in importlib.metadata.requires("idolq")
              if r.startswith("typer")]
    verified = pin.specifier.contains(importlib.metadata.version("typer"))
    assert _typer_compat.install() is True or not verified
