"""A real headless browser for tests: Chromium from the distribution's packages.

If Chromium is missing the tests that need it FAIL (CI installs it: see .ci/run).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-extensions", "--hide-scrollbars")


def chromium() -> str:
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("Chromium is not installed: `apt-get install -y chromium` (see .ci/run)")


def run(page: Path, profile: Path, *flags: str) -> subprocess.CompletedProcess:
    result = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *flags,
                             page.resolve().as_uri()], capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    return result


def dump_dom(page: Path, profile: Path, width: int = 1200, height: int = 900) -> str:
    return run(page, profile, f"--window-size={width},{height}",
               "--dump-dom").stdout.decode("utf-8")


def screenshot(page: Path, png: Path, profile: Path, width: int, height: int) -> bytes:
    run(page, profile, f"--screenshot={png}", f"--window-size={width},{height}")
    return png.read_bytes()


def png_pixels(data: bytes) -> tuple[int, int, list[bytes], int]:
    """(width, height, rows of raw pixels, bytes per pixel) of an 8-bit PNG, with the
    standard library only (zlib and the five scanline filters)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert (depth, interlace) == (8, 0), "8-bit, not interlaced"
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    raw, stride = zlib.decompress(b"".join(idat)), width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        line = _unfilter(raw[start], bytearray(raw[start + 1:start + 1 + stride]), previous,
                         channels)
        rows.append(bytes(line))
        previous = line
    return width, height, rows, channels


def _unfilter(kind: int, line: bytearray, up: bytearray, step: int) -> bytearray:
    if kind == 2:
        return bytearray((a + b) & 255 for a, b in zip(line, up, strict=True))
    for i in range(len(line)) if kind else ():
        left = line[i - step] if i >= step else 0
        if kind == 1:
            line[i] = (line[i] + left) & 255
        elif kind == 3:
            line[i] = (line[i] + ((left + up[i]) >> 1)) & 255
        elif kind == 4:
            corner = up[i - step] if i >= step else 0
            guess = left + up[i] - corner
            pa, pb, pc = abs(guess - left), abs(guess - up[i]), abs(guess - corner)
            near = left if pa <= pb and pa <= pc else up[i] if pb <= pc else corner
            line[i] = (line[i] + near) & 255
    return line


def colours(data: bytes, wanted: set[tuple[int, int, int]], every: int = 3
            ) -> tuple[int, set[tuple[int, int, int]]]:
    """How many distinct colours a screenshot has (sampling every `every`th pixel and row),
    and which of the `wanted` RGB colours appear anywhere in it."""
    _, _, rows, channels = png_pixels(data)
    sampled = {row[i:i + 3] for row in rows[::every]
               for i in range(0, len(row), channels * every)}
    present = {rgb for rgb in wanted if any(bytes(rgb) in row for row in rows)}
    return len(sampled), present
