"""Server-drawn SVG charts for the pooled pages: no script, no CDN, and always beside a table
holding the same figures (the table is the accessible alternative; the SVG is decorative for
screen readers apart from its title). Pure functions over plain data, no Django imports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

BAR_HEIGHT = 22
LABEL_WIDTH = 260
CHART_WIDTH = 640


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: suppressed, drawn as an empty bar
    text: str            # what is written at the end of the bar (e.g. "35%", "*")


def bar_chart(bars: Sequence[Bar], *, title: str, maximum: float | None = None) -> str:
    """Horizontal bars, longest scale first as given; a suppressed value has no bar."""
    values = [bar.value for bar in bars if bar.value is not None]
    top = maximum or (max(values) if values else 1) or 1
    plot = CHART_WIDTH - LABEL_WIDTH - 60
    height = BAR_HEIGHT * len(bars) + 10
    parts = [f'<svg class="cradle-chart" viewBox="0 0 {CHART_WIDTH} {height}" width="100%" '
             f'role="img" aria-label="{escape(title)}" focusable="false">',
             f"<title>{escape(title)}</title>"]
    for index, bar in enumerate(bars):
        y = 5 + index * BAR_HEIGHT
        width = 0 if bar.value is None else max(plot * bar.value / top, 0)
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" '
                     f'class="cradle-chart__label">{escape(_shorten(bar.label))}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{width:.1f}" '
                     f'height="{BAR_HEIGHT - 6}" class="cradle-chart__bar"/>')
        parts.append(f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 15}" '
                     f'class="cradle-chart__value">{escape(bar.text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _shorten(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def axis_ticks(largest: float, *, most: int = 6) -> list[int]:
    """Whole-number ticks from 0 at a round step (1, 2 or 5 times a power of ten), the last at
    or above ``largest``, at most ``most`` of them (two at least: 0 and the step)."""
    largest = max(largest, 1)
    step = 1
    while True:
        for factor in (1, 2, 5):
            candidate = step * factor
            if -(-largest // candidate) + 1 <= most:
                count = int(-(-largest // candidate))
                return [candidate * i for i in range(count + 1)]
        step *= 10


@dataclass(frozen=True)
class FunnelPoint:
    denominator: int
    rate: float           # 0..1
    label: str | None     # the team's name where the viewer may see it, else None
    highlighted: bool = False


def funnel_plot(points: Sequence[FunnelPoint], limits: Sequence[tuple[int, dict[str, float]]],
                *, pooled_rate: float, title: str) -> str:
    """Rates against denominators with the pooled rate and its control limits.

    `limits` is a list of (denominator, {"lower95", "upper95", "lower998", "upper998"}), rates
    in 0..1, sorted by denominator."""
    width, height, left, bottom, top_pad, right = CHART_WIDTH, 380, 56, 44, 12, 16
    x_ticks = axis_ticks(max([p.denominator for p in points] + [n for n, _ in limits] + [1]))
    max_n = x_ticks[-1]
    plot_w, plot_h = width - left - right, height - bottom - top_pad

    def x(n: float) -> float:
        return left + plot_w * n / max_n

    def y(rate: float) -> float:
        return top_pad + plot_h * (1 - min(max(rate, 0.0), 1.0))

    parts = [f'<svg class="cradle-chart cradle-funnel" viewBox="0 0 {width} {height}" '
             f'width="100%" role="img" aria-label="{escape(title)}" focusable="false">',
             f"<title>{escape(title)}</title>",
             f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{left + plot_w}" '
             f'y2="{top_pad + plot_h}" class="cradle-chart__axis"/>',
             f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{top_pad + plot_h}" '
             f'class="cradle-chart__axis"/>']
    for tick in (0, 0.25, 0.5, 0.75, 1):
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" '
                     f'class="cradle-chart__tick">{round(tick * 100)}%</text>')
    for tick in x_ticks:
        parts.append(f'<line x1="{x(tick):.1f}" y1="{top_pad + plot_h}" x2="{x(tick):.1f}" '
                     f'y2="{top_pad + plot_h + 4}" class="cradle-chart__axis"/>')
        parts.append(f'<text x="{x(tick):.1f}" y="{top_pad + plot_h + 18}" '
                     f'text-anchor="middle" class="cradle-chart__tick">{tick}</text>')
    parts.append(f'<text x="{left + plot_w / 2}" y="{height - 6}" text-anchor="middle" '
                 f'class="cradle-chart__tick">People with baseline and discharge scores</text>')
    parts.append(f'<text x="12" y="{top_pad + plot_h / 2:.1f}" text-anchor="middle" '
                 f'transform="rotate(-90 12 {top_pad + plot_h / 2:.1f})" '
                 f'class="cradle-chart__tick">Reliable improvement</text>')
    for key, css in (("lower998", "limit998"), ("upper998", "limit998"),
                     ("lower95", "limit95"), ("upper95", "limit95")):
        path = " ".join(f"{'M' if i == 0 else 'L'}{x(n):.1f},{y(values[key]):.1f}"
                        for i, (n, values) in enumerate(limits))
        if path:
            parts.append(f'<path d="{path}" class="cradle-chart__{css}" fill="none"/>')
    parts.append(f'<line x1="{left}" y1="{y(pooled_rate):.1f}" x2="{left + plot_w}" '
                 f'y2="{y(pooled_rate):.1f}" class="cradle-chart__pooled"/>')
    for point in points:
        css = "cradle-chart__point" + (" cradle-chart__point--own" if point.highlighted else "")
        parts.append(f'<circle cx="{x(point.denominator):.1f}" cy="{y(point.rate):.1f}" '
                     f'r="{6 if point.highlighted else 4}" class="{css}">'
                     + (f"<title>{escape(point.label)}</title>" if point.label else "")
                     + "</circle>")
    parts.append("</svg>")
    return "".join(parts)
