"""Generate the Teams app icons color.png and outline.png (standard library only).

Run once from the repository root with ``python manifest/make_icons.py``; the PNGs are
committed, this script is kept only to regenerate them. Both icons show the same pulse
(heartbeat) line: white on the accent colour for color.png (192x192, opaque RGB) and
white on transparent for outline.png (32x32, RGBA whose pixels are all pure white, only
the alpha channel varies).
"""

from __future__ import annotations

import itertools
import math
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

ACCENT = (0x0F, 0x76, 0x6E)  # keep equal to "accentColor" in manifest.json (#0F766E)
WHITE = (0xFF, 0xFF, 0xFF)

# The pulse line in unit coordinates (x right, y down): flat, P wave, QRS spike, T wave, flat.
PULSE = [
    (0.00, 0.55),
    (0.24, 0.55),
    (0.30, 0.47),
    (0.36, 0.55),
    (0.42, 0.55),
    (0.48, 0.20),
    (0.56, 0.86),
    (0.62, 0.55),
    (0.70, 0.55),
    (0.77, 0.43),
    (0.84, 0.55),
    (1.00, 0.55),
]

Point = tuple[float, float]


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _coverage(size: int, left: float, right: float, width: float) -> Callable[[int, int], float]:
    """Anti-aliased coverage of the pulse line, scaled into [left, right] of a size x size image."""
    span = right - left
    pts = [(left + x * span, left + y * span) for x, y in PULSE]
    segments = list(itertools.pairwise(pts))

    def cover(x: int, y: int) -> float:
        centre = (x + 0.5, y + 0.5)
        d = min(_segment_distance(centre, a, b) for a, b in segments)
        return max(0.0, min(1.0, width / 2 + 0.5 - d))

    return cover


def _png(width: int, height: int, color_type: int, rows: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 (None) on every row
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def color_icon(size: int = 192) -> bytes:
    """Opaque RGB icon: white pulse line on the accent colour, inside Teams' safe area."""
    cover = _coverage(size, left=size * 0.22, right=size * 0.78, width=size * 0.055)
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            c = cover(x, y)
            row += bytes(round(bg + (fg - bg) * c) for bg, fg in zip(ACCENT, WHITE, strict=True))
        rows.append(bytes(row))
    return _png(size, size, 2, rows)


def outline_icon(size: int = 32) -> bytes:
    """RGBA icon: pure white pulse line, everything else fully transparent."""
    cover = _coverage(size, left=1.0, right=size - 1.0, width=2.4)
    rows = [
        b"".join(bytes((*WHITE, round(255 * cover(x, y)))) for x in range(size))
        for y in range(size)
    ]
    return _png(size, size, 6, rows)


def main() -> None:
    """Write color.png and outline.png next to this script."""
    here = Path(__file__).resolve().parent
    (here / "color.png").write_bytes(color_icon())
    (here / "outline.png").write_bytes(outline_icon())


if __name__ == "__main__":
    main()
