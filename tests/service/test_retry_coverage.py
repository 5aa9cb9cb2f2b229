"""Every write operation runs again when the database breaks its transaction off (a deadlock,
a serialization failure on PostgreSQL): each public service function that opens a unit of
work is wrapped by `uow.retried`, but for the few that cannot start over, named here."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import idolq.services

# Operations that must not start over by themselves, and why.
NOT_RETRIED = {
    # reads its input once, possibly from a pipe
    "idolq.services.transfer.restore",
    # one transaction per file: a retry would repeat the files already committed
    "idolq.services.v1_import.import_v1",
    "idolq.services.v1_calendar_import.import_calendars",
    # delivers notifications between its transactions: a retry would send them twice
    "idolq.services.notify.deliver_due",
}


def _write_operations() -> dict[str, object]:
    found = {}
    for info in pkgutil.iter_modules(idolq.services.__path__):
        module = importlib.import_module(f"idolq.services.{info.name}")
        for name, function in vars(module).items():
            if (inspect.isfunction(function) and function.__module__ == module.__name__
                    and "with UnitOfWork(conn" in inspect.getsource(function)):
                found[f"{module.__name__}.{name}"] = function
    return found


def test_every_write_operation_is_retried_unless_it_cannot_start_over():
    operations = _write_operations()
    assert len(operations) > 30  # the search finds them
    missing = sorted(name for name, function in operations.items()
                     if name not in NOT_RETRIED and not hasattr(function, "__wrapped__"))
    assert missing == []
    assert NOT_RETRIED <= set(operations)
