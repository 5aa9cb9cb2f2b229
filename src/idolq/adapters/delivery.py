"""Sending one notification: an HTTP POST of JSON, or a program fed the event on stdin.

Each has a total deadline: a target that answers slowly, drips bytes or leaves children
behind never holds the sender longer than its timeout (plus a moment to clean up).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading

from idolq.domain.targets import redact_text, redact_url

DEFAULT_TIMEOUT = 10.0
MAX_RESPONSE_BYTES = 65536
ERROR_TAIL_BYTES = 4096
CLEANUP_SECONDS = 1.0


class DeliveryFailed(Exception):
    """The target did not accept the notification (it will be retried)."""


def post_json(url: str, body: dict, timeout: float = DEFAULT_TIMEOUT) -> None:
    """POST `body`; a 2xx answer is success. Redirects are never followed (a redirect could
    lead to another scheme or host, or turn the POST into a GET that looks like success)."""
    data = json.dumps(body, ensure_ascii=False).encode()
    call = _HttpCall(url, data, timeout)
    worker = threading.Thread(target=call.run, name="idolq-webhook", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        call.abandon()
        if call.accepted:  # a 2xx came in time; only the rest of its body did not
            return
        raise DeliveryFailed(f"{redact_url(url)} did not answer within {timeout:g}s")
    if call.error is not None:
        raise DeliveryFailed(call.error)


class _HttpCall:
    """One POST, run in a worker thread so that the caller can stop waiting at the deadline;
    abandoning it shuts its socket down so that the worker ends too."""

    def __init__(self, url: str, data: bytes, timeout: float) -> None:
        self.url, self.data, self.timeout = url, data, timeout
        self.error: str | None = "not sent"
        self.accepted = False
        self._lock = threading.Lock()
        self._sockets: list = []
        self._abandoned = False

    def run(self) -> None:
        try:
            self.error = self._post()
        except Exception as error:  # reported to the caller, never raised in the thread
            self.error = f"cannot reach {redact_url(self.url)}: {_reason(error)}"
        finally:
            self._close_sockets()

    def _post(self) -> str | None:
        import urllib.error
        import urllib.request

        url, credentials = _split_credentials(self.url)
        request = urllib.request.Request(url, data=self.data, method="POST", headers={
            "Content-Type": "application/json", "User-Agent": "idolq", **credentials})
        opener = urllib.request.build_opener(_no_redirects(), *_handlers(self))
        try:
            with opener.open(request, timeout=self.timeout) as response:
                self.accepted = True
                response.read(MAX_RESPONSE_BYTES)  # a courtesy, bounded: the 2xx is the answer
        except urllib.error.HTTPError as error:
            return _http_error(self.url, error)
        except OSError:
            if not self.accepted:
                raise
        return None

    def create_connection(self, *args, **kwargs):
        import socket

        sock = socket.create_connection(*args, **kwargs)
        with self._lock:
            if self._abandoned:
                sock.close()
                raise OSError("the deadline passed")
            self._sockets.append(sock)
        return sock

    def abandon(self) -> None:
        import socket

        with self._lock:
            self._abandoned = True
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _close_sockets(self) -> None:
        with self._lock:
            self._abandoned = True
            for sock in self._sockets:
                sock.close()


def _split_credentials(url: str) -> tuple[str, dict]:
    """`https://user:password@host/...` as the URL without them and a Basic auth header."""
    from base64 import b64encode
    from urllib.parse import unquote, urlsplit, urlunsplit

    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, {}
    userinfo, _, host = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    token = b64encode(f"{unquote(user)}:{unquote(password)}".encode()).decode()
    return urlunsplit(parts._replace(netloc=host)), {"Authorization": f"Basic {token}"}


def _handlers(call: _HttpCall) -> list:
    """urllib's HTTP and HTTPS handlers, with connections whose sockets `call` can shut."""
    import http.client
    import ssl
    import urllib.request

    def guarded(cls):
        class Connection(cls):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self._create_connection = call.create_connection
        return Connection

    plain, secure = guarded(http.client.HTTPConnection), guarded(http.client.HTTPSConnection)
    context = ssl.create_default_context()

    class Http(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(plain, req)

    class Https(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(secure, req, context=context)

    return [Http(), Https(context=context)]


def _no_redirects():
    import urllib.request

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):
            return None  # urllib then raises HTTPError with the 3xx status

    return NoRedirects()


def _http_error(url: str, error) -> str:
    where = redact_url(url)
    if 300 <= error.code < 400:
        location = error.headers.get("Location") if error.headers else None
        target = redact_url(location) if location else "nowhere"
        return (f"HTTP {error.code} from {where}: redirects to {target} are not followed;"
                " give the final URL")
    return f"HTTP {error.code} from {where}"


def _reason(error: Exception) -> str:
    reason = getattr(error, "reason", None) or error
    return redact_text(str(reason)) or type(error).__name__


def run_command(argv: list[str], event: dict, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Run the program with the event on stdin; exit status 0 is success. At the deadline
    the program and everything it started in its session are killed."""
    env = {**os.environ, "IDOLQ_EVENT_TYPE": str(event.get("type", "")),
           "IDOLQ_EVENT_ID": str(event.get("id", ""))}
    try:
        process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, env=env, start_new_session=True)
    except (OSError, ValueError) as error:
        raise DeliveryFailed(f"cannot run {argv[0]}: {getattr(error, 'strerror', error)}"
                             ) from None
    tails = _Tails(process, json.dumps(event, ensure_ascii=False).encode())
    try:
        status = process.wait(timeout)
    except subprocess.TimeoutExpired:
        _kill_session(process)
        raise DeliveryFailed(f"{argv[0]} did not finish within {timeout:g}s (killed)") from None
    finally:
        tails.join(CLEANUP_SECONDS)
    if status != 0:
        last = (tails.stderr or tails.stdout).decode(errors="replace").strip().splitlines()
        raise DeliveryFailed(f"{argv[0]} exited {status}: {(last[-1:] or [''])[0][:200]}")


def _kill_session(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (OSError, AttributeError):
        process.kill()
    try:
        process.wait(CLEANUP_SECONDS)
    except subprocess.TimeoutExpired:
        pass


class _Tails:
    """Feeds stdin and drains stdout and stderr in threads, keeping only their last bytes."""

    def __init__(self, process: subprocess.Popen, data: bytes) -> None:
        self.stdout = self.stderr = b""
        self.threads = [threading.Thread(target=self._feed, args=(process.stdin, data)),
                        threading.Thread(target=self._drain, args=(process.stdout, "stdout")),
                        threading.Thread(target=self._drain, args=(process.stderr, "stderr"))]
        for thread in self.threads:
            thread.daemon = True
            thread.start()

    @staticmethod
    def _feed(stream, data: bytes) -> None:
        try:
            stream.write(data)
            stream.close()
        except OSError:  # the program did not read its input: its choice
            pass

    def _drain(self, stream, name: str) -> None:
        try:
            for chunk in iter(lambda: stream.read1(65536), b""):
                setattr(self, name, (getattr(self, name) + chunk)[-ERROR_TAIL_BYTES:])
        except (OSError, ValueError):
            pass

    def join(self, timeout: float) -> None:
        import time

        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))
