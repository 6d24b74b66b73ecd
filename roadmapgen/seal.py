"""Sealed files: what roadmapgen keeps between runs, provably written by this user's roadmapgen.

The build cache (documents, bodies, the output manifest) sits in the project folder or
wherever ``--cache-dir`` says, and anyone who can add a file there — a pull request with
``git add -f``, a shared folder, a restored CI cache — could otherwise decide what a build
reads back. So every such file is sealed with a keyed hash (BLAKE2b) under a key that never
lives in the repository: by default ``~/.cache/roadmapgen/cache-key``, made on first use,
readable by its owner only. A file whose seal does not verify is treated as absent: it
costs time, never changes what a build shows.

A seal covers the file's *purpose* too (which document digest, which output folder), so a
genuine file copied under another name does not verify either.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

KEY_BYTES = 32
_MAGIC = b"roadmapgen-sealed-1\n"
_MAC_BYTES = 32


def default_key_file(cache_home: Path | None = None) -> Path:
    """Where the key lives unless told otherwise: the user's cache folder, outside every project."""
    return (cache_home or Path.home() / ".cache") / "roadmapgen" / "cache-key"


@dataclass(frozen=True, slots=True)
class Seal:
    """Seals and opens files with one secret key."""

    key: bytes

    def _mac(self, purpose: str, payload: bytes) -> bytes:
        digest = hashlib.blake2b(key=self.key, digest_size=_MAC_BYTES, person=b"roadmapgen-seal")
        digest.update(purpose.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update(payload)
        return digest.digest()

    def seal(self, purpose: str, payload: bytes) -> bytes:
        return _MAGIC + self._mac(purpose, payload) + payload

    def open(self, purpose: str, blob: bytes) -> bytes | None:
        """The payload ``blob`` was sealed with for ``purpose``; None for anything else."""
        if not blob.startswith(_MAGIC) or len(blob) < len(_MAGIC) + _MAC_BYTES:
            return None
        mac = blob[len(_MAGIC) : len(_MAGIC) + _MAC_BYTES]
        payload = blob[len(_MAGIC) + _MAC_BYTES :]
        return payload if hmac.compare_digest(mac, self._mac(purpose, payload)) else None


class KeyUnusable(Exception):
    """The key file exists but is not one roadmapgen made (wrong size, not a file)."""


def load_seal(key_file: Path, *, create: bool) -> Seal | None:
    """The seal of the key in ``key_file``, made there first when ``create`` (0600, never replaced).

    None when there is no key and none may be made, or the folder cannot be written: the cache
    is then simply not used.

    Raises:
        KeyUnusable: if ``key_file`` exists and is not a key roadmapgen made.
    """
    key = _read_key(key_file)
    if key is None and create:
        key = _make_key(key_file)
    return Seal(key) if key is not None else None


def _read_key(key_file: Path) -> bytes | None:
    try:
        if key_file.is_symlink() or (key_file.exists() and not key_file.is_file()):
            raise KeyUnusable(f"{key_file} is not a regular file")
        data = key_file.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise KeyUnusable(f"{key_file}: {exc.strerror}") from None
    if len(data) != KEY_BYTES:
        raise KeyUnusable(f"{key_file} is not a roadmapgen cache key ({len(data)} bytes, not {KEY_BYTES})")
    return data


def _make_key(key_file: Path) -> bytes | None:
    """Write a new key atomically; if another process wins the race, use its key."""
    try:
        key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=key_file.parent, prefix=".cache-key-")
    except OSError:
        return None
    try:
        with os.fdopen(handle, "wb") as file:  # mkstemp makes it 0600
            file.write(secrets.token_bytes(KEY_BYTES))
        os.link(temporary, key_file)  # fails if a key appeared meanwhile: never replaces one
    except FileExistsError:
        pass
    except OSError:
        return None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    return _read_key(key_file)
