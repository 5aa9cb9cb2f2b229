"""A small SVG chart renderer for the HTML report: sparklines, bars and daily columns.

Charts scale with their container (viewBox, width 100%), carry a <title> for screen
readers, and escape every label.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

PALETTE = ("#4f46e5", "#0891b2", "#16a34a", "#dc2626", "#d97706", "#7c3aed")
TARGET_COLOUR = "#dc2626"


def _svg(width: int, height: int, title: str, body: str, css_class: str) -> str:
    return (f'<svg class="chart {css_class}" viewBox="0 0 {width} {height}" role="img" '
            'xmlns="http://www.w3.org/2000/svg">'
            f"<title>{escape(title)}</title>{body}</svg>")


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def sparkline(values: Sequence[float | None], title: str, target: float | None = None,
              width: int = 240, height: int = 48) -> str:
    """A line of daily values with the area under it; a dashed line at the target."""
    known = [v for v in values if v is not None]
    top = max([*known, target or 0, 1e-9])
    step = width / max(1, len(values) - 1)
    points = [(i * step, height - 4 - (v / top) * (height - 8))
              for i, v in enumerate(values) if v is not None]
    body = []
    if target is not None:
        y = height - 4 - (target / top) * (height - 8)
        body.append(f'<line class="target" x1="0" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" '
                    f'stroke="{TARGET_COLOUR}" stroke-dasharray="4 3" stroke-width="1"/>')
    if points:
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        area = f"{points[0][0]:.1f},{height} {line} {points[-1][0]:.1f},{height}"
        body.append(f'<polygon points="{area}" fill="{PALETTE[0]}" fill-opacity="0.15"/>')
        body.append(f'<polyline points="{line}" fill="none" stroke="{PALETTE[0]}" '
                    'stroke-width="2" vector-effect="non-scaling-stroke"/>')
        x, y = points[-1]
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{PALETTE[0]}"/>')
    return _svg(width, height, title, "".join(body), "sparkline")


def bars(rows: Sequence[tuple[str, float | None]], title: str, unit: str = "",
         target: float | None = None, top: float | None = None, width: int = 480) -> str:
    """Horizontal bars, one per (label, value), with the value written beside each."""
    row_height, label_width, value_width = 26, 150, 60
    height = max(1, len(rows)) * row_height + 8
    span = width - label_width - value_width
    top = top or max([*(v or 0 for _, v in rows), target or 0, 1e-9])
    body = []
    for index, (label, value) in enumerate(rows):
        y = 4 + index * row_height
        length = 0 if not value else max(1.0, min(value / top, 1) * span)
        body.append(f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" '
                    f'class="label">{escape(label)}</text>')
        body.append(f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="18" '
                    f'rx="3" fill="{PALETTE[index % 2]}"/>')
        shown = "-" if value is None else f"{_fmt(value)}{unit}"
        body.append(f'<text x="{label_width + length + 6:.1f}" y="{y + 17}" '
                    f'class="value">{escape(shown)}</text>')
    if target is not None:
        x = label_width + min(target / top, 1) * span
        body.append(f'<line class="target" x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" '
                    f'stroke="{TARGET_COLOUR}" stroke-dasharray="4 3" stroke-width="1.5"/>')
    return _svg(width, height, title, "".join(body), "bars")


def columns(dates: Sequence[str], series: dict[str, Sequence[int]], title: str,
            width: int = 720, height: int = 200) -> str:
    """Grouped columns per day (one colour per series), with a legend and date ticks."""
    bottom, left, legend = height - 22, 28, 18
    top = max([max(values, default=0) for values in series.values()] + [1])
    slot = (width - left) / max(1, len(dates))
    bar_width = max(1.0, slot * 0.8 / max(1, len(series)))
    body = [f'<line x1="{left}" y1="{bottom}" x2="{width}" y2="{bottom}" stroke="#94a3b8"/>',
            f'<text x="{left - 4}" y="{legend + 10}" text-anchor="end" class="value">'
            f"{top}</text>"]
    for s, (name, values) in enumerate(series.items()):
        colour = PALETTE[s % len(PALETTE)]
        body.append(f'<rect x="{left + s * 110}" y="2" width="10" height="10" fill="{colour}"/>'
                    f'<text x="{left + s * 110 + 14}" y="11" class="legend">{escape(name)}'
                    "</text>")
        for d, value in enumerate(values):
            if value:
                h = value / top * (bottom - legend - 4)
                x = left + d * slot + slot * 0.1 + s * bar_width
                body.append(f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{bar_width:.1f}" '
                            f'height="{h:.1f}" fill="{colour}"><title>{escape(name)} '
                            f"{escape(dates[d])}: {value}</title></rect>")
    every = max(1, len(dates) // 6)
    for d in range(0, len(dates), every):
        body.append(f'<text x="{left + d * slot + slot / 2:.1f}" y="{height - 6}" '
                    f'text-anchor="middle" class="tick">{escape(dates[d][5:])}</text>')
    return _svg(width, height, title, "".join(body), "columns")
