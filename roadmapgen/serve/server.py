"""HTTP for the preview: answers from the latest complete snapshot, never a half-built one.

The preview serves the confidential internal site, so: it answers only requests with
exactly one Host header naming the address it is bound to (DNS rebinding), sends no CORS
headers, and maps request paths to the generated files by lookup, never by joining them
onto the disk. A connection gets :data:`HEADER_SECONDS` to send each request's line and
headers (an idle one is closed after as long); at most :data:`MAX_CONNECTIONS` are
served at once (each holds a thread), and a client that goes away is simply forgotten.
"""

from __future__ import annotations

import contextlib
import html
import ipaddress
import mimetypes
import posixpath
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from roadmapgen.errors import ContentError
from roadmapgen.serve.live import LivePreview, Outcome, PreviewVersion

EVENTS = "/__roadmapgen/events"
RELOAD_SCRIPT = (
    '<script>(()=>{const s=new EventSource("' + EVENTS + '?page="+encodeURIComponent(location.pathname));'
    's.addEventListener("reload",()=>location.reload());})();</script>'
)
KEEPALIVE_SECONDS = 15.0
HEADER_SECONDS = 10.0
"""From when a connection waits for a request to its last request header: idle connections close too."""
WRITE_SECONDS = 30.0
"""How long writing to a client that does not read may block."""
MAX_CONNECTIONS = 64


@dataclass
class Preview:
    """What the builder thread publishes and request threads read."""

    live: LivePreview
    snapshot: PreviewVersion | None = None
    problems: tuple[ContentError, ...] = ()
    version: int = 0
    building: bool = False
    stopping: bool = False
    watched: Counter[str] = field(default_factory=Counter)
    """Pages open in a browser (through their event stream): rendered before reloading."""
    changed: threading.Condition = field(default_factory=threading.Condition)

    def rebuild(self, paths: Collection[Path] | None = None) -> Outcome:
        with self.changed:
            self.building = True
        try:
            outcome = self.live.rebuild(paths)
            snapshot = self.live.snapshot
            if outcome.ok and snapshot is not None:
                for path in list(self.watched):
                    with contextlib.suppress(ContentError):  # shown with the page when it is asked for
                        snapshot.page(path)
        finally:
            with self.changed:
                self.snapshot = self.live.snapshot
                self.problems = self.live.problems
                self.building = False
                self.version += 1
                self.changed.notify_all()
        return outcome

    def current(self, timeout: float = 60.0) -> tuple[PreviewVersion | None, tuple[ContentError, ...]]:
        """The latest complete build, waiting while one is under way."""
        with self.changed:
            self.changed.wait_for(lambda: not self.building or self.stopping, timeout)
            return self.snapshot, self.problems

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], preview: Preview) -> None:
        self.preview = preview
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.reaper = Reaper()
        super().__init__(address, PreviewHandler)
        self.allowed_hosts = _allowed_hosts(address[0], self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        """A thread per connection, up to MAX_CONNECTIONS; past that, the connection is closed at once."""
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def server_close(self) -> None:
        self.reaper.stop()
        super().server_close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up or stall are normal; anything else is one line, never a traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, OSError):
            print(f"roadmapgen serve: a request failed: {type(error).__name__}: {error}", file=sys.stderr)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else host
        shown = "localhost" if name in ("127.0.0.1", "::1") else name
        return f"http://{shown}:{port}/"


def _allowed_hosts(host: str, port: int) -> frozenset[str]:
    """Host headers naming this server: localhost or the bound address, with the port."""
    names = {"localhost", "127.0.0.1", "[::1]", f"[{host}]" if ":" in host else host}
    return frozenset({f"{name}:{port}" for name in names} | (names if port == 80 else set()))


def _host_allowed(server: PreviewServer, headers: list[str]) -> bool:
    if len(headers) != 1:
        return False
    header = headers[0]
    if header.lower() in server.allowed_hosts:
        return True
    if server.server_address[0] in ("0.0.0.0", "::"):  # noqa: S104 -- opened to the network on request: IP addresses only
        host, _, port = header.rpartition(":")
        try:
            ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            return False
        return port == str(server.server_address[1])
    return False


def resolve_path(raw: str) -> str | None:
    """A request path -> an output path ('roadmap/sso/index.html'); None if it is not one."""
    path = unquote(urlsplit(raw).path)
    if "\x00" in path or "\\" in path or not path.startswith("/") or path.startswith("//"):
        return None
    parts = path.split("/")[1:]
    if any(part in (".", "..") for part in parts):
        return None
    relative = posixpath.join(*parts) if parts else ""
    if path.endswith("/"):
        relative = posixpath.join(relative, "index.html") if relative else "index.html"
    return relative


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "roadmapgen"
    protocol_version = "HTTP/1.1"

    timeout = WRITE_SECONDS
    """Socket timeout, so a write to a client that stopped reading cannot block for ever."""

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal shows rebuilds, not requests

    def handle_one_request(self) -> None:
        """One request, whose line and headers must all arrive within HEADER_SECONDS."""
        reaper = self.server.reaper
        reaper.arm(self.connection, HEADER_SECONDS)
        try:
            super().handle_one_request()
        except OSError:  # a client that went away or stalled: nothing to answer
            self.close_connection = True
        finally:
            reaper.disarm(self.connection)

    def parse_request(self) -> bool:
        parsed = super().parse_request()
        self.server.reaper.disarm(self.connection)  # the headers are in; answering takes its own time
        return parsed

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def _refuse(self, status: HTTPStatus, text: str) -> None:
        self._send(status, "text/plain; charset=utf-8", text.encode(), True)

    def _answer(self, send_body: bool) -> None:
        if not _host_allowed(self.server, self.headers.get_all("Host") or []):
            self._refuse(HTTPStatus.FORBIDDEN, "roadmapgen serve answers only requests for its own address\n")
            return
        if urlsplit(self.path).path == EVENTS:
            self._events()
            return
        path = resolve_path(self.path)
        snapshot, problems = self.server.preview.current()
        if snapshot is None:
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", _error_page(problems), send_body)
            return
        if path is not None and path not in snapshot.pages and f"{path}/index.html" in snapshot.pages:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", "/" + path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._serve(snapshot, path, problems, send_body)

    def _serve(
        self, snapshot: PreviewVersion, path: str | None, problems: tuple[ContentError, ...], send_body: bool
    ) -> None:
        status = HTTPStatus.OK
        try:
            body, generated = _lookup(snapshot, path)
            if body is None:
                status, path, generated = HTTPStatus.NOT_FOUND, "404.html", True
                body = snapshot.page("404.html") or b"Not found\n"
        except ContentError as error:
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", _error_page((error,)), send_body)
            return
        content_type = _content_type(path or "")
        if generated and content_type.startswith("text/html"):
            body = _inject(body, problems)
        self._send(status, content_type, body, send_body)

    def _send(self, status: HTTPStatus, content_type: str, body: bytes, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _events(self) -> None:
        """Server-Sent Events: 'reload' after every rebuild, success or failure."""
        preview = self.server.preview
        page = resolve_path(parse_qs(urlsplit(self.path).query).get("page", ["/"])[0]) or "index.html"
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        with preview.changed:
            seen = preview.version
            preview.watched[page] += 1
        try:
            self.wfile.write(b": connected\n\n")
            self.wfile.flush()
            while True:
                with preview.changed:
                    preview.changed.wait_for(  # called here, in this iteration: `seen` is the current one
                        lambda: preview.version != seen or preview.stopping, KEEPALIVE_SECONDS  # noqa: B023
                    )
                    if preview.stopping:
                        return
                    message = (
                        b": keepalive\n\n"
                        if preview.version == seen
                        else f"event: reload\ndata: {preview.version}\n\n".encode()
                    )
                    seen = preview.version
                self.wfile.write(message)
                self.wfile.flush()
        except OSError:
            return
        finally:
            with preview.changed:
                preview.watched[page] -= 1
                if preview.watched[page] <= 0:
                    del preview.watched[page]
            self.close_connection = True


def _lookup(snapshot: PreviewVersion, path: str | None) -> tuple[bytes | None, bool]:
    """The file's bytes, and whether roadmapgen generated it (assets are served as they are)."""
    if path is None:
        return None, False
    page = snapshot.page(path)
    if page is not None:
        return page, True
    source = snapshot.files.get(path)
    found = source.read_bytes() if source is not None and source.is_file() else None
    return found, False


class Reaper:
    """Closes connections whose request has not arrived in time, from one thread for all.

    A socket timeout bounds each read, not a request: a client trickling one byte at a
    time would hold its thread for ever. A deadline per request, enforced from outside
    by shutting the socket down, bounds the whole request line and headers."""

    def __init__(self, tick: float = 0.25) -> None:
        self._deadlines: dict[socket.socket, float] = {}
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._tick = tick
        threading.Thread(target=self._run, daemon=True, name="roadmapgen-reaper").start()

    def arm(self, connection: socket.socket, seconds: float) -> None:
        with self._lock:
            self._deadlines[connection] = time.monotonic() + seconds

    def disarm(self, connection: socket.socket) -> None:
        with self._lock:
            self._deadlines.pop(connection, None)

    def stop(self) -> None:
        self._stopped.set()

    def _run(self) -> None:
        while not self._stopped.wait(self._tick):
            now = time.monotonic()
            with self._lock:
                late = [connection for connection, deadline in self._deadlines.items() if deadline <= now]
                for connection in late:
                    del self._deadlines[connection]
            for connection in late:
                with contextlib.suppress(OSError):  # already closed by its client
                    connection.shutdown(socket.SHUT_RDWR)
def _content_type(path: str) -> str:
    guessed = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") or guessed.endswith(("json", "xml")) else guessed


def _overlay(problems: tuple[ContentError, ...]) -> str:
    errors = [p for p in problems if p.severity.value == "error"]
    items = "".join(f"<li>{html.escape(p.format())}</li>" for p in errors)
    count = f"{len(errors)} error{'s' * (len(errors) != 1)}"
    return (
        '<div id="roadmapgen-errors" role="alert" style="position:fixed;left:1rem;right:1rem;bottom:1rem;'
        "z-index:2147483647;max-height:50vh;overflow:auto;background:#fff5f5;color:#5c0011;"
        "border:2px solid #b3261e;border-radius:10px;padding:1rem 1.2rem;box-shadow:0 8px 30px rgba(0,0,0,.3);"
        'font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap">'
        f"<strong>roadmapgen: {count}. This is the last good version of the page; fix the file and it reloads.</strong>"
        f'<ul style="margin:.6rem 0 0;padding-left:1.2rem">{items}</ul></div>'
    )


def _inject(body: bytes, problems: tuple[ContentError, ...]) -> bytes:
    extra = RELOAD_SCRIPT
    if any(p.severity.value == "error" for p in problems):
        extra = _overlay(problems) + extra
    text = body.decode("utf-8")
    index = text.rfind("</body>")
    return (text[:index] + extra + text[index:] if index >= 0 else text + extra).encode("utf-8")


def _error_page(problems: tuple[ContentError, ...]) -> bytes:
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>roadmapgen: errors</title></head>'
        "<body><h1>The site could not be built</h1><p>Fix these problems; the page reloads by itself.</p></body></html>"
    )
    return _inject(page.encode(), problems or (ContentError("?", 1, 1, "unknown error"),))
