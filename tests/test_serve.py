"""`roadmapgen serve` on a real loopback port: edits show up, errors show over the page, attacks fail."""

from __future__ import annotations

import datetime as dt
import errno
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from roadmapgen.audience.context import Audience
from roadmapgen.serve.live import LivePreview
from roadmapgen.serve.run import ServeOptions, Session
from tests.conftest import REPO
from tests.helpers.sitefiles import replace_in

ALPHA = "content/roadmap/alpha.md"


class Client:
    def __init__(self, port: int) -> None:
        self.port = port

    def get(
        self, path: str, host: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        if host != "":
            connection.putheader("Host", host or f"127.0.0.1:{self.port}")
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def wait_for(self, path: str, predicate, timeout: float = 10.0) -> tuple[int, str]:
        """The first answer for ``path`` that ``predicate`` accepts; the test fails if none comes in time
        (so a caller that only waits still checks that the wait ended the way it expects)."""
        deadline = time.monotonic() + timeout
        while True:
            status, _, body = self.get(path)
            if predicate(status, body):
                return status, body
            if time.monotonic() > deadline:
                pytest.fail(f"{path} never gave the expected answer in {timeout} s; last: {status} {body[:300]!r}")
            time.sleep(0.02)


def start(project: Path, **options) -> Session:
    session = Session(
        project, ServeOptions(port=0, source_date=dt.date(2026, 11, 20), **options), log=lambda line: None
    )
    session.start()
    return session


@pytest.fixture
def served(small_project: Path) -> Iterator[tuple[Client, Path]]:
    session = start(small_project)
    assert session.server is not None
    yield Client(session.server.server_address[1]), small_project
    session.close()


def edit(project: Path, name: str, old: str, new: str) -> None:
    replace_in(project / name, old, new)


def test_serves_pages_and_files(served) -> None:
    client, _ = served
    status, headers, body = client.get("/roadmap/alpha/")
    assert status == 200 and "Alpha body." in body
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert 'new EventSource("/__roadmapgen/events' in body
    assert client.get("/static/style.css")[0] == 200
    assert client.get("/assets/pat.svg")[0] == 200
    assert client.get("/roadmap.json")[1]["content-type"].startswith("application/json")
    assert client.get("/feed.xml")[0] == 404  # no internal_base_url: no feeds (they need absolute URLs)


def test_an_edit_is_served_within_two_seconds(served) -> None:
    client, project = served
    edit(project, ALPHA, "Alpha body.", "Alpha body, edited.")
    status, body = client.wait_for("/roadmap/alpha/", lambda s, b: "Alpha body, edited." in b)
    assert "Alpha body, edited." in body


def test_an_editors_atomic_save_is_seen(served) -> None:
    client, project = served
    temporary = project / "content/roadmap/.alpha.md.swx"
    temporary.write_text((project / ALPHA).read_text().replace("Alpha body.", "Saved atomically."))
    os.replace(temporary, project / ALPHA)
    _, body = client.wait_for("/roadmap/alpha/", lambda s, b: "Saved atomically." in b)
    assert "Saved atomically." in body


def test_a_broken_file_shows_an_overlay_and_recovers(served) -> None:
    client, project = served
    original = (project / ALPHA).read_text()
    (project / ALPHA).write_text(original.replace("status: planned", 'status: "<script>window.x=1</script>"'))
    _, body = client.wait_for("/roadmap/beta/", lambda s, b: "roadmapgen-errors" in b)
    assert "content/roadmap/alpha.md:3:9: error: &#x27;status&#x27; must be one of" in body
    assert "&lt;script&gt;window.x=1&lt;/script&gt;" in body and "<script>window.x=1" not in body
    assert "Beta body." in body  # the last good page, under the overlay
    (project / ALPHA).write_text(original)
    _, body = client.wait_for("/roadmap/beta/", lambda s, b: "roadmapgen-errors" not in b)
    assert "roadmapgen-errors" not in body


def test_a_deleted_document_is_gone(served) -> None:
    client, project = served
    (project / "content/roadmap/beta.md").unlink()
    (project / "content/releases/1.0.0.md").write_text("---\nversion: 1.0.0\ndate: 2026-01-15\n---\n")
    status, body = client.wait_for("/roadmap/beta/", lambda s, b: s == 404)
    assert status == 404 and "Page not found" in body


@pytest.mark.parametrize("path", [
    "/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc/passwd", "/%252e%252e/%252e%252e/etc/passwd",
    "/..\\..\\etc\\passwd", "//etc/passwd", "/a%00.html", "/assets/../../roadmapgen.yaml",
    "/static/../../../../etc/passwd", "/assets/%2e%2e/%2e%2e/roadmapgen.yaml",
])
def test_path_traversal_is_refused(served, path: str) -> None:
    client, _ = served
    status, _, body = client.get(path)
    assert status == 404
    assert "root:" not in body and "base_url" not in body


def test_symlink_out_of_the_site_is_not_served(served, tmp_path: Path) -> None:
    client, project = served
    secret = tmp_path / "secret.txt"
    secret.write_text("rgcanary-outside")
    os.symlink(secret, project / "content/assets/secret.txt")
    # Wait for the rebuild itself (its error names the link), not for the 404 served before it.
    status, body = client.wait_for("/assets/secret.txt", lambda s, b: "secret.txt" in b and "roadmapgen-errors" in b,
                                   timeout=5)
    assert "roadmapgen-errors" in body and "secret.txt" in body
    assert status == 404 and "rgcanary-outside" not in body


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1.evil.example", ""])
def test_foreign_host_is_refused(served, host: str) -> None:
    client, _ = served
    status, _, body = client.get("/", host=host)
    assert status == 403
    assert "Brightdesk" not in body and "Acme" not in body


def test_no_cross_origin_access(served) -> None:
    client, _ = served
    _, headers, _ = client.get("/roadmap.json", headers={"Origin": "http://evil.example"})
    assert not [name for name in headers if name.startswith("access-control-")]


def test_reload_event_after_a_change(served) -> None:
    client, project = served
    connection = http.client.HTTPConnection("127.0.0.1", client.port, timeout=5)
    connection.request("GET", "/__roadmapgen/events?page=%2Froadmap%2Falpha%2F")
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    assert response.fp.readline() == b": connected\n"
    edit(project, ALPHA, "Alpha body.", "Alpha body again.")
    lines = [response.fp.readline() for _ in range(3)]
    assert lines[1] == b"event: reload\n"
    connection.close()


def test_requests_during_a_rebuild_wait_for_it(served, monkeypatch) -> None:
    client, project = served
    release = threading.Event()
    original = LivePreview.rebuild

    started = threading.Event()

    def slow_rebuild(self, changed=None):
        started.set()
        release.wait(5)
        return original(self, changed)

    monkeypatch.setattr(LivePreview, "rebuild", slow_rebuild)
    edit(project, ALPHA, "Alpha body.", "After the slow build.")
    assert started.wait(5)  # the build has started and is blocked
    answers: list[str] = []
    request = threading.Thread(target=lambda: answers.append(client.get("/roadmap/alpha/")[2]))
    request.start()
    request.join(0.3)
    assert request.is_alive() and answers == []  # still waiting
    release.set()
    request.join(5)
    assert "After the slow build." in answers[0]


def test_falls_back_to_polling_when_inotify_runs_out(small_project: Path, monkeypatch) -> None:
    from watchdog.observers import Observer

    def exhausted(self):
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(Observer, "start", exhausted)
    session = start(small_project)
    try:
        assert session.watcher is not None and session.watcher.polling
        client = Client(session.server.server_address[1])
        edit(small_project, ALPHA, "Alpha body.", "Seen by polling.")
        _, body = client.wait_for("/roadmap/alpha/", lambda s, b: "Seen by polling." in b)
        assert "Seen by polling." in body
    finally:
        session.close()


def test_public_preview_shows_only_the_public_site(small_project: Path) -> None:
    session = start(small_project, audience=Audience.PUBLIC)
    try:
        client = Client(session.server.server_address[1])
        assert client.get("/feedback/")[0] == 404
        assert "Internal" not in client.get("/")[2].split("<main")[0]
    finally:
        session.close()


def test_serve_never_writes_into_the_output_folder(served) -> None:
    client, project = served
    edit(project, ALPHA, "Alpha body.", "Changed.")
    assert "Changed." in client.wait_for("/roadmap/alpha/", lambda s, b: "Changed." in b)[1]
    assert not (project / "site").exists()


def test_ctrl_c_stops_cleanly(small_project: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "roadmapgen", "serve", str(small_project), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
    lines = []
    while process.stdout is not None:
        line = process.stdout.readline()
        lines.append(line)
        if "Serving the internal site at" in line or not line:
            break
    url = re.search(r"http://localhost:(\d+)/", "".join(lines))
    assert url, lines
    assert Client(int(url.group(1))).get("/")[0] == 200
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "Stopped." in output and "Traceback" not in output


# -- issue 10: connections, Host headers, assets, a content folder that comes back ----------------

def test_stalled_and_idle_connections_are_closed_and_the_server_still_answers(small_project: Path, monkeypatch,
                                                                              capfd) -> None:
    from roadmapgen.serve import server as server_module

    monkeypatch.setattr(server_module, "HEADER_SECONDS", 0.5)
    session = start(small_project)
    assert session.server is not None
    port = session.server.server_address[1]
    stalled = []
    for index in range(server_module.MAX_CONNECTIONS + 20):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        if index % 2:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1")  # headers never finished
        stalled.append(sock)
    try:
        deadline = time.monotonic() + 5
        for sock in stalled:
            sock.settimeout(max(0.1, deadline - time.monotonic()))
            assert sock.recv(1024) == b""  # closed by the server, within the deadline
        status, _, body = Client(port).get("/roadmap/alpha/")
        assert status == 200 and "Alpha body." in body
    finally:
        for sock in stalled:
            sock.close()
        session.close()
    printed = capfd.readouterr()
    assert "Traceback" not in printed.err + printed.out


def test_a_trickled_request_cannot_hold_a_thread(small_project: Path, monkeypatch) -> None:
    from roadmapgen.serve import server as server_module

    monkeypatch.setattr(server_module, "HEADER_SECONDS", 0.5)
    session = start(small_project)
    assert session.server is not None
    sock = socket.create_connection(("127.0.0.1", session.server.server_address[1]), timeout=5)
    started = time.monotonic()
    try:
        with pytest.raises(OSError):
            for byte in b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100:
                sock.sendall(bytes([byte]))
                time.sleep(0.05)
                if time.monotonic() - started > 4:
                    break
        assert time.monotonic() - started < 4
    finally:
        sock.close()
        session.close()


def test_two_host_headers_are_refused(served) -> None:
    client, _ = served
    connection = http.client.HTTPConnection("127.0.0.1", client.port, timeout=10)
    connection.putrequest("GET", "/", skip_host=True)
    connection.putheader("Host", f"127.0.0.1:{client.port}")
    connection.putheader("Host", "evil.example")
    connection.endheaders()
    assert connection.getresponse().status == 403


def test_assets_are_served_as_their_bytes(small_project: Path) -> None:
    data = b"<html>\xff\xfe not utf-8 </body>"
    (small_project / "content/assets/page.html").write_bytes(data)
    session = start(small_project)
    assert session.server is not None
    try:
        port = session.server.server_address[1]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/assets/page.html", headers={"Host": f"127.0.0.1:{port}"})
        response = connection.getresponse()
        assert response.status == 200 and response.read() == data
    finally:
        session.close()


def test_edits_are_seen_after_the_content_folder_is_deleted_and_restored(served, tmp_path: Path) -> None:
    client, project = served
    saved = tmp_path / "saved-content"
    shutil.copytree(project / "content", saved)
    shutil.rmtree(project / "content")
    # The last good page stays, with what went wrong shown over it.
    _, body = client.wait_for("/roadmap/alpha/", lambda status, body: "roadmapgen-errors" in body)
    assert "roadmapgen-errors" in body
    shutil.copytree(saved, project / "content")
    assert client.wait_for("/roadmap/alpha/", lambda status, body: "Alpha body." in body, timeout=5)[0] == 200
    edit(project, ALPHA, "Alpha body.", "Alpha restored and edited.")
    status, body = client.wait_for("/roadmap/alpha/", lambda status, body: "restored and edited" in body, timeout=5)
    assert "restored and edited" in body
