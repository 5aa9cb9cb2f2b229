"""Sending one notification: an HTTP POST of JSON, or a program fed the event on stdin."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import urllib.request

DEFAULT_TIMEOUT = 10.0


class DeliveryFailed(Exception):
    """The target did not accept the notification (it will be retried)."""


def post_json(url: str, body: dict, timeout: float = DEFAULT_TIMEOUT) -> None:
    data = json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=data, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": "idolq"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read(65536)
    except urllib.error.HTTPError as error:
        raise DeliveryFailed(f"HTTP {error.code} from {url}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise DeliveryFailed(f"cannot reach {url}: {reason}") from None


def run_command(argv: list[str], event: dict, timeout: float = DEFAULT_TIMEOUT) -> None:
    env = {**os.environ, "IDOLQ_EVENT_TYPE": str(event.get("type", "")),
           "IDOLQ_EVENT_ID": str(event.get("id", ""))}
    try:
        result = subprocess.run(argv, input=json.dumps(event, ensure_ascii=False), text=True,
                                capture_output=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise DeliveryFailed(f"{argv[0]} did not finish within {timeout:g}s") from None
    except OSError as error:
        raise DeliveryFailed(f"cannot run {argv[0]}: {error.strerror}") from None
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-1:] or [""]
        raise DeliveryFailed(f"{argv[0]} exited {result.returncode}: {tail[0][:200]}")
