"""What users hand in as JSON: the configuration of a notification target, checked with
pydantic (`notify add`, and again before delivery).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AnyHttpUrl, Field, ValidationError

from idolq.contract_core import Document
from idolq.domain.errors import InvalidValue

Timeout = Annotated[float, Field(gt=0, le=300)]


class WebhookTarget(Document):
    """`action_config` of a webhook target in `webhook_triggers`."""

    url: AnyHttpUrl
    format: Literal["json", "slack", "discord", "raw"] = "json"
    timeout: Timeout = 10.0


class CommandTarget(Document):
    """`action_config` of a command target in `webhook_triggers`."""

    command: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)
    timeout: Timeout = 10.0


TARGETS: dict[str, type[Document]] = {"webhook": WebhookTarget, "command": CommandTarget}


def target_config(kind: str, config: dict) -> dict:
    """A target's configuration, checked; InvalidValue says what is wrong, in one line."""
    model = TARGETS.get(kind)
    if model is None:
        raise InvalidValue(f"unknown target kind {kind!r}: use webhook or command")
    try:
        return model.model_validate(config).model_dump(mode="json")
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or kind
        raise InvalidValue(f"invalid {kind} target: {where}: {first['msg']}") from None
