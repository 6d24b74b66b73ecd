"""Pack files: bodies' HTML kept on disk by the cache, read back when a page prints it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from roadmapgen.packs import CacheDamaged, Pack, PackWriter, remove_packs


def test_html_reads_back_as_written(tmp_path: Path) -> None:
    writer = PackWriter(tmp_path)
    first, second, empty = writer.put("<p>Zoë</p>"), writer.put("<p>second</p>"), writer.put("")
    assert (first.load(), second.load(), empty.load()) == ("<p>Zoë</p>", "<p>second</p>", "")
    assert first and not empty


def test_an_open_pack_stays_readable_after_another_build_deletes_it(tmp_path: Path) -> None:
    stored = PackWriter(tmp_path).put("<p>still here</p>")
    opened = Pack.open(stored.pack.path)
    os.unlink(stored.pack.path)
    assert opened.read(stored.offset, stored.length, stored.check) == "<p>still here</p>"


def test_a_pack_changed_after_it_was_written_is_caught_not_printed(tmp_path: Path) -> None:
    stored = PackWriter(tmp_path).put("<p>reviewed</p>")
    Path(stored.pack.path).write_bytes(b"<p>forged!</p>")  # same length, other bytes
    with pytest.raises(CacheDamaged):
        Pack.open(stored.pack.path).read(stored.offset, stored.length, stored.check)
    Path(stored.pack.path).write_bytes(b"<p>")
    with pytest.raises(CacheDamaged):
        Pack.open(stored.pack.path).read(stored.offset, stored.length, stored.check)


def test_only_old_unused_packs_are_removed(tmp_path: Path) -> None:
    used, old, young = (PackWriter(tmp_path).put("x").pack.path for _ in range(3))
    hour_ago = time.time() - 3600
    for path in (used, old):
        os.utime(path, (hour_ago, hour_ago))
    remove_packs(tmp_path, keep={used}, older_than=time.time() - 60)
    assert sorted(p.name for p in tmp_path.glob("*.pack")) == sorted(Path(p).name for p in (used, young))
