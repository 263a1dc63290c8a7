"""A horizontal bar chart of the ledger categories, as geometry (for the PDF) and as inline SVG (HTML).

Bars are proportional to the amounts (a zero amount draws no bar); an uncertainty band, when a bar
has one, is drawn as a P5–P95 whisker over the bar.  No library: a handful of rectangles.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from assess.reports.document import Chart

WIDTH, ROW, LABEL_W, TEXT_W = 600.0, 26.0, 170.0, 120.0


@dataclass
class Geometry:
    """Everything in user units of a WIDTH-wide box; y grows downwards."""

    height: float
    bars: list[tuple[float, float, float, float]]          # x, y, w, h
    bands: list[tuple[float, float, float] | None]          # x_low, x_high, y_mid
    labels: list[tuple[float, float, str]]                  # x (right edge), y_baseline, text
    values: list[tuple[float, float, str]]                  # x (left edge), y_baseline, text


def geometry(chart: Chart) -> Geometry:
    top = max([b.high if b.high is not None else b.value for b in chart.bars] + [Decimal(0)])
    span = WIDTH - LABEL_W - TEXT_W - 10
    scale = (Decimal(str(span)) / top) if top > 0 else Decimal(0)
    bars, bands, labels, values = [], [], [], []
    for i, b in enumerate(chart.bars):
        y = 6 + i * ROW
        w = float(b.value * scale) if b.value > 0 else 0.0
        x0 = LABEL_W + 6
        bars.append((x0, y + 4, w, ROW - 10))
        if b.low is not None and b.high is not None and b.high > b.low:
            bands.append((x0 + float(b.low * scale), x0 + float(b.high * scale), y + ROW / 2 - 1))
        else:
            bands.append(None)
        labels.append((LABEL_W, y + ROW / 2 + 3, b.label))
        right = max([x0 + w] + ([bands[-1][1]] if bands[-1] else []))
        values.append((right + 6, y + ROW / 2 + 3, b.text))
    return Geometry(12 + len(chart.bars) * ROW, bars, bands, labels, values)


def svg_chart(chart: Chart) -> str:
    g = geometry(chart)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {g.height:g}" role="img" '
             f'aria-label="{escape(chart.title)}" font-size="11">']
    parts.append(f'<line x1="{LABEL_W + 6:g}" y1="2" x2="{LABEL_W + 6:g}" y2="{g.height - 4:g}" stroke="#666" stroke-width="1"/>')
    for (x, y, w, h), band, (lx, ly, lt), (vx, vy, vt) in zip(g.bars, g.bands, g.labels, g.values, strict=True):
        if w > 0:
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="#2e6da4"/>')
        if band:
            lo, hi, ym = band
            parts.append(f'<line x1="{lo:.1f}" y1="{ym:.1f}" x2="{hi:.1f}" y2="{ym:.1f}" stroke="#c0392b" stroke-width="2"/>'
                         f'<line x1="{lo:.1f}" y1="{ym - 5:.1f}" x2="{lo:.1f}" y2="{ym + 5:.1f}" stroke="#c0392b" stroke-width="2"/>'
                         f'<line x1="{hi:.1f}" y1="{ym - 5:.1f}" x2="{hi:.1f}" y2="{ym + 5:.1f}" stroke="#c0392b" stroke-width="2"/>')
        parts.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="end" fill="#111">{escape(lt)}</text>')
        parts.append(f'<text x="{vx:.1f}" y="{vy:.1f}" fill="#111">{escape(vt)}</text>')
    parts.append("</svg>")
    return "".join(parts)
