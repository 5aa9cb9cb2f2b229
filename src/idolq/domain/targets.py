"""What notification targets may show and send: URLs without their secrets, chat text that
cannot ping a whole channel."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

HIDDEN = "***"
_WORDS = re.compile(r"[a-z]+(?:[-_.][a-z]+)*")
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>]*[^\s'\"<>:,;.)]")


def redact_url(url: str) -> str:
    """The URL as it may be printed: no user or password, no query or fragment, and no path
    segment that looks like a token (16 characters or more that are not plain words, as in
    Slack's and Discord's webhook URLs)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return HIDDEN
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = (f"{HIDDEN}@" if "@" in parts.netloc else "") + host
    netloc += f":{port}" if port is not None else ""
    path = "/".join(HIDDEN if _secret_looking(segment) else segment
                    for segment in parts.path.split("/"))
    query = HIDDEN if parts.query else ""
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def _secret_looking(segment: str) -> bool:
    return len(segment) >= 16 and not _WORDS.fullmatch(segment)


def redact_text(text: str) -> str:
    """Every URL in a message, redacted."""
    return _URL.sub(lambda match: redact_url(match.group(0)), text)


def slack_text(text: str) -> str:
    """Slack's escaping: `<!channel>`, `<@U123>` and links need < and >, so escape &, < and >."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def discord_text(text: str) -> str:
    """Every @ followed by a zero-width space: no @everyone, @here, <@id> or <@&role>."""
    return text.replace("@", "@\u200b")


NO_MENTIONS = {"parse": []}


def chat_body(fmt: str, text: str, event: dict) -> dict:
    """The JSON body of a webhook in a format: json (Slack and Discord), slack, discord, raw."""
    if fmt == "slack":
        return {"text": slack_text(text)}
    if fmt == "discord":
        return {"content": discord_text(text), "allowed_mentions": NO_MENTIONS}
    if fmt == "raw":
        return event
    return {"text": slack_text(text), "content": discord_text(text),
            "allowed_mentions": NO_MENTIONS, "event": event}
