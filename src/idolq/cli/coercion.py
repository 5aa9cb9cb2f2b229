"""Plain coercion for simple parameter types, so a command never waits for pydantic.

Typer converts every parameter through a pydantic TypeAdapter, and building the first one
imports pydantic: about 100 ms on every run, more than idolq's whole budget. idolq's options
are plain `str`, `int`, `float`, `bool` or lists of them, which need no pydantic; for those
this puts a converter of our own in front of Typer's coercion factory. Any other
annotation (and any file parameter) keeps Typer's own path.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, get_args, get_origin

try:
    from typer._click.exceptions import BadParameter
    from typer._coercion import RuntimeParam
except ImportError:  # a Typer without this machinery needs no priming
    RuntimeParam = None


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(value)


SQLITE_INTEGER = range(-(2**63), 2**63)


def _to_int(value: Any) -> int:
    """An integer SQLite can store (64-bit), written in ASCII digits."""
    if isinstance(value, str) and not value.isascii():
        raise ValueError(value)
    number = int(value)
    if number not in SQLITE_INTEGER:
        raise ValueError(value)
    return number


def _to_text(value: Any) -> str:
    """Text that is valid UTF-8 (undecodable bytes on the command line are refused)."""
    text = str(value)
    text.encode("utf-8")  # UnicodeEncodeError (a ValueError) for lone surrogates
    return text


def _to_float(value: Any) -> float:
    number = float(value)
    if math.isnan(number):
        raise ValueError(value)
    return number


CONVERTERS: dict[type, tuple[Callable[[Any], Any], str]] = {
    str: (_to_text, "UTF-8 text"),
    int: (_to_int, "integer (64-bit)"),
    float: (_to_float, "number"),
    bool: (_to_bool, "boolean"),
}

if RuntimeParam is not None:

    class PlainRuntimeParam(RuntimeParam):
        """Converts with a plain function (a hand-written class: a generated dataclass
        would cost more at startup than the conversion ever does)."""

        def __init__(self, parameter_info: Any, annotation: Any, convert: Callable[[Any], Any],
                     label: str, many: bool) -> None:
            super().__init__(parameter_info, annotation)
            object.__setattr__(self, "convert", convert)
            object.__setattr__(self, "label", label)
            object.__setattr__(self, "many", many)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                if self.many:
                    return [self.convert(item) for item in value]
                return self.convert(value)
            except (TypeError, ValueError):
                shown = repr(value).encode("ascii", "backslashreplace").decode()
                raise BadParameter(f"{shown} is not a valid {self.label}.", ctx=ctx,
                                   param=param) from None


def _plain_runtime_param(descriptor: Any) -> Any:
    annotation, many = descriptor.annotation, False
    if get_origin(annotation) is list and len(get_args(annotation)) == 1:
        annotation, many = get_args(annotation)[0], True
    if annotation not in CONVERTERS:
        return None
    convert, label = CONVERTERS[annotation]
    return PlainRuntimeParam(descriptor.parameter_info, descriptor.annotation, convert, label,
                             many)


def install() -> None:
    """Route Typer's coercion factory through the plain converters first (idempotent)."""
    try:
        from typer import core
    except ImportError:
        return
    typer_build = getattr(core, "build_runtime_param", None)
    if RuntimeParam is None or typer_build is None or getattr(typer_build, "idolq_plain", False):
        return  # another Typer: its own coercion stays in place

    def build_runtime_param(descriptor: Any) -> Any:
        if descriptor.file_annotation is None:
            plain = _plain_runtime_param(descriptor)
            if plain is not None:
                return plain
        return typer_build(descriptor)

    build_runtime_param.idolq_plain = True
    core.build_runtime_param = build_runtime_param


HELP_LABELS = {str: "TEXT", int: "INTEGER", float: "NUMBER", bool: ""}


def install_help_labels() -> None:
    """Help shows `TEXT`, `INTEGER`... (as Click does), never Python's `<list[str]>`/`<bool>`.

    Any other annotation (choices, paths, datetimes) keeps Typer's own label.
    """
    try:
        from typer import core
    except ImportError:
        return
    parameter = getattr(core, "_TyperParameter", None)
    typer_display = getattr(parameter, "display_type", None)
    if typer_display is None or getattr(typer_display, "idolq_plain", False):
        return

    def display_type(self: Any, ctx: Any) -> str | None:
        descriptor = getattr(self, "type_descriptor", None)
        annotation = getattr(descriptor, "annotation", None)
        if get_origin(annotation) is list:
            annotation = get_args(annotation)[0]
        if getattr(descriptor, "is_choice", False) or annotation not in HELP_LABELS:
            return typer_display(self, ctx)
        return HELP_LABELS[annotation] or None

    display_type.idolq_plain = True
    parameter.display_type = display_type
