"""An image's intrinsic size, read from its header: a logo gets width and height attributes, so the
header never jumps when it arrives. PNG, ICO and SVG only (what a brand may use); nothing is decoded."""

from __future__ import annotations

import re
import struct

_SVG_ROOT = re.compile(rb"<svg\b([^>]*)>", re.S)
_NUMBER = rb"\s*([0-9]+(?:\.[0-9]+)?)\s*(?:px)?\s*"


def image_size(data: bytes, suffix: str) -> tuple[float, float] | None:
    """(width, height) of a PNG, ICO or SVG, or None when the header does not say."""
    if suffix == ".png" and data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return (width, height) if width and height else None
    if suffix == ".ico" and len(data) >= 8 and data[:4] == b"\x00\x00\x01\x00":
        return (data[6] or 256, data[7] or 256)
    if suffix == ".svg":
        return _svg_size(data[:65536])
    return None


def _svg_size(head: bytes) -> tuple[float, float] | None:
    root = _SVG_ROOT.search(head)
    if root is None:
        return None
    attributes = root.group(1)
    width = re.search(rb'\swidth="' + _NUMBER + b'"', attributes)
    height = re.search(rb'\sheight="' + _NUMBER + b'"', attributes)
    if width and height and float(width.group(1)) and float(height.group(1)):
        return float(width.group(1)), float(height.group(1))
    box = re.search(rb'\sviewBox="\s*-?[0-9.]+[\s,]+-?[0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)\s*"', attributes)
    if box and float(box.group(1)) and float(box.group(2)):
        return float(box.group(1)), float(box.group(2))
    return None
