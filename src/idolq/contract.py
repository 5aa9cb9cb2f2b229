"""The JSON that crosses idolq's boundary, as pydantic models.

The commands build their JSON from the domain's values with `domain/documents.py` (fast, and
no pydantic import at startup); these models are the same documents written down as types.
They give users JSON Schema (`idolq schema`), the tests validate every command's output
against them, and they validate data users hand in as JSON (notification targets).

The models live by subject: `contract_core` (tasks, reviews, agents, events, status, prime),
`contract_operations` (SLA, init, doctor, notifications, daemon, demo, config, import and
export), `contract_calendar` (calendar and metrics) and `contract_targets` (what users hand
in). This module names them all: DOCUMENTS by document name, COMMANDS by command, and
json_schema() for `idolq schema`; it keeps the command line's own documents (version,
schema, batch, error).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, RootModel

from idolq.contract_calendar import (
    CalendarItemDoc,
    DisplayZoneDoc,
    MetricsDoc,
    WrittenFileDoc,
)
from idolq.contract_core import (
    AgentDoc,
    CommentedDoc,
    Document,
    EventDoc,
    PrimeDoc,
    ReviewDetailDoc,
    ReviewDoc,
    ReviewPolicyDoc,
    RouteDoc,
    StatusDoc,
    TaskDetailDoc,
    TaskDoc,
)
from idolq.contract_operations import (
    DaemonCycleDoc,
    DeliveryDoc,
    DemoDoc,
    DoctorDoc,
    ExportDoc,
    ImportDoc,
    ImportV1Doc,
    InitDoc,
    NotificationDoc,
    RetryDoc,
    ReviewTimesDoc,
    RuleDoc,
    RuleRemovedDoc,
    SettingsDoc,
    SlaReportDoc,
    TargetDoc,
    TargetRemovedDoc,
)
from idolq.domain.errors import InvalidValue


class VersionDoc(Document):
    """`version`."""

    version: str


class ServerDoc(Document):
    """`serve`: printed once the server listens (then nothing until it stops)."""

    socket: str
    pid: int


class JsonSchemaDoc(RootModel[dict[str, Any]]):
    """`schema NAME`: the JSON Schema of one document."""


class SchemaListingDoc(RootModel[dict[str, dict[str, Any]]]):
    """`schema`: the JSON Schema of every document, by document name."""


class BatchDoc(Document):
    """`batch`: each line's document (or, for a stream, its list of documents), in order."""

    ok: Literal[True]
    results: list[Any]


class ErrorBody(Document):
    code: str
    message: str


class ErrorDoc(Document):
    """What stderr holds when a command run with --json fails."""

    error: ErrorBody


DOCUMENTS: dict[str, type[BaseModel]] = {
    "task": TaskDoc, "task-detail": TaskDetailDoc, "review": ReviewDoc, "agent": AgentDoc,
    "review-detail": ReviewDetailDoc, "comment": CommentedDoc, "route": RouteDoc,
    "event": EventDoc, "status": StatusDoc, "sla-report": SlaReportDoc, "init": InitDoc,
    "doctor": DoctorDoc, "import-v1": ImportV1Doc, "import": ImportDoc, "export": ExportDoc,
    "sla-rule": RuleDoc, "sla-rule-removed": RuleRemovedDoc, "sla-stats": ReviewTimesDoc,
    "notify-target": TargetDoc, "notify-target-removed": TargetRemovedDoc,
    "notification": NotificationDoc, "notify-delivery": DeliveryDoc, "notify-retry": RetryDoc,
    "daemon-cycle": DaemonCycleDoc, "demo": DemoDoc, "version": VersionDoc,
    "server": ServerDoc,
    "prime": PrimeDoc, "review-policy": ReviewPolicyDoc, "config": SettingsDoc,
    "schema": JsonSchemaDoc, "schema-listing": SchemaListingDoc, "batch": BatchDoc,
    "error": ErrorDoc,
    "calendar-item": CalendarItemDoc, "metrics": MetricsDoc, "written-file": WrittenFileDoc,
    "display-zone": DisplayZoneDoc,
}

ONE, ARRAY, LINES = "one", "array", "lines"

# What each command prints with --json: (document, shape). `one` is one document, `array` a
# JSON array of them, `lines` one document per line. The reference (docs/reference.md) and
# the tests are checked against this table.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("init", ONE), "doctor": ("doctor", ONE), "status": ("status", ONE),
    "demo": ("demo", ONE),
    "daemon": ("daemon-cycle", LINES), "version": ("version", ONE),
    "serve": ("server", ONE),
    "schema": ("schema-listing", ONE),  # `schema NAME` prints one "schema"
    "task create": ("task", ONE), "task start": ("task", ONE), "task complete": ("task", ONE),
    "task cancel": ("task", ONE), "task depend": ("task", ONE), "task undepend": ("task", ONE),
    "task show": ("task-detail", ONE), "task list": ("task", ARRAY),
    "task ready": ("task", ARRAY),
    "review list": ("review", ARRAY), "review approve": ("review", ONE),
    "review reject": ("review", ONE),
    "agent list": ("agent", ARRAY), "events tail": ("event", LINES),
    "sla check": ("sla-report", ONE), "sla policy": ("sla-rule", ARRAY),
    "sla policy set": ("sla-rule", ONE), "sla policy remove": ("sla-rule-removed", ONE),
    "sla policy reset": ("sla-rule", ARRAY), "sla stats": ("sla-stats", ONE),
    "notify add": ("notify-target", ONE), "notify targets": ("notify-target", ARRAY),
    "notify remove": ("notify-target-removed", ONE),
    "notify allow": ("notify-target", ONE), "notify disallow": ("notify-target", ONE),
    "notify list": ("notification", ARRAY),
    "notify send": ("notify-delivery", ONE), "notify retry": ("notify-retry", ONE),
    "task claim": ("task", ONE),  # or null, exit 4, when there is nothing to claim
    "task heartbeat": ("task", ONE), "task release": ("task", ONE),
    "agent add": ("agent", ONE), "agent edit": ("agent", ONE), "agent show": ("agent", ONE),
    "review policy": ("review-policy", ONE), "review policy set": ("review-policy", ONE),
    "review policy remove": ("review-policy", ONE),
    "review policy reviewer": ("review-policy", ONE),
    "config show": ("config", ONE), "config set": ("config", ONE), "prime": ("prime", ONE),
    "task edit": ("task", ONE), "task assign": ("task", ONE), "task defer": ("task", ONE),
    "task resume": ("task", ONE), "task comment": ("comment", ONE),
    "review show": ("review-detail", ONE),
    "route list": ("route", ARRAY), "route set": ("route", ARRAY),
    "route remove": ("route", ARRAY), "batch": ("batch", ONE),
    "import jsonl": ("import", ONE), "import v1": ("import-v1", ONE),
    # with --output; without it, stdout holds the export itself (JSON Lines or Markdown)
    "export jsonl": ("export", ONE), "export v1": ("export", ONE),
    "calendar schedule": ("calendar-item", ONE), "calendar list": ("calendar-item", ARRAY),
    "calendar publish": ("calendar-item", ONE), "calendar cancel": ("calendar-item", ONE),
    "calendar stats": ("calendar-item", ONE), "calendar zone": ("display-zone", ONE),
    "calendar export": ("written-file", ONE),  # with --output; else the iCalendar text
    "metrics": ("metrics", ONE), "report": ("written-file", ONE),
}


# Commands that print no JSON document: what they speak instead.
NOT_JSON: dict[str, str] = {"mcp": "the Model Context Protocol, on stdio",
                            "completion": "a shell completion script",
                            "shell": "an interactive prompt"}


def json_schema(name: str | None = None) -> dict:
    """The JSON Schema of one document, or of all of them by name."""
    if name is None:
        return {key: model.model_json_schema() for key, model in DOCUMENTS.items()}
    if name not in DOCUMENTS:
        raise InvalidValue(f"unknown document {name!r}: use one of {', '.join(DOCUMENTS)}")
    return DOCUMENTS[name].model_json_schema()
