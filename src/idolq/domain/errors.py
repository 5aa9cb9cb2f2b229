"""Errors a user can cause. The CLI maps each to one message and an exit status."""

from __future__ import annotations


class IdolqError(Exception):
    """A refused operation: nothing was changed."""

    code = "error"
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(IdolqError):
    code = "not_found"


class InvalidTransition(IdolqError):
    code = "invalid_transition"


class Conflict(IdolqError):
    code = "conflict"


class Forbidden(IdolqError):
    """The actor may not do this (authority): the message names who may."""

    code = "forbidden"


class DependencyCycle(IdolqError):
    code = "dependency_cycle"


class DatabaseNotFound(IdolqError):
    code = "database_not_found"


class DatabaseUnavailable(IdolqError):
    code = "database_error"


class DatabaseContended(DatabaseUnavailable):
    """The database broke the transaction off so that another could go on (a deadlock, a
    serialization failure): nothing was changed, and the operation may be run again."""


class InvalidValue(IdolqError):
    """Bad usage or an invalid value (exit status 2)."""

    code = "invalid_value"
    exit_code = 2


class UnsafeConfiguration(IdolqError):
    """The user's own configuration cannot be trusted or written (exit status 1)."""

    code = "unsafe_configuration"
