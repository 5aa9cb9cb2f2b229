"""docs/reference.md stays in step with the code: it names every command, every key of every
JSON document, every event, every error code and every table."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from idolq import (
    contract,
    contract_calendar,
    contract_core,
    contract_operations,
    contract_targets,
)
from idolq.domain import errors, events

from conftest import table_snapshot

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "reference.md"


@pytest.fixture(scope="module")
def quoted() -> set[str]:
    """Everything the reference writes in backticks."""
    return {" ".join(text.split()) for text in re.findall(r"`([^`]+)`", REFERENCE.read_text())}


def _missing(names, quoted: set[str]) -> list[str]:
    return sorted(name for name in names if name not in quoted)


def test_the_reference_names_every_command(quoted):
    commands = {q.split(" [")[0].split(" --")[0] for q in quoted if q.startswith("idolq ")}
    described = {c.removeprefix("idolq ") for c in commands}
    assert sorted(path for path in contract.COMMANDS
                  if not any(d == path or d.startswith(path + " ") for d in described)) == []


def test_the_reference_names_every_document_and_every_key(quoted):
    assert _missing(contract.DOCUMENTS, quoted) == []
    models = [model for module in (contract, contract_core, contract_operations,
                                             contract_calendar, contract_targets)
              for _, model in inspect.getmembers(module, inspect.isclass)
              if issubclass(model, module.Document) and model is not module.Document]
    keys = {key for model in models for key in model.model_fields}
    assert _missing(keys, quoted) == []


def test_the_reference_names_every_event_its_payload_keys_and_every_error_code(quoted):
    assert _missing(events.ALL, quoted) == []
    payload_keys = {field for _, cls in inspect.getmembers(events, inspect.isclass)
                    if isinstance(getattr(cls, "type", None), str)
                    for field in getattr(cls, "_fields", ())}
    assert "blocked_dependents" in payload_keys
    assert _missing(payload_keys - {"violation"}, quoted) == []  # a violation's keys, flattened
    codes = {cls.code for _, cls in inspect.getmembers(errors, inspect.isclass)
             if issubclass(cls, errors.IdolqError) and cls is not errors.IdolqError}
    assert _missing(codes | {"usage", "internal"}, quoted) == []


def test_the_reference_names_every_table(quoted, db_path):
    tables = [name for name in table_snapshot(db_path) if not name.startswith("sqlite_")]
    assert "tasks" in tables
    assert _missing(tables, quoted) == []
