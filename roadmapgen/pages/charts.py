"""Metric charts as inline SVG, drawn at build time so they need no JavaScript."""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

from roadmapgen.audience.views import MetricPointView
from roadmapgen.i18n import Strings

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 52, 20, 16, 40


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis values covering [low, high], e.g. 30, 35, 40, 45."""
    if math.isclose(low, high):
        low, high = low - 1, high + 1
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def line_chart(
    name: str, points: Sequence[MetricPointView], unit: str | None, strings: Strings, target: float | None = None
) -> Markup:
    """An accessible line chart in the site's language; ``target`` draws the goal line (internal site only).
    Nothing without points."""
    format_value = strings.number
    if not points:
        return Markup("")
    values = [p.value for p in points]
    ticks = nice_ticks(min(values + ([target] if target is not None else [])),
                       max(values + ([target] if target is not None else [])))
    low, high = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(index: int) -> float:
        return LEFT + (plot_w * index / (len(points) - 1) if len(points) > 1 else plot_w / 2)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - low) / (high - low))

    suffix = f" {unit}" if unit else ""
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(name)}: '
        f'{escape(format_value(values[0]))} to {escape(format_value(values[-1]))}{escape(suffix)}">'
    ]
    for tick in ticks:
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>')
        parts.append(
            f'<text class="axis" x="{LEFT - 8}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{escape(format_value(tick))}</text>'
        )
    last = len(points) - 1
    for index in sorted({0, last, last // 2}):
        day = points[index].date
        anchor = "start" if index == 0 and last else "end" if index == last and last else "middle"
        label = escape(strings.month(day))
        parts.append(f'<text class="axis" x="{x(index):.1f}" y="{HEIGHT - 12}" text-anchor="{anchor}">{label}</text>')
    if target is not None:
        parts.append(
            f'<line class="target" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target):.1f}" y2="{y(target):.1f}"/>'
        )
        parts.append(
            f'<text class="target-label" x="{WIDTH - RIGHT}" y="{y(target) - 6:.1f}" text-anchor="end">'
            f'{escape(strings.text("metrics.target"))} {escape(format_value(target))}</text>'
        )
    line = " ".join(f"{x(i):.1f},{y(p.value):.1f}" for i, p in enumerate(points))
    parts.append(f'<polyline class="line" points="{line}"/>')
    for i, point in enumerate(points):
        parts.append(
            f'<circle class="dot" cx="{x(i):.1f}" cy="{y(point.value):.1f}" r="4">'
            f"<title>{point.date.isoformat()}: {escape(format_value(point.value))}{escape(suffix)}</title></circle>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 -- every text part is escaped above
