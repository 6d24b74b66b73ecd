"""`roadmapgen serve`: build in memory, serve, watch, rebuild, reload; Ctrl-C stops it all."""

from __future__ import annotations

import datetime as dt
import errno
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from roadmapgen.audience.context import Audience
from roadmapgen.errors import UsageError
from roadmapgen.serve.live import LivePreview, Outcome
from roadmapgen.serve.server import Preview, PreviewServer
from roadmapgen.serve.watch import ChangeQueue, Watcher

Log = Callable[[str], None]


@dataclass(frozen=True)
class ServeOptions:
    audience: Audience = Audience.INTERNAL
    host: str = "127.0.0.1"
    port: int = 8000
    open_browser: bool = False
    poll: bool = False
    source_date: dt.date | None = None


class Session:
    """A running preview: the server, the watcher and the builder thread."""

    def __init__(self, project_dir: Path, options: ServeOptions, log: Log) -> None:
        self.project_dir = project_dir
        self.options = options
        self.log = log
        self.preview = Preview(LivePreview(project_dir, options.audience, options.source_date))
        self.queue = ChangeQueue()
        self.stop_event = threading.Event()
        self.server: PreviewServer | None = None
        self.watcher: Watcher | None = None
        self._threads: list[threading.Thread] = []

    def start(self) -> str:
        """Build, bind, watch; returns the URL. Raises UsageError if the port is taken."""
        self.report(self.preview.rebuild(), "initial build")
        try:
            self.server = PreviewServer((self.options.host, self.options.port), self.preview)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(f"port {self.options.port} is in use; choose another with --port") from None
            raise UsageError(f"cannot listen on {self.options.host}:{self.options.port}: {exc.strerror}") from None
        config = self.preview.live.config
        content_dir = config.content_dir if config else self.project_dir / "content"
        self.watcher = Watcher(self.project_dir, content_dir, self.queue, poll=self.options.poll)
        if self.watcher.start() == "polling" and not self.options.poll:
            self.log("note: out of inotify watches, so changes are found by polling "
                     "(raise fs.inotify.max_user_watches with sysctl to avoid it)")
        for target in (self.server.serve_forever, self._build_loop):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self.server.url

    def _build_loop(self) -> None:
        while not self.stop_event.is_set():
            batch = self.queue.take(self.stop_event)
            if not batch or self.stop_event.is_set():
                continue
            try:
                self.report(self.preview.rebuild(batch), _describe(batch, self.project_dir))
            except Exception:  # a bug in roadmapgen: say so, keep serving the last good site
                self.log("roadmapgen hit an internal error (please report it):\n" + traceback.format_exc())

    def report(self, outcome: Outcome, what: str) -> None:
        stamp = time.strftime("%H:%M:%S")
        for problem in outcome.problems:
            self.log(f"[{stamp}] {problem.format()}")
        if outcome.ok:
            pages = (
                f"; {outcome.invalidated} page{'s' * (outcome.invalidated != 1)} to render"
                if outcome.invalidated
                else ""
            )
            self.log(f"[{stamp}] {what}: built in {outcome.seconds * 1000:.0f} ms{pages}")
        else:
            errors = sum(1 for p in outcome.problems if p.severity.value == "error")
            self.log(f"[{stamp}] {what}: {errors} error{'s' * (errors != 1)}; "
                     "the browser shows them over the last good version of the site")

    def close(self) -> None:
        self.stop_event.set()
        self.preview.stop()
        if self.watcher is not None:
            self.watcher.stop()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        for thread in self._threads:
            thread.join(timeout=2)


def _describe(paths: set[Path], project_dir: Path) -> str:
    names = sorted(
        str(path.relative_to(project_dir)) if path.is_relative_to(project_dir) else str(path) for path in paths
    )
    return names[0] + (f" and {len(names) - 1} more" if len(names) > 1 else "") + " changed"


def serve(project_dir: Path, options: ServeOptions, log: Log) -> None:
    """Run until interrupted (Ctrl-C)."""
    session = Session(project_dir, options, log)
    try:
        url = session.start()
        audience = options.audience.value
        log(f"Serving the {audience} site at {url}")
        if options.host not in ("127.0.0.1", "localhost", "::1"):
            log(f"warning: listening on {options.host}: other machines can reach the {audience} site")
        log("Watching roadmapgen.yaml, the content and themes for changes. Press Ctrl-C to stop.")
        if options.open_browser:
            webbrowser.open(url)
        while True:
            time.sleep(3600)
    finally:
        session.close()
