"""Every place idolq reaches into Typer's internals, each checked before it is used.

Typer converts every parameter through a pydantic TypeAdapter, and building the first one
imports pydantic: about 90 ms on every run, more than idolq's whole budget. idolq's options
are plain `str`, `int`, `float`, `bool` or lists of them, which need no pydantic; `install()`
puts a converter of our own (`idolq.cli.coercion`) in front of Typer's coercion factory.

This leans on private parts of Typer (verified with the range pinned in pyproject.toml), so
`install()` first checks their shape (names, signatures, dataclass fields) and leaves Typer
alone on any mismatch; a failure inside the plain path at run time hands the parameter back
to Typer's own coercion. Either way commands keep working, only slower.

`main()` installs it for the `idolq` program; a program that embeds idolq's Typer app keeps
Typer's own coercion unless it calls `install()` itself.
"""

from __future__ import annotations

import dataclasses
import inspect
import sys
from collections.abc import Callable
from typing import Any, get_args, get_origin

import typer

from idolq.cli.coercion import CONVERTERS

MARK = "idolq_plain"  # set on the wrapper, so install() is idempotent

# What the plain path relies on, as checked by _shape_problem().
FACTORY_PARAMETERS = ("descriptor",)
RUNTIME_PARAM_FIELDS = ("parameter_info", "annotation")
COERCE_VALUE_PARAMETERS = ("self", "value", "param", "ctx")
DESCRIPTOR_FIELDS = {"annotation", "parameter_info", "file_annotation"}


def _click_exception() -> type[Exception]:
    """Click's base exception as Typer bundles it, found through Typer's public BadParameter."""
    for cls in typer.BadParameter.__mro__:
        if cls.__name__ == "ClickException":
            return cls
    return typer.BadParameter  # pragma: no cover - a Click without ClickException


class _NeverRaised(Exception):
    """Stands for an exception this Typer does not have."""


ClickException = _click_exception()
NoArgsIsHelpError: type[Exception] = getattr(sys.modules[ClickException.__module__],
                                              "NoArgsIsHelpError", _NeverRaised)
# Raised for bad usage found by idolq's own group code (an unknown command): Typer's
# BadParameter is a UsageError too, should this Typer lack the name.
UsageError: type[Exception] = getattr(sys.modules[ClickException.__module__], "UsageError",
                                      typer.BadParameter)


def _parameter_names(function: Any) -> tuple[str, ...]:
    return tuple(inspect.signature(function).parameters)


def _shape_problem() -> str | None:
    """What differs from the Typer this was written for, or None if everything is in place."""
    try:
        from typer import _coercion, core
    except ImportError as error:
        return f"missing module: {error}"
    factory = getattr(core, "build_runtime_param", None)
    runtime_param = getattr(_coercion, "RuntimeParam", None)
    descriptor = getattr(_coercion, "TypeDescriptor", None)
    if not callable(factory) or runtime_param is None or descriptor is None:
        return "missing build_runtime_param, RuntimeParam or TypeDescriptor"
    if getattr(factory, MARK, False):
        return None
    checks = (
        (_parameter_names(factory), FACTORY_PARAMETERS, "build_runtime_param's parameters"),
        (_field_names(runtime_param), RUNTIME_PARAM_FIELDS, "RuntimeParam's fields"),
        (_parameter_names(getattr(runtime_param, "_coerce_value", None)),
         COERCE_VALUE_PARAMETERS, "RuntimeParam._coerce_value's parameters"),
    )
    for found, expected, what in checks:
        if found != expected:
            return f"{what} are {found}, not {expected}"
    if missing := DESCRIPTOR_FIELDS - set(_field_names(descriptor)):
        return "TypeDescriptor lacks " + ", ".join(sorted(missing))
    if not callable(getattr(runtime_param, "coerce", None)):
        return "RuntimeParam has no coerce()"
    return None


def _field_names(cls: Any) -> tuple[str, ...]:
    if not dataclasses.is_dataclass(cls):
        return ()
    return tuple(field.name for field in dataclasses.fields(cls) if field.init)


def install() -> bool:
    """Route Typer's coercion factory through the plain converters first (idempotent).

    Returns whether the plain path is in place; False means Typer's own path is used.
    """
    install_help_labels()
    try:
        problem = _shape_problem()
    except (TypeError, ValueError) as error:  # e.g. a signature inspect cannot read
        problem = f"{type(error).__name__}: {error}"
    if problem is not None:
        return False
    from typer import _coercion, core

    if getattr(core.build_runtime_param, MARK, False):
        return True
    core.build_runtime_param = _wrap(core.build_runtime_param,
                                     _plain_class(_coercion.RuntimeParam))
    return True


def _wrap(typer_build: Callable[[Any], Any], plain_class: type) -> Callable[[Any], Any]:
    def build_runtime_param(descriptor: Any) -> Any:
        try:
            plain = _plain_runtime_param(plain_class, descriptor, typer_build)
        except Exception:  # anything unexpected: Typer's own path
            plain = None
        return plain if plain is not None else typer_build(descriptor)

    setattr(build_runtime_param, MARK, True)
    build_runtime_param.__wrapped__ = typer_build  # type: ignore[attr-defined]
    return build_runtime_param


def _plain_runtime_param(plain_class: type, descriptor: Any, typer_build: Callable) -> Any:
    if descriptor.file_annotation is not None:
        return None
    info = descriptor.parameter_info
    if getattr(info, "min", None) is not None or getattr(info, "max", None) is not None:
        return None
    annotation, many = descriptor.annotation, False
    if get_origin(annotation) is list and len(get_args(annotation)) == 1:
        annotation, many = get_args(annotation)[0], True
    if annotation not in CONVERTERS:
        return None
    convert, label = CONVERTERS[annotation]
    return plain_class(info, descriptor.annotation, convert, label, many,
                       lambda: typer_build(descriptor))


def _plain_class(runtime_param: type) -> type:
    class PlainRuntimeParam(runtime_param):
        """Converts with a plain function (a hand-written class: a generated dataclass
        would cost more at startup than the conversion ever does)."""

        def __init__(self, parameter_info: Any, annotation: Any, convert: Callable[[Any], Any],
                     label: str, many: bool, typers_own: Callable[[], Any]) -> None:
            super().__init__(parameter_info, annotation)
            for name, value in (("convert", convert), ("label", label), ("many", many),
                                ("typers_own", typers_own)):
                object.__setattr__(self, name, value)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                if self.many:
                    return [self.convert(item) for item in value]
                return self.convert(value)
            except (TypeError, ValueError):
                shown = repr(value).encode("ascii", "backslashreplace").decode()
                error = f"{shown} is not a valid {self.label}."
            except Exception:  # a surprise in the plain path: let Typer convert it
                return self.typers_own()._coerce_value(value, param=param, ctx=ctx)
            raise typer.BadParameter(error, ctx=ctx, param=param)

    return PlainRuntimeParam


HELP_LABELS = {str: "TEXT", int: "INTEGER", float: "NUMBER", bool: ""}


def install_help_labels() -> bool:
    """Help shows `TEXT`, `INTEGER`... (as Click does), never Python's `<list[str]>`/`<bool>`.

    Typer 0.29 labels each parameter with its annotation (`display_type`); for idolq's plain
    types this puts Click's words in its place. Any other annotation (choices, paths) keeps
    Typer's label; a Typer without `_TyperParameter.display_type` is left alone.
    """
    from typer import core

    parameter = getattr(core, "_TyperParameter", None)
    typer_display = getattr(parameter, "display_type", None)
    if not callable(typer_display):
        return False
    if getattr(typer_display, MARK, False):
        return True

    def display_type(self: Any, ctx: Any) -> str | None:
        try:
            descriptor = self.type_descriptor
            annotation = descriptor.annotation
            if get_origin(annotation) is list:
                annotation = get_args(annotation)[0]
            if not getattr(descriptor, "is_choice", False) and annotation in HELP_LABELS:
                return HELP_LABELS[annotation] or None
        except Exception:  # anything unexpected: Typer's own label
            pass
        return typer_display(self, ctx)

    setattr(display_type, MARK, True)
    parameter.display_type = display_type
    return True
