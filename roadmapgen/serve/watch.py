"""Watch the project's files with watchdog and hand changes over in quiet batches.

Editors save in many ways: write in place, write a temporary file and rename it over
the original (vim, JetBrains), or delete and recreate. Every event counts, for both its
source and destination path; the builder waits until events stop for a moment, so one
save, a formatter run or a `git checkout` each trigger one rebuild.
"""

from __future__ import annotations

import contextlib
import errno
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from roadmapgen.config import CONFIG_FILE
from roadmapgen.load.discover import is_ignored

QUIET_SECONDS = 0.03
"""How long events must pause before a rebuild starts."""


class ChangeQueue:
    """Paths changed since the last batch; filled by watchdog, emptied by the builder."""

    def __init__(self, quiet: float = QUIET_SECONDS) -> None:
        self.quiet = quiet
        self._paths: set[Path] = set()
        self._last = 0.0
        self._changed = threading.Condition()

    def add(self, path: Path) -> None:
        with self._changed:
            self._paths.add(path)
            self._last = time.monotonic()
            self._changed.notify_all()

    def take(self, stop: threading.Event, poll: float = 0.2) -> set[Path]:
        """Wait for changes, then until they pause; return them (empty when stopping)."""
        with self._changed:
            while not self._paths and not stop.is_set():
                self._changed.wait(poll)
            while not stop.is_set() and (remaining := self.quiet - (time.monotonic() - self._last)) > 0:
                self._changed.wait(remaining)
            batch, self._paths = self._paths, set()
            return batch


class _Forward(FileSystemEventHandler):
    def __init__(self, queue: ChangeQueue, relevant: Callable[[Path], bool]) -> None:
        self.queue = queue
        self.relevant = relevant

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            path = Path(raw if isinstance(raw, str) else raw.decode()) if raw else None
            if path is not None and self.relevant(path):
                self.queue.add(path)


class Watcher:
    """Watches roadmapgen.yaml, the content folder and the project's themes."""

    def __init__(self, project_dir: Path, content_dir: Path, queue: ChangeQueue, *, poll: bool = False) -> None:
        self.project_dir = project_dir.resolve()
        self.content_dir = content_dir.resolve()
        self.themes_dir = self.project_dir / "themes"
        self.queue = queue
        self.polling = poll
        self._observer: BaseObserver | None = None
        self._themes_watched = False
        self._content_watch: ObservedWatch | None = None

    def relevant(self, path: Path) -> bool:
        if is_ignored(path.name):
            return False
        if path == self.project_dir / CONFIG_FILE:
            return True
        if path == self.themes_dir and not self._themes_watched:
            self._watch(self.themes_dir, recursive=True)
        if path == self.content_dir:
            self._rearm_content()
        return path.is_relative_to(self.content_dir) or path.is_relative_to(self.themes_dir)

    def start(self) -> str:
        """Start watching; returns 'native' or 'polling' (when inotify watches run out)."""
        try:
            self._start(PollingObserver(timeout=0.25) if self.polling else Observer())
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EMFILE) or self.polling:
                raise
            self.stop()
            self.polling = True
            self._start(PollingObserver(timeout=0.25))
        return "polling" if self.polling else "native"

    def _start(self, observer: BaseObserver) -> None:
        self._observer = observer
        self._themes_watched = False
        self._watch(self.project_dir, recursive=False)
        self._content_watch = self._watch(self.content_dir, recursive=True)
        if self.themes_dir.is_dir():
            self._watch(self.themes_dir, recursive=True)
        observer.start()

    def _watch(self, folder: Path, *, recursive: bool) -> ObservedWatch | None:
        if self._observer is None or not folder.is_dir():
            return None
        watch = self._observer.schedule(_Forward(self.queue, self.relevant), str(folder), recursive=recursive)
        if folder == self.themes_dir:
            self._themes_watched = True
        return watch

    def _rearm_content(self) -> None:
        """The content folder was deleted, replaced or restored: its old watch sees nothing any more."""
        if self._observer is None:
            return
        if self._content_watch is not None:
            with contextlib.suppress(KeyError, OSError):  # the folder, and so its watch, is gone
                self._observer.unschedule(self._content_watch)
        self._content_watch = self._watch(self.content_dir, recursive=True)

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            if self._observer.is_alive():
                self._observer.join(timeout=2)
            self._observer = None
